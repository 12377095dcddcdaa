#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/files.hpp"
#include "support/test_server.hpp"
#include "vapidash/vapi/compact_message.hpp"

namespace vapidash::test {
namespace {

const std::string example_call = "a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71";

const std::vector<std::string> example_messages = {
    "assistant-request",        "status-update-ringing", "status-update-in-progress", "transcript-partial",
    "transcript-final",         "speech-update",         "conversation-update",       "hang",
    "status-update-forwarding", "status-update-ended",   "end-of-call-report"};

server::ServerOptions with_payloads(PayloadForm form) {
  server::ServerOptions options;
  options.payloads = form;
  return options;
}

json get_ok(HttpClient& http, const std::string& target) {
  const auto response = http.get(target);
  EXPECT_EQ(response.status, 200u) << target << ": " << response.body;
  return response.json_body();
}

// The example call delivered to a server keeping payloads in `form`: its detail, list and timeline.
struct Stored {
  json detail;
  json list;
  json timeline;
};

Stored store_example_call(PayloadForm form) {
  TestServer server(with_payloads(form));
  auto http = server.client();
  for (const auto& name : example_messages) {
    const auto response = http.post("/webhooks/vapi/demo", read_text(examples_dir + "/" + name + ".json"));
    EXPECT_EQ(response.status, 200u) << name << ": " << response.body;
  }
  return {get_ok(http, "/api/demo/calls/" + example_call), get_ok(http, "/api/demo/calls"),
          get_ok(http, "/api/debug/status-events/demo/" + example_call)};
}

// A call row or a list of them without the times of the write, which differ from server to server.
json without_volatile_times(json value) {
  const auto strip = [](json& row) {
    row.erase("created_at");
    row.erase("updated_at");
  };
  if (!value.is_array()) {
    strip(value);
    return value;
  }
  for (auto& row : value) strip(row);
  return value;
}

TEST(TimelineStorage, EveryPayloadFormGivesTheSameCallDetailAndList) {
  const auto full = store_example_call(PayloadForm::full);
  for (const auto form : {PayloadForm::compact, PayloadForm::none}) {
    const auto other = store_example_call(form);
    EXPECT_EQ(without_volatile_times(other.detail), without_volatile_times(full.detail))
        << payload_form_name(form);
    EXPECT_EQ(without_volatile_times(other.list), without_volatile_times(full.list))
        << payload_form_name(form);
    ASSERT_EQ(other.timeline.size(), full.timeline.size()) << payload_form_name(form);
    for (std::size_t i = 0; i < full.timeline.size(); ++i) {
      EXPECT_EQ(other.timeline[i].at("status"), full.timeline[i].at("status"));
      EXPECT_EQ(other.timeline[i].at("payload_form"), payload_form_name(form));
      const auto& whole = full.timeline[i].at("payload");
      EXPECT_EQ(full.timeline[i].at("payload_form"), "full");
      EXPECT_EQ(other.timeline[i].at("payload"),
                form == PayloadForm::compact ? compact_message(whole) : message_type_only(whole));
    }
  }
}

TEST(TimelineStorage, AFullPayloadIsTheWholeMessage) {
  const auto full = store_example_call(PayloadForm::full);
  ASSERT_EQ(full.timeline.size(), example_messages.size());
  for (std::size_t i = 0; i < example_messages.size(); ++i) {
    const auto body = parse_json(read_text(examples_dir + "/" + example_messages[i] + ".json"));
    EXPECT_EQ(full.timeline[i].at("payload"), body.at("message")) << example_messages[i];
  }
}

TEST(TimelineStorage, ARunningServerRemovesCallsPastRetentionAndKeepsLiveOnes) {
  server::ServerOptions options;
  options.retention = server::RetentionOptions{std::chrono::hours(24 * 30), std::chrono::seconds(1),
                                               std::chrono::milliseconds(1), 2};
  TestServer server(options);
  auto http = server.client();
  const auto ended_long_ago = R"({"message": {"type": "status-update", "status": "ended", "timestamp": 1,
    "call": {"id": "old", "endedAt": "2020-01-01T00:00:00Z"}}})";
  const auto live = R"({"message": {"type": "status-update", "status": "in-progress", "timestamp": 2,
    "call": {"id": "live", "startedAt": "2020-01-01T00:00:00Z"}}})";
  ASSERT_EQ(http.post("/webhooks/vapi/acme", ended_long_ago).status, 200u);
  ASSERT_EQ(http.post("/webhooks/vapi/acme", live).status, 200u);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (http.get("/api/acme/calls/old").status != 404u) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "retention did not remove the call";
    std::this_thread::yield();
  }
  EXPECT_EQ(get_ok(http, "/api/acme/calls").size(), 1u);
  EXPECT_TRUE(get_ok(http, "/api/debug/status-events/acme/old").empty());
  EXPECT_EQ(get_ok(http, "/api/acme/calls/live").at("status"), "in-progress");
}

}  // namespace
}  // namespace vapidash::test
