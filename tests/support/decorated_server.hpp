#pragma once

#include <functional>
#include <memory>
#include <string>

#include "support/temp_dir.hpp"
#include "vapidash/server/server.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::test {

// A Store that hands everything to another, so a test decorator overrides only the behaviour it breaks.
class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  void apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) override;
  void log_event(EventRecord record, WriteCallback<StatusEvent> done) override;
  void prune(PruneRequest request, WriteCallback<PruneCounts> done) override;
  std::vector<Call> list_calls(const CallQuery& query) override;
  std::vector<StatusEvent> list_events(const EventQuery& query) override;
  std::optional<Call> find_call(const std::string& client_id, const std::string& call_id) override;
  std::optional<CallDetail> find_call_detail(const std::string& client_id,
                                             const std::string& call_id) override;
  void announce_to(ChangeSink* sink) override;
  StoreHealth health() override;
  bool announcing() const override;
  std::vector<StoreFigure> figures() override;
  void close() override;

 protected:
  Store& inner() noexcept { return inner_; }

 private:
  Store& inner_;
};

// Wraps the real store in the decorator a test wants the server to use.
using StoreDecorator = std::function<std::unique_ptr<Store>(Store& real)>;

// The real server, in-process on 127.0.0.1:0 over a fresh SQLite file, whose every store call goes through a
// test-only decorator: a server deliberately broken in one way, never through a flag of the product.
class DecoratedServer {
 public:
  explicit DecoratedServer(const StoreDecorator& decorate);
  ~DecoratedServer();
  DecoratedServer(const DecoratedServer&) = delete;
  DecoratedServer& operator=(const DecoratedServer&) = delete;

  Endpoint endpoint() const { return server_->local_endpoint(); }

 private:
  TempDir dir_;
  AccessConfig access_;
  server::Metrics metrics_;
  std::unique_ptr<SqliteStore> real_;
  std::unique_ptr<Store> decorated_;
  std::unique_ptr<server::Server> server_;
};

}  // namespace vapidash::test
