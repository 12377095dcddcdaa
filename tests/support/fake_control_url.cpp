#include "support/fake_control_url.hpp"

#include <chrono>

namespace vapidash::test {

FakeControlUrl::FakeControlUrl() : acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
  acceptor_thread_ = std::thread([this] { serve(); });
}

FakeControlUrl::~FakeControlUrl() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  released_.notify_all();
  // Closing an acceptor does not wake a blocking accept on Linux: a connection does.
  beast::error_code ignored;
  tcp::socket wake(ioc_);
  wake.connect(acceptor_.local_endpoint(), ignored);
  acceptor_thread_.join();
  acceptor_.close(ignored);
  for (auto& connection : connections_) connection.join();
}

std::string FakeControlUrl::url() const {
  return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/control/abc";
}

void FakeControlUrl::answer(unsigned status, std::string body) {
  std::lock_guard lock(mutex_);
  status_ = status;
  body_ = std::move(body);
  holding_ = false;
  released_.notify_all();
}

void FakeControlUrl::hold() {
  std::lock_guard lock(mutex_);
  holding_ = true;
}

std::vector<FakeControlUrl::Received> FakeControlUrl::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

bool FakeControlUrl::wait_for(std::size_t count) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, std::chrono::seconds(10), [&] { return received_.size() >= count; });
}

void FakeControlUrl::serve() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket(ioc_);
    acceptor_.accept(socket, ec);
    if (ec) return;
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    connections_.emplace_back([this, socket = std::move(socket)]() mutable { exchange(std::move(socket)); });
  }
}

void FakeControlUrl::exchange(tcp::socket socket) {
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  beast::error_code ec;
  http::read(socket, buffer, request, ec);
  if (ec) return;
  std::unique_lock lock(mutex_);
  received_.push_back(Received{std::string(request.target()), request.body()});
  arrived_.notify_all();
  released_.wait(lock, [&] { return !holding_ || stopping_; });
  if (stopping_ && holding_) return;
  http::response<http::string_body> response{static_cast<http::status>(status_), 11};
  response.set(http::field::content_type, "application/json");
  response.body() = body_;
  response.prepare_payload();
  lock.unlock();
  http::write(socket, response, ec);
}

}  // namespace vapidash::test
