#pragma once

#include <memory>
#include <string>

#include "support/temp_dir.hpp"
#include "vapidash/client/feed_client.hpp"
#include "vapidash/client/http_client.hpp"
#include "vapidash/server/server.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::test {

// The real server, in-process, on 127.0.0.1:0 over a fresh SQLite file; stopped and removed on destruction.
class TestServer {
 public:
  explicit TestServer(server::ServerOptions options = {}, SyncMode sync = SyncMode::full,
                      AccessConfig access = {});
  ~TestServer();

  Endpoint endpoint() const { return server_->local_endpoint(); }
  std::string db_path() const { return dir_.file("vapidash.db"); }
  SqliteStore& store() { return *store_; }
  server::Server& server() { return *server_; }
  server::Metrics& metrics() { return metrics_; }

  HttpClient client() const { return HttpClient(endpoint(), std::chrono::seconds(10)); }
  std::unique_ptr<FeedClient> feed(const std::string& target = "/ws/dashboard") const;

 private:
  TempDir dir_;
  AccessConfig access_;
  server::Metrics metrics_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<server::Server> server_;
};

// The next message on `feed`, parsed; throws when none arrives within 10 s, so a missing upsert fails the
// test instead of hanging it.
json next_message(FeedClient& feed);

// The fixture most integration tests use.
class ServerTest : public ::testing::Test {
 protected:
  TestServer server_;
  HttpClient http_ = server_.client();
};

}  // namespace vapidash::test
