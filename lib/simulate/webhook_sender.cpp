#include "webhook_sender.hpp"

#include "vapidash/error.hpp"
#include "vapidash/model/timestamp.hpp"

namespace vapidash {

WebhookSender::WebhookSender(ServerUrl server, const TlsOptions& tls, std::chrono::milliseconds timeout,
                             std::string target, WebhookCredential credential, Done done)
    : http_(std::move(server), timeout, tls),
      target_(std::move(target)),
      credential_(std::move(credential)),
      done_(std::move(done)),
      thread_([this] { run(); }) {}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void WebhookSender::push(WebhookJob job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  changed_.notify_all();
}

bool WebhookSender::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] { return queue_.empty() && !busy_; });
}

void WebhookSender::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;
    auto job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    const auto outcome = deliver(job);
    done_(job, outcome);
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

WebhookOutcome WebhookSender::deliver(const WebhookJob& job) {
  try {
    const auto response = http_.post(target_, job.body, credential_headers(credential_, job.body, now_utc()));
    WebhookOutcome outcome{response.status, {}};
    if (!outcome.ok()) outcome.error = response.body.substr(0, 500);
    return outcome;
  } catch (const error& e) {
    return {std::nullopt, e.what()};
  }
}

}  // namespace vapidash
