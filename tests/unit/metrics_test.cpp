#include "vapidash/server/metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace vapidash::server {
namespace {

using std::chrono::microseconds;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The samples of a rendering: "name{labels}" → value, as written.
std::map<std::string, std::string> samples_of(const std::string& text) {
  std::map<std::string, std::string> samples;
  for (const auto& line : lines_of(text)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    samples[line.substr(0, space)] = line.substr(space + 1);
  }
  return samples;
}

std::string sample(const std::string& text, const std::string& series) {
  const auto samples = samples_of(text);
  const auto it = samples.find(series);
  return it == samples.end() ? "<no sample " + series + ">" : it->second;
}

const std::vector<std::string> bucket_bounds = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025",
                                                "0.005",  "0.01",    "0.025",  "0.05",  "0.1",
                                                "0.25",   "1",       "+Inf"};

std::string bucket(const std::string& le) {
  return "vapidash_store_commit_seconds_bucket{le=\"" + le + "\"}";
}

TEST(Metrics, ANewRegistryRendersEveryFamilyWithZeros) {
  const Metrics metrics;
  std::string expected =
      "# HELP vapidash_http_requests_total HTTP requests by route and status code.\n"
      "# TYPE vapidash_http_requests_total counter\n"
      "# HELP vapidash_webhooks_total VAPI webhooks by message type and outcome.\n"
      "# TYPE vapidash_webhooks_total counter\n"
      "# HELP vapidash_dashboards_connected Open dashboard WebSocket feeds.\n"
      "# TYPE vapidash_dashboards_connected gauge\n"
      "vapidash_dashboards_connected 0\n"
      "# HELP vapidash_dashboards_dropped_total Feeds closed because the dashboard stopped reading.\n"
      "# TYPE vapidash_dashboards_dropped_total counter\n"
      "vapidash_dashboards_dropped_total 0\n"
      "# HELP vapidash_store_commit_seconds Time from a group commit's start until its writes are durable.\n"
      "# TYPE vapidash_store_commit_seconds histogram\n";
  for (const auto& le : bucket_bounds) expected += bucket(le) + " 0\n";
  expected +=
      "vapidash_store_commit_seconds_sum 0\n"
      "vapidash_store_commit_seconds_count 0\n"
      "# HELP vapidash_store_committed_writes_total Writes committed, over all group commits.\n"
      "# TYPE vapidash_store_committed_writes_total counter\n"
      "vapidash_store_committed_writes_total 0\n"
      "# HELP vapidash_store_wal_syncs_total fdatasync calls that made WAL commits durable (0 with --sync "
      "normal).\n"
      "# TYPE vapidash_store_wal_syncs_total counter\n"
      "vapidash_store_wal_syncs_total 0\n"
      "# HELP vapidash_listeners_active Open call-audio listeners (GET /ws/listen).\n"
      "# TYPE vapidash_listeners_active gauge\n"
      "vapidash_listeners_active 0\n"
      "# HELP vapidash_listen_relayed_bytes_total Call-audio frame bytes relayed, by direction.\n"
      "# TYPE vapidash_listen_relayed_bytes_total counter\n"
      "vapidash_listen_relayed_bytes_total{direction=\"to_listener\"} 0\n"
      "vapidash_listen_relayed_bytes_total{direction=\"to_upstream\"} 0\n"
      "# HELP vapidash_listen_dropped_frames_total Frames dropped, oldest first, because their receiver fell "
      "behind.\n"
      "# TYPE vapidash_listen_dropped_frames_total counter\n"
      "vapidash_listen_dropped_frames_total{direction=\"to_listener\"} 0\n"
      "vapidash_listen_dropped_frames_total{direction=\"to_upstream\"} 0\n";
  EXPECT_EQ(metrics.render(0, 0), expected);
}

TEST(Metrics, EverySampleBelongsToAFamilyAnnouncedBeforeItWithHelpAndType) {
  Metrics metrics;
  metrics.count_request("/healthz", 200);
  metrics.count_webhook("status-update", "stored");
  metrics.observe_commit(3, microseconds(700));
  std::set<std::string> helped;
  std::map<std::string, std::string> types;
  for (const auto& line : lines_of(metrics.render(2, 1))) {
    ASSERT_FALSE(line.empty());
    std::istringstream words(line);
    if (line.rfind("# HELP ", 0) == 0) {
      std::string hash, help, name;
      words >> hash >> help >> name;
      EXPECT_TRUE(helped.insert(name).second) << "two HELP lines for " << name;
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::string hash, type, name, kind;
      words >> hash >> type >> name >> kind;
      EXPECT_TRUE(helped.count(name)) << "TYPE before HELP: " << line;
      EXPECT_TRUE(kind == "counter" || kind == "gauge" || kind == "histogram") << line;
      EXPECT_TRUE(types.emplace(name, kind).second) << "two TYPE lines for " << name;
      continue;
    }
    auto name = line.substr(0, line.find_first_of("{ "));
    if (!types.count(name)) {
      for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
        if (name.size() > suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            types.count(name.substr(0, name.size() - suffix.size())) &&
            types[name.substr(0, name.size() - suffix.size())] == "histogram") {
          name = name.substr(0, name.size() - suffix.size());
          break;
        }
      }
    }
    EXPECT_TRUE(types.count(name)) << "a sample of an unannounced family: " << line;
    const auto value = line.substr(line.rfind(' ') + 1);
    EXPECT_FALSE(value.empty()) << line;
    EXPECT_NO_THROW((void)std::stod(value)) << line;
  }
  EXPECT_EQ(types.size(), 10u);
}

TEST(Metrics, CountsRequestsByRouteAndCode) {
  Metrics metrics;
  metrics.count_request("/api/{client_id}/calls", 200);
  metrics.count_request("/api/{client_id}/calls", 200);
  metrics.count_request("/api/{client_id}/calls", 404);
  metrics.count_request("/webhooks/vapi/{client_id}", 200);
  const auto text = metrics.render(0, 0);
  EXPECT_EQ(sample(text, R"(vapidash_http_requests_total{route="/api/{client_id}/calls",code="200"})"), "2");
  EXPECT_EQ(sample(text, R"(vapidash_http_requests_total{route="/api/{client_id}/calls",code="404"})"), "1");
  EXPECT_EQ(sample(text, R"(vapidash_http_requests_total{route="/webhooks/vapi/{client_id}",code="200"})"),
            "1");
  std::size_t request_series = 0;
  for (const auto& [series, _] : samples_of(text)) {
    if (series.rfind("vapidash_http_requests_total{", 0) == 0) ++request_series;
  }
  EXPECT_EQ(request_series, 3u);
}

TEST(Metrics, CountsWebhooksByTypeAndOutcome) {
  Metrics metrics;
  for (const char* outcome : {"stored", "stored", "duplicate"})
    metrics.count_webhook("status-update", outcome);
  metrics.count_webhook("end-of-call-report", "stored");
  metrics.count_webhook("tool-calls", "ignored");
  metrics.count_webhook("status-update", "rejected");
  const auto text = metrics.render(0, 0);
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="status-update",outcome="stored"})"), "2");
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="status-update",outcome="duplicate"})"), "1");
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="status-update",outcome="rejected"})"), "1");
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="end-of-call-report",outcome="stored"})"), "1");
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="tool-calls",outcome="ignored"})"), "1");
}

TEST(Metrics, RendersTheDashboardGaugesItIsGiven) {
  const Metrics metrics;
  const auto text = metrics.render(3, 12345678901234ULL);
  EXPECT_EQ(sample(text, "vapidash_dashboards_connected"), "3");
  EXPECT_EQ(sample(text, "vapidash_dashboards_dropped_total"), "12345678901234");
}

TEST(Metrics, CommitLatencyBucketsAreCumulativeWithInclusiveBoundsAndInf) {
  Metrics metrics;
  metrics.observe_commit(1, microseconds(50));       // ≤ 0.0001
  metrics.observe_commit(2, microseconds(100));      // exactly 0.0001: le is inclusive
  metrics.observe_commit(1, microseconds(250));      // exactly 0.00025
  metrics.observe_commit(4, microseconds(3000));     // ≤ 0.005
  metrics.observe_commit(8, microseconds(2000000));  // over every bound: only +Inf
  const auto text = metrics.render(0, 0);
  const std::vector<std::string> expected = {"2", "3", "3", "3", "3", "4", "4", "4", "4", "4", "4", "4", "5"};
  for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
    EXPECT_EQ(sample(text, bucket(bucket_bounds[i])), expected[i]) << "le=" << bucket_bounds[i];
  }
  EXPECT_EQ(sample(text, "vapidash_store_commit_seconds_count"), "5");
  EXPECT_DOUBLE_EQ(std::stod(sample(text, "vapidash_store_commit_seconds_sum")), 2.0034);
  EXPECT_EQ(sample(text, "vapidash_store_committed_writes_total"), "16");
}

TEST(Metrics, TheStoreObserverCountsCommitsAndWalSyncs) {
  Metrics metrics;
  const auto observer = metrics.store_observer();
  observer.on_commit(3, microseconds(700));
  observer.on_wal_sync();
  observer.on_wal_sync();
  const auto text = metrics.render(0, 0);
  EXPECT_EQ(sample(text, "vapidash_store_commit_seconds_count"), "1");
  EXPECT_EQ(sample(text, "vapidash_store_committed_writes_total"), "3");
  EXPECT_EQ(sample(text, "vapidash_store_wal_syncs_total"), "2");
}

TEST(Metrics, BucketsNeverDecreaseAndInfEqualsTheCount) {
  Metrics metrics;
  for (int i = 0; i < 200; ++i) metrics.observe_commit(1, microseconds((i * 7919) % 1500000));
  const auto text = metrics.render(0, 0);
  std::uint64_t previous = 0;
  for (const auto& le : bucket_bounds) {
    const auto count = std::stoull(sample(text, bucket(le)));
    EXPECT_GE(count, previous) << "le=" << le;
    previous = count;
  }
  EXPECT_EQ(previous, 200u);
  EXPECT_EQ(sample(text, bucket("+Inf")), sample(text, "vapidash_store_commit_seconds_count"));
}

TEST(Metrics, BucketsAreInAscendingOrderOfTheirBounds) {
  const Metrics metrics;
  std::vector<std::string> bounds;
  for (const auto& line : lines_of(metrics.render(0, 0))) {
    const std::string prefix = "vapidash_store_commit_seconds_bucket{le=\"";
    if (line.rfind(prefix, 0) != 0) continue;
    bounds.push_back(line.substr(prefix.size(), line.find('"', prefix.size()) - prefix.size()));
  }
  EXPECT_EQ(bounds, bucket_bounds);
}

TEST(Metrics, EscapesBackslashQuoteAndNewlineInLabelValues) {
  Metrics metrics;
  metrics.count_webhook("a\"b\\c\nd", "ignored");
  metrics.count_request("/odd\"route\\", 400);
  const auto text = metrics.render(0, 0);
  EXPECT_NE(text.find("vapidash_webhooks_total{type=\"a\\\"b\\\\c\\nd\",outcome=\"ignored\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vapidash_http_requests_total{route=\"/odd\\\"route\\\\\",code=\"400\"} 1\n"),
            std::string::npos)
      << text;
  for (const auto& line : lines_of(text)) EXPECT_NE(line, "d\",outcome=\"ignored\"} 1");
}

TEST(Metrics, WebhookTypesPastTheCapAreCountedAsOther) {
  Metrics metrics;
  for (int i = 0; i < 256; ++i) metrics.count_webhook("type-" + std::to_string(i), "stored");
  metrics.count_webhook("type-0", "stored");  // a known series keeps counting under its own name
  metrics.count_webhook("sender-invented-1", "stored");
  metrics.count_webhook("sender-invented-2", "stored");
  const auto text = metrics.render(0, 0);
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="type-0",outcome="stored"})"), "2");
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="type-255",outcome="stored"})"), "1");
  EXPECT_EQ(sample(text, R"(vapidash_webhooks_total{type="other",outcome="stored"})"), "2");
  EXPECT_EQ(text.find("sender-invented"), std::string::npos);
}

}  // namespace
}  // namespace vapidash::server
