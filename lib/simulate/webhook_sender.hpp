#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "vapidash/client/http_client.hpp"
#include "vapidash/scenario/step_request.hpp"

namespace vapidash {

// One webhook to deliver, and how the simulator's log names it.
struct WebhookJob {
  std::string call_id;
  std::string type;
  std::string detail;  // the status, "final assistant", ...
  std::string body;
};

// What became of a delivery: the HTTP status, or no answer and why.
struct WebhookOutcome {
  std::optional<unsigned> http_status;
  std::string error;  // the answer's body when not 2xx, or why there was no answer
  bool ok() const { return http_status && *http_status >= 200 && *http_status < 300; }
};

// A thread that POSTs webhooks to one tenant in the order they were pushed, over one keep-alive connection
// (lib/client's HttpClient), signing each as the credential says.
class WebhookSender {
 public:
  using Done = std::function<void(const WebhookJob&, const WebhookOutcome&)>;

  WebhookSender(ServerUrl server, const TlsOptions& tls, std::chrono::milliseconds timeout,
                std::string target, WebhookCredential credential, Done done);
  ~WebhookSender();  // delivers what is queued, then stops
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void push(WebhookJob job);
  // Waits until nothing is queued or being sent; false when `deadline` passed first.
  bool wait_idle(std::chrono::steady_clock::time_point deadline);

 private:
  void run();
  WebhookOutcome deliver(const WebhookJob& job);

  HttpClient http_;
  std::string target_;
  WebhookCredential credential_;
  Done done_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<WebhookJob> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vapidash
