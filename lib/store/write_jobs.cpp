#include "vapidash/store/write_jobs.hpp"

namespace vapidash {

void WriteQueue::push(std::unique_ptr<WriteJob> job) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      jobs_.push_back(std::move(job));
      ready_.notify_one();
      return;
    }
  }
  job->fail("the store is closed");
  job->complete();
}

WriteBatch WriteQueue::next_batch() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [this] { return closing_ || !jobs_.empty(); });
  WriteBatch batch;
  while (!jobs_.empty() && batch.size() < max_batch_) {
    batch.push_back(std::move(jobs_.front()));
    jobs_.pop_front();
  }
  return batch;
}

void WriteQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  ready_.notify_all();
}

}  // namespace vapidash
