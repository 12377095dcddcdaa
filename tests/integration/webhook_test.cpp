#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/files.hpp"
#include "support/store_snapshot.hpp"
#include "support/test_server.hpp"
#include "vapidash/vapi/compact_message.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

const std::string call_id = "a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71";
// tests/data/vapi: examples/ is the example call, real/ what real senders do (see its README.md).
// The number of .json files in real/: a missing or emptied directory must fail, not pass vacuously.
constexpr std::size_t real_fixture_count = 25;

std::string payload(const std::string& name) {
  return read_text(examples_dir + "/" + name + ".json");
}

// The example call in the order VAPI sends it (by message timestamp).
const std::vector<std::string> chronological = {
    "assistant-request",        "status-update-ringing", "status-update-in-progress", "transcript-partial",
    "transcript-final",         "speech-update",         "conversation-update",       "hang",
    "status-update-forwarding", "status-update-ended",   "end-of-call-report"};

class WebhookTest : public ServerTest {
 protected:
  json deliver(const std::string& client, const std::string& body) {
    const auto response = http_.post("/webhooks/vapi/" + client, body);
    EXPECT_EQ(response.status, 200u) << response.body;
    return response.json_body();
  }
  json get(const std::string& target) {
    const auto response = http_.get(target);
    EXPECT_EQ(response.status, 200u) << target << ": " << response.body;
    return response.json_body();
  }
  // A write the feed will show after everything before it: proves nothing else was broadcast.
  void write_sentinel(const std::string& client) {
    ASSERT_EQ(http_.post("/api/debug/create-test-call/" + client, R"({"call_id": "sentinel"})").status, 200u);
  }
  json detail(const std::string& client) { return get("/api/" + client + "/calls/" + call_id); }
};

TEST_F(WebhookTest, TheExampleCallBuildsRowTimelineDetailAndBroadcasts) {
  auto feed = server_.feed("/ws/dashboard?client_id=demo");
  for (const auto& name : chronological) {
    const auto answer = deliver("demo", payload(name));
    EXPECT_EQ(answer.at("ok"), true) << name;
    EXPECT_EQ(answer.at("call_id"), call_id) << name;
    EXPECT_TRUE(answer.contains("status_event_id")) << name;
  }
  write_sentinel("demo");

  std::vector<std::string> broadcast_statuses;
  std::vector<std::string> transcript_lines;
  for (auto message = next_message(*feed);
       message.value("type", "") != "call-upsert" || message.at("call").at("id") != "sentinel";
       message = next_message(*feed)) {
    EXPECT_EQ(message.at("clientId"), "demo");
    if (message.at("type") == "transcript-update") {
      transcript_lines.push_back(message.at("line").at("text"));
    } else {
      broadcast_statuses.push_back(message.at("call").at("status"));
    }
  }
  EXPECT_EQ(transcript_lines, std::vector<std::string>{"Hi, I'd like to move my appointment to Friday."})
      << "the final line reaches the feed; the partial one reaches no feed that did not subscribe";
  // Messages that change nothing on the call (a repeated status, partial lines, speech, hang…) are not
  // broadcast.
  EXPECT_EQ(broadcast_statuses, (std::vector<std::string>{"ringing", "in-progress", "in-progress",
                                                          "forwarding", "ended", "ended"}));

  const auto row = get("/api/demo/calls").at(1);  // [0] is the sentinel
  EXPECT_EQ(row.at("id"), call_id);
  EXPECT_EQ(row.at("status"), "ended");
  EXPECT_EQ(row.at("phone_number"), "+14155550142");
  EXPECT_EQ(row.at("started_at"), "2026-11-20T15:43:18.010000");
  EXPECT_EQ(row.at("ended_at"), "2026-11-20T15:44:08.145000");
  EXPECT_EQ(row.at("listen_url"),
            "wss://phone-call-websocket.example-vapi.test/a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71/listen");

  const auto call = detail("demo");
  EXPECT_EQ(call.at("control_url"),
            "https://phone-call-websocket.example-vapi.test/a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71/control");
  EXPECT_EQ(call.at("ended_reason"), "assistant-forwarded-call");
  EXPECT_NEAR(call.at("duration_seconds").get<double>(), 50.135, 1e-6);
  EXPECT_NEAR(call.at("cost").get<double>(), 0.0873, 1e-9);
  EXPECT_EQ(call.at("summary"),
            "Caller asked to move an appointment to Friday and was transferred to the front desk.");
  EXPECT_EQ(call.at("recording_url"),
            "https://storage.example-vapi.test/a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71-mono.wav");
  EXPECT_EQ(call.at("stereo_recording_url"),
            "https://storage.example-vapi.test/a7c1e1f0-5b7e-4d7a-9f3e-2d1c0b9a8e71-stereo.wav");
  EXPECT_EQ(call.at("transcript"), json::parse(R"([{"role": "user",
      "text": "Hi, I'd like to move my appointment to Friday.", "at": "2026-11-26T15:43:23.345000"}])"))
      << "only final lines belong in the transcript";

  const auto events = get("/api/debug/status-events/demo/" + call_id);
  ASSERT_EQ(events.size(), chronological.size());
  const std::vector<std::string> expected_statuses = {
      "assistant-request",   "ringing", "in-progress", "transcript", "transcript",        "speech-update",
      "conversation-update", "hang",    "forwarding",  "ended",      "end-of-call-report"};
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].at("status"), expected_statuses[i]);
    EXPECT_EQ(events[i].at("payload"), compact_message(json::parse(payload(chronological[i])).at("message")))
        << "by default the event keeps the message's compact form";
    EXPECT_EQ(events[i].at("payload_form"), "compact");
  }
}

TEST_F(WebhookTest, EveryOrderOfRingingInProgressEndedAndReportConvergesToTheSameCall) {
  std::vector<std::string> order = {"status-update-ringing", "status-update-in-progress",
                                    "status-update-ended", "end-of-call-report"};
  std::sort(order.begin(), order.end());  // next_permutation walks every order from the sorted one
  std::optional<json> reference;
  int permutation = 0;
  do {
    const auto client = "perm-" + std::to_string(permutation++);
    for (const auto& name : order) deliver(client, payload(name));
    auto call = detail(client);
    call.erase("created_at");
    call.erase("updated_at");
    call.erase("client_id");
    if (!reference) {
      reference = call;
      EXPECT_EQ(call.at("status"), "ended");
      EXPECT_EQ(call.at("ended_reason"), "assistant-forwarded-call");
      EXPECT_EQ(call.at("started_at"), "2026-11-20T15:43:18.010000");
    }
    EXPECT_EQ(call, *reference) << "order " << order[0] << ", " << order[1] << ", " << order[2] << ", "
                                << order[3];
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutation, 24);
}

TEST_F(WebhookTest, AReDeliveryIsAcknowledgedAsDuplicateAndStoresNothing) {
  auto feed = server_.feed("/ws/dashboard?client_id=demo");
  std::size_t upserts_expected = 0;
  for (const auto& name : chronological) {
    const auto first = deliver("demo", payload(name));
    const auto before = store_snapshot(server_.db_path());
    const auto again = deliver("demo", payload(name));
    EXPECT_EQ(store_snapshot(server_.db_path()), before) << name;
    EXPECT_FALSE(first.contains("duplicate")) << name;
    EXPECT_EQ(again.at("duplicate"), true) << name;
    EXPECT_FALSE(again.contains("status_event_id")) << name;
  }
  upserts_expected = 6;  // as in the single delivery of the example call
  write_sentinel("demo");
  std::size_t upserts = 0;
  std::size_t transcript_updates = 0;
  for (auto message = next_message(*feed);
       message.value("type", "") != "call-upsert" || message.at("call").at("id") != "sentinel";
       message = next_message(*feed)) {
    ++(message.at("type") == "transcript-update" ? transcript_updates : upserts);
  }
  EXPECT_EQ(upserts, upserts_expected);
  EXPECT_EQ(transcript_updates, 1u) << "a re-delivered final line is not sent again";
  EXPECT_EQ(get("/api/debug/status-events/demo/" + call_id).size(), chronological.size());
}

TEST_F(WebhookTest, DuplicatesAreScopedByTenant) {
  deliver("tenant-a", payload("status-update-ringing"));
  const auto other = deliver("tenant-b", payload("status-update-ringing"));
  EXPECT_FALSE(other.contains("duplicate"));
  EXPECT_EQ(get("/api/tenant-b/calls").size(), 1u);
}

TEST_F(WebhookTest, AMessageWithoutACallIsIgnoredWithOk) {
  const auto before = store_snapshot(server_.db_path());
  const auto answer = deliver("demo", R"({"message": {"type": "chat.created", "timestamp": 1795707796145}})");
  EXPECT_EQ(answer.at("ok"), true);
  EXPECT_FALSE(answer.at("ignored").get<std::string>().empty());
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

// The issue's report: {"status": 5} created the call as in-progress with a start time nothing reported.
TEST_F(WebhookTest, AStatusUpdateWithoutAVapiStatusCreatesNoCall) {
  const auto before = store_snapshot(server_.db_path());
  for (const std::string status : {R"("status": 5, )", "", R"("status": "statusupdate", )"}) {
    const auto answer =
        deliver("demo", R"({"message": {"type": "status-update", )" + status + R"("call": {"id": "b1"}}})");
    EXPECT_EQ(answer.at("ok"), true);
    EXPECT_NE(answer.at("ignored").get<std::string>().find("there is no call b1"), std::string::npos)
        << answer;
    EXPECT_FALSE(answer.contains("call_id")) << answer;
  }
  EXPECT_EQ(http_.get("/api/demo/calls/b1").status, 404u);
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST_F(WebhookTest, AStatusUpdateWithoutAVapiStatusIsOnlyLoggedOnItsExistingCall) {
  deliver("demo", payload("status-update-ringing"));
  const auto before = detail("demo");
  auto feed = server_.feed("/ws/dashboard?client_id=demo");
  const std::vector<std::pair<std::string, std::string>> odd_statuses{
      {R"("status": 5)", "status-update"},
      {R"("status": null)", "status-update"},
      {R"("status": "statusupdate")", "statusupdate"},
      {R"("status": "ENDED")", "ENDED"}};
  for (const auto& [status, event_status] : odd_statuses) {
    const auto answer = deliver("demo", R"({"message": {"type": "status-update", )" + status +
                                            R"(, "endedReason": "x",
            "startedAt": "2001-01-01T00:00:00Z", "customer": {"number": "+19995550000"},
            "call": {"id": ")" + call_id + R"(", "status": "ended"}}})");
    EXPECT_EQ(answer.at("call_id"), call_id) << status;
    EXPECT_TRUE(answer.at("status_event_id").is_number_integer()) << status;
    EXPECT_NE(answer.at("ignored").get<std::string>().find("so the call is not changed"), std::string::npos)
        << answer;
    const auto timeline = get("/api/debug/status-events/demo/" + call_id);
    EXPECT_EQ(timeline.back().at("id"), answer.at("status_event_id"));
    EXPECT_EQ(timeline.back().at("status"), event_status);
  }
  EXPECT_EQ(detail("demo"), before) << "the call changed";
  write_sentinel("demo");
  EXPECT_EQ(next_message(*feed).at("call").at("id"), "sentinel") << "an unchanged call was broadcast";
}

TEST_F(WebhookTest, ABodyThatIsNotAMessageEnvelopeIs400) {
  const auto before = store_snapshot(server_.db_path());
  for (const char* body : {R"([])", R"({"message": null})", R"({"message": []})", R"({"msg": {}})",
                           R"({"message": {"call": {"id": "x"}}})", "not json"}) {
    const auto response = http_.post("/webhooks/vapi/demo", body);
    EXPECT_EQ(response.status, 400u) << body;
    EXPECT_EQ(response.json_body().at("ok"), false) << body;
  }
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST_F(WebhookTest, EveryRealCaptureIsAcceptedAndRecordedOnItsCall) {
  std::vector<std::filesystem::path> files;
  ASSERT_TRUE(std::filesystem::is_directory(real_dir)) << real_dir << " is missing";
  for (const auto& entry : std::filesystem::directory_iterator(real_dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), real_fixture_count) << "the .json files of " << real_dir;
  for (const auto& file : files) {
    const auto body = read_text(file.string());
    const auto response = http_.post("/webhooks/vapi/real", body);
    ASSERT_EQ(response.status, 200u) << file << ": " << response.body;
    const auto answer = response.json_body();
    const auto message = json::parse(body).at("message");
    if (answer.contains("ignored")) {
      EXPECT_FALSE(message.contains("call") && message.at("call").is_object() &&
                   message.at("call").contains("id"))
          << file << " has a call id but was ignored";
      continue;
    }
    const auto id = answer.at("call_id").get<std::string>();
    const auto events = get("/api/debug/status-events/real/" + id);
    const auto recorded = std::any_of(events.begin(), events.end(), [&](const json& event) {
      return event.at("id") == answer.at("status_event_id") &&
             event.at("payload") == compact_message(message);
    });
    EXPECT_TRUE(recorded) << file << " is not on its call's timeline";
  }
}

TEST_F(WebhookTest, LegacyTopLevelReportFieldsAreRead) {
  deliver("legacy", read_text(real_dir + "/04-end-of-call-report.json"));
  const auto calls = get("/api/legacy/calls");
  ASSERT_EQ(calls.size(), 1u);
  const auto call = get("/api/legacy/calls/" + calls[0].at("id").get<std::string>());
  EXPECT_EQ(call.at("status"), "ended");
  EXPECT_FALSE(call.at("summary").is_null());
  EXPECT_FALSE(call.at("transcript_text").is_null());
  EXPECT_FALSE(call.at("recording_url").is_null());
  ASSERT_FALSE(call.at("transcript").empty()) << "the report's messages stand in for a live transcript";
  EXPECT_EQ(call.at("transcript").at(0).at("role"), "assistant");
  EXPECT_EQ(call.at("transcript").at(0).at("at"), "2024-07-15T05:44:50.391000")
      << "quoted epoch milliseconds";
}

TEST_F(WebhookTest, CallDetailOfAnUnknownCallIs404AndOfADebugCallHasEmptyExtensions) {
  const auto missing = http_.get("/api/demo/calls/nope");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.json_body().at("error").at("code"), "not_found");
  ASSERT_EQ(http_.post("/api/debug/create-test-call/demo", R"({"call_id": "dbg"})").status, 200u);
  const auto call = get("/api/demo/calls/dbg");
  EXPECT_EQ(call.at("status"), "in-progress");
  for (const char* key : {"control_url", "ended_reason", "duration_seconds", "cost", "summary",
                          "recording_url", "stereo_recording_url"}) {
    EXPECT_TRUE(call.at(key).is_null()) << key;
  }
  EXPECT_EQ(call.at("transcript"), json::array());
}

TEST_F(WebhookTest, MetricsCountWebhookOutcomes) {
  deliver("demo", payload("status-update-ringing"));
  deliver("demo", payload("status-update-ringing"));
  deliver("demo", R"({"message": {"type": "chat.created"}})");
  const auto response = http_.get("/metrics");
  ASSERT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type.rfind("text/plain", 0), 0u);
  const auto& text = response.body;
  EXPECT_NE(text.find(R"(vapidash_webhooks_total{type="status-update",outcome="stored"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(vapidash_webhooks_total{type="status-update",outcome="duplicate"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(vapidash_webhooks_total{type="chat.created",outcome="ignored"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(vapidash_http_requests_total{route="/webhooks/vapi/{client_id}",code="200"} 3)"),
            std::string::npos);
  EXPECT_NE(text.find("vapidash_store_commit_seconds_count"), std::string::npos);
  EXPECT_NE(text.find("vapidash_dashboards_connected 0"), std::string::npos);
}

TEST(WebhookRestartTest, DeliveryKeysSurviveARestart) {
  TempDir dir;
  const auto db = dir.file("calls.db");
  const auto body = payload("status-update-ringing");
  for (const bool expect_duplicate : {false, true}) {
    AccessConfig access;
    server::Metrics metrics;
    SqliteStore store(SqliteOptions{db, SyncMode::full});
    server::ServerOptions options;
    options.listen = Endpoint{"127.0.0.1", 0};
    options.threads = 1;
    server::Server server(options, store, access, metrics);
    server.start();
    HttpClient http(server.local_endpoint(), 10s);
    const auto answer = http.post("/webhooks/vapi/demo", body);
    ASSERT_EQ(answer.status, 200u) << answer.body;
    EXPECT_EQ(answer.json_body().contains("duplicate"), expect_duplicate);
    server.stop();
  }
}

}  // namespace
}  // namespace vapidash::test
