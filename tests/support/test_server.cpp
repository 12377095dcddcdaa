#include <gtest/gtest.h>

#include "support/test_server.hpp"

namespace vapidash::test {

TestServer::TestServer(server::ServerOptions options, SyncMode sync, AccessConfig access)
    : access_(std::move(access)) {
  options.listen = Endpoint{"127.0.0.1", 0};
  if (options.threads == 0) options.threads = 2;
  store_ = std::make_unique<SqliteStore>(SqliteOptions{db_path(), sync}, metrics_.store_observer());
  server_ = std::make_unique<server::Server>(options, *store_, access_, metrics_);
  server_->start();
}

TestServer::~TestServer() {
  server_->stop();
}

std::unique_ptr<FeedClient> TestServer::feed(const std::string& target) const {
  auto client = std::make_unique<FeedClient>(endpoint(), target, std::chrono::seconds(10));
  client->connect();
  return client;
}

json next_message(FeedClient& feed) {
  const auto text = feed.read(std::chrono::seconds(10));
  if (!text) throw std::runtime_error("no feed message within 10s");
  return json::parse(*text);
}

}  // namespace vapidash::test
