#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "vapidash/store/store.hpp"

namespace vapidash {

// What a queued write runs against: one engine's writer, inside its open transaction.
class WriteTarget {
 public:
  virtual ~WriteTarget() = default;
  virtual CallUpdateOutcome apply(const CallUpdate& update) = 0;
  virtual StatusEvent log_event(const EventRecord& record) = 0;
  virtual PruneCounts prune(const PruneRequest& request) = 0;
};

// A queued write: executed inside a batch transaction, completed once the batch is durable. Executing it
// again (a batch retried after a rollback) replaces the first result.
class WriteJob {
 public:
  virtual ~WriteJob() = default;
  virtual void execute(WriteTarget& target) = 0;
  virtual void fail(std::string message) = 0;
  // Tells `sink` what the write changed, when it succeeded and changed something dashboards show.
  virtual void announce(ChangeSink& sink) const = 0;
  virtual void complete() = 0;
  // The call the write locks ("client_id/call_id"; empty for retention): a batch takes its locks in this
  // order, so two servers' batches never wait on each other in a cycle.
  virtual std::string lock_order() const = 0;
};

template <class Op, class Result>
class TypedWriteJob final : public WriteJob {
 public:
  TypedWriteJob(Op op, WriteCallback<Result> done) : op_(std::move(op)), done_(std::move(done)) {}

  void execute(WriteTarget& target) override {
    if constexpr (std::is_same_v<Op, CallUpdate>) {
      result_ = target.apply(op_);
    } else if constexpr (std::is_same_v<Op, PruneRequest>) {
      result_ = target.prune(op_);
    } else {
      result_ = target.log_event(op_);
    }
  }
  void fail(std::string message) override { result_ = WriteFailure{std::move(message)}; }
  void announce(ChangeSink& sink) const override {
    const auto* done = std::get_if<Result>(&result_);
    if (done == nullptr) return;
    if constexpr (std::is_same_v<Op, CallUpdate>) {
      if (done->duplicate || done->call_missing) return;  // nothing was stored: nothing to tell
      sink.call_changed(*done, op_.cause);
    } else if constexpr (std::is_same_v<Op, EventRecord>) {
      sink.event_logged(*done);
    }
  }
  void complete() override { done_(std::move(result_)); }

  std::string lock_order() const override {
    if constexpr (std::is_same_v<Op, PruneRequest>) {
      return {};
    } else {
      return op_.client_id + '/' + op_.call_id;
    }
  }

 private:
  Op op_;
  WriteCallback<Result> done_;
  WriteResult<Result> result_ = WriteFailure{"not executed"};
};

template <class Op, class Result>
std::unique_ptr<WriteJob> make_write_job(Op op, WriteCallback<Result> done) {
  return std::make_unique<TypedWriteJob<Op, Result>>(std::move(op), std::move(done));
}

using WriteBatch = std::vector<std::unique_ptr<WriteJob>>;

// Writes waiting for a store's writer thread, handed to it in batches in the order they were queued.
class WriteQueue {
 public:
  explicit WriteQueue(std::size_t max_batch) : max_batch_(max_batch) {}

  // Queues `job`; once the queue is closed, fails and completes it at once.
  void push(std::unique_ptr<WriteJob> job);
  // The next batch, waiting until there is one: at most max_batch jobs, oldest first. Empty once the queue is
  // closed and every job it accepted has been handed out.
  WriteBatch next_batch();
  void close();

 private:
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<WriteJob>> jobs_;
  bool closing_ = false;
};

}  // namespace vapidash
