#include "vapidash/server/metrics.hpp"

#include <sstream>

namespace vapidash::server {

namespace {
// Label values are route patterns and VAPI message types; escape anyway, since types come from senders.
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

void Metrics::count_request(std::string_view route, unsigned status) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
}

void Metrics::count_webhook(std::string_view type, std::string_view outcome) {
  std::lock_guard lock(mutex_);
  // Sender-chosen types are capped so a hostile sender cannot grow the map without bound.
  const std::string key = webhooks_.size() < 256 || webhooks_.count({std::string(type), std::string(outcome)})
                              ? std::string(type)
                              : "other";
  ++webhooks_[{key, std::string(outcome)}];
}

void Metrics::observe_commit(std::size_t writes, std::chrono::microseconds took) {
  const double seconds = std::chrono::duration<double>(took).count();
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < latency_bounds.size(); ++i) {
    if (seconds <= latency_bounds[i]) ++commit_buckets_[i];
  }
  ++commits_;
  committed_writes_ += writes;
  commit_seconds_ += seconds;
}

void Metrics::observe_wal_sync() {
  std::lock_guard lock(mutex_);
  ++wal_syncs_;
}

void Metrics::listener_joined() {
  std::lock_guard lock(mutex_);
  ++listeners_;
}

void Metrics::listener_left() {
  std::lock_guard lock(mutex_);
  --listeners_;
}

void Metrics::count_relayed(RelayDirection direction, std::size_t bytes) {
  std::lock_guard lock(mutex_);
  relayed_bytes_[static_cast<std::size_t>(direction)] += bytes;
}

void Metrics::count_relay_drops(RelayDirection direction, std::size_t frames) {
  std::lock_guard lock(mutex_);
  relay_drops_[static_cast<std::size_t>(direction)] += frames;
}

StoreObserver Metrics::store_observer() {
  return StoreObserver{
      [this](std::size_t writes, std::chrono::microseconds took) { observe_commit(writes, took); },
      [this] { observe_wal_sync(); }};
}

std::string render_figures(const std::vector<StoreFigure>& figures) {
  std::ostringstream out;
  for (const auto& figure : figures) {
    out << "# HELP " << figure.name << ' ' << figure.help << "\n# TYPE " << figure.name << ' ' << figure.type
        << '\n'
        << figure.name << ' ' << figure.value << '\n';
  }
  return out.str();
}

std::string Metrics::render(std::size_t connected_dashboards, std::uint64_t dropped_dashboards) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP vapidash_http_requests_total HTTP requests by route and status code.\n"
         "# TYPE vapidash_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "vapidash_http_requests_total{route=\"" << label(key.first) << "\",code=\"" << key.second << "\"} "
        << count << "\n";
  }
  out << "# HELP vapidash_webhooks_total VAPI webhooks by message type and outcome.\n"
         "# TYPE vapidash_webhooks_total counter\n";
  for (const auto& [key, count] : webhooks_) {
    out << "vapidash_webhooks_total{type=\"" << label(key.first) << "\",outcome=\"" << key.second << "\"} "
        << count << "\n";
  }
  out << "# HELP vapidash_dashboards_connected Open dashboard WebSocket feeds.\n"
         "# TYPE vapidash_dashboards_connected gauge\n"
         "vapidash_dashboards_connected "
      << connected_dashboards
      << "\n# HELP vapidash_dashboards_dropped_total Feeds closed because the dashboard stopped reading.\n"
         "# TYPE vapidash_dashboards_dropped_total counter\n"
         "vapidash_dashboards_dropped_total "
      << dropped_dashboards
      << "\n# HELP vapidash_store_commit_seconds Time from a group commit's start until its writes are "
         "durable.\n"
         "# TYPE vapidash_store_commit_seconds histogram\n";
  for (std::size_t i = 0; i < latency_bounds.size(); ++i) {
    out << "vapidash_store_commit_seconds_bucket{le=\"" << latency_bounds[i] << "\"} " << commit_buckets_[i]
        << "\n";
  }
  out << "vapidash_store_commit_seconds_bucket{le=\"+Inf\"} " << commits_ << "\n"
      << "vapidash_store_commit_seconds_sum " << commit_seconds_ << "\n"
      << "vapidash_store_commit_seconds_count " << commits_ << "\n"
      << "# HELP vapidash_store_committed_writes_total Writes committed, over all group commits.\n"
         "# TYPE vapidash_store_committed_writes_total counter\n"
         "vapidash_store_committed_writes_total "
      << committed_writes_
      << "\n# HELP vapidash_store_wal_syncs_total fdatasync calls that made WAL commits durable (0 with "
         "--sync "
         "normal).\n"
         "# TYPE vapidash_store_wal_syncs_total counter\n"
         "vapidash_store_wal_syncs_total "
      << wal_syncs_
      << "\n# HELP vapidash_listeners_active Open call-audio listeners (GET /ws/listen).\n"
         "# TYPE vapidash_listeners_active gauge\n"
         "vapidash_listeners_active "
      << listeners_
      << "\n# HELP vapidash_listen_relayed_bytes_total Call-audio frame bytes relayed, by direction.\n"
         "# TYPE vapidash_listen_relayed_bytes_total counter\n";
  const std::array<const char*, 2> directions{"to_listener", "to_upstream"};
  for (std::size_t i = 0; i < directions.size(); ++i) {
    out << "vapidash_listen_relayed_bytes_total{direction=\"" << directions[i] << "\"} " << relayed_bytes_[i]
        << "\n";
  }
  out << "# HELP vapidash_listen_dropped_frames_total Frames dropped, oldest first, because their receiver "
         "fell behind.\n"
         "# TYPE vapidash_listen_dropped_frames_total counter\n";
  for (std::size_t i = 0; i < directions.size(); ++i) {
    out << "vapidash_listen_dropped_frames_total{direction=\"" << directions[i] << "\"} " << relay_drops_[i]
        << "\n";
  }
  return out.str();
}

}  // namespace vapidash::server
