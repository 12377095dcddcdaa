#include "support/decorated_server.hpp"

namespace vapidash::test {

void ForwardingStore::apply(CallUpdate update, WriteCallback<CallUpdateOutcome> done) {
  inner_.apply(std::move(update), std::move(done));
}

void ForwardingStore::log_event(EventRecord record, WriteCallback<StatusEvent> done) {
  inner_.log_event(std::move(record), std::move(done));
}

void ForwardingStore::prune(PruneRequest request, WriteCallback<PruneCounts> done) {
  inner_.prune(std::move(request), std::move(done));
}

std::vector<Call> ForwardingStore::list_calls(const CallQuery& query) {
  return inner_.list_calls(query);
}

std::vector<StatusEvent> ForwardingStore::list_events(const EventQuery& query) {
  return inner_.list_events(query);
}

std::optional<Call> ForwardingStore::find_call(const std::string& client_id, const std::string& call_id) {
  return inner_.find_call(client_id, call_id);
}

std::optional<CallDetail> ForwardingStore::find_call_detail(const std::string& client_id,
                                                            const std::string& call_id) {
  return inner_.find_call_detail(client_id, call_id);
}

void ForwardingStore::announce_to(ChangeSink* sink) {
  inner_.announce_to(sink);
}

bool ForwardingStore::announcing() const {
  return inner_.announcing();
}

StoreHealth ForwardingStore::health() {
  return inner_.health();
}

std::vector<StoreFigure> ForwardingStore::figures() {
  return inner_.figures();
}

void ForwardingStore::close() {
  inner_.close();
}

DecoratedServer::DecoratedServer(const StoreDecorator& decorate) {
  server::ServerOptions options;
  options.listen = Endpoint{"127.0.0.1", 0};
  options.threads = 2;
  // Durability is not what these servers are for: no fsync per write.
  real_ = std::make_unique<SqliteStore>(SqliteOptions{dir_.file("vapidash.db"), SyncMode::normal},
                                        metrics_.store_observer());
  decorated_ = decorate(*real_);
  server_ = std::make_unique<server::Server>(options, *decorated_, access_, metrics_);
  server_->start();
}

DecoratedServer::~DecoratedServer() {
  server_->stop();
}

}  // namespace vapidash::test
