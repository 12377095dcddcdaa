#pragma once

#include <memory>
#include <optional>
#include <string>

#include "vapidash/auth/access.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/server/metrics.hpp"
#include "vapidash/server/server.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::cli {

// A whole vapidash server inside this process, on 127.0.0.1 and a free port, over a database in a fresh
// temporary directory that goes with it: `replay --embedded` needs no set-up and leaves nothing behind.
class EmbeddedServer {
 public:
  // `tenants_file`: the tenants and credentials to enforce, else every endpoint is open.
  explicit EmbeddedServer(const std::optional<std::string>& tenants_file);
  ~EmbeddedServer();
  EmbeddedServer(const EmbeddedServer&) = delete;
  EmbeddedServer& operator=(const EmbeddedServer&) = delete;

  Endpoint endpoint() const { return server_->local_endpoint(); }

 private:
  std::string directory_;
  server::Metrics metrics_;
  AccessConfig access_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<server::Server> server_;
};

}  // namespace vapidash::cli
