#pragma once

#include <optional>
#include <string>

#include "vapidash/model/call_update.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/store/call_rows.hpp"

namespace vapidash {

// What every write does to a call and its timeline, on any engine's rows (CallRows), inside the writer's
// open transaction: the forward-only status merge, the order-free report merge, delivery dedupe and the
// timeline entry each write logs.
class CallWriter {
 public:
  explicit CallWriter(CallRows& rows) : rows_(rows) {}

  CallUpdateOutcome apply(const CallUpdate& update);
  StatusEvent log_event(const EventRecord& record);

 private:
  CallUpdateOutcome apply_debug(const CallUpdate& update, timestamp now);
  CallUpdateOutcome apply_webhook(const CallUpdate& update, timestamp now);
  CallUpdateOutcome on_existing_call(const CallUpdate& update);
  CallUpdateOutcome apply_annotations(const CallUpdate& update, const std::string& now);
  std::optional<LiveTranscript> live_transcript(const CallUpdate& update);
  CallUpdateOutcome log_on_existing_call(const CallUpdate& update, const std::string& now);
  std::string unique_debug_id(const std::string& client_id, timestamp now);
  static EventRecord webhook_event(const CallUpdate& update, const Call& call);
  void log_update_event(CallUpdateOutcome& outcome, const EventRecord& record, const std::string& now);

  CallRows& rows_;
};

}  // namespace vapidash
