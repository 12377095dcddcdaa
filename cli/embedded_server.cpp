#include "cli/embedded_server.hpp"

#include <cstdlib>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "vapidash/error.hpp"

namespace vapidash::cli {

namespace {

std::string make_temporary_directory() {
  auto pattern = (std::filesystem::temp_directory_path() / "vapidash-replay-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw error("cannot create a temporary directory for the embedded server's database");
  return pattern;
}

}  // namespace

EmbeddedServer::EmbeddedServer(const std::optional<std::string>& tenants_file)
    : directory_(make_temporary_directory()),
      access_(tenants_file ? load_tenants_file(*tenants_file) : AccessConfig{}) {
  // Its request log would bury the replay's own report: what it rejects, a scenario's step states.
  spdlog::set_level(spdlog::level::warn);
  // A throwaway database: durability against power loss buys nothing here.
  store_ = std::make_unique<SqliteStore>(SqliteOptions{directory_ + "/replay.db", SyncMode::normal},
                                         metrics_.store_observer());
  server::ServerOptions options;
  options.listen = Endpoint{"127.0.0.1", 0};
  server_ = std::make_unique<server::Server>(options, *store_, access_, metrics_);
  server_->start();
}

EmbeddedServer::~EmbeddedServer() {
  server_->stop();
  server_.reset();
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

}  // namespace vapidash::cli
