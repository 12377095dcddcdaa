#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vapidash/model/call.hpp"
#include "vapidash/model/call_update.hpp"
#include "vapidash/model/status_event.hpp"

namespace vapidash {

// One engine's row operations, run inside the writer's open transaction. CallWriter decides what to write;
// an engine only says how, so the merge rules and the dedupe live in one place for every engine.
class CallRows {
 public:
  virtual ~CallRows() = default;

  // Serialises every writer of this call until the transaction ends. An engine with a single writer has
  // nothing to do; one shared by several servers must, or two merges of one call race.
  virtual void lock_call(const std::string& client_id, const std::string& call_id) = 0;
  virtual std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) = 0;
  virtual void insert(const Call& call) = 0;
  virtual void update(const Call& call) = 0;
  // False when this call already has a delivery with this key: the write is a re-delivery.
  virtual bool record_delivery(const std::string& client_id, const std::string& call_id,
                               const std::string& key) = 0;
  virtual void append_line(const Call& call, const TranscriptLine& line) = 0;
  virtual std::vector<TranscriptLine> final_lines(const std::string& client_id,
                                                  const std::string& call_id) = 0;
  virtual void store_report_transcript(const Call& call, const std::vector<TranscriptLine>& messages) = 0;
  virtual StatusEvent insert_event(const EventRecord& record, const std::string& created_at) = 0;
};

}  // namespace vapidash
