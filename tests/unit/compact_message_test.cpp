#include "vapidash/vapi/compact_message.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "vapidash/vapi/vapi_message.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

struct Fixture {
  std::string name;
  json message;
};

std::vector<Fixture> every_fixture() {
  std::vector<Fixture> fixtures;
  for (const auto& dir : {examples_dir, real_dir}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      const auto fixture_body = parse_json(read_text(entry.path().string()));
      fixtures.push_back({entry.path().filename().string(), fixture_body.at("message")});
    }
  }
  return fixtures;
}

VapiMessage parse_body(const json& message) {
  return parse_vapi_message("demo", dump_json(json{{"message", message}}), PayloadForm::full);
}

// What the message itself says, as the store reads it: everything of its update but the call snapshot
// (phone, monitor URLs, times, cost, initial status), which repeats on every message and lives on the call
// row.
void expect_same_message_facts(const VapiMessage& full, const VapiMessage& compact, const std::string& name,
                               bool message_has_timestamp) {
  EXPECT_EQ(compact.type, full.type) << name;
  EXPECT_EQ(compact.ignored, full.ignored) << name;
  ASSERT_EQ(compact.update.has_value(), full.update.has_value()) << name;
  if (!full.update) return;
  const auto& expected = *full.update;
  const auto& actual = *compact.update;
  EXPECT_EQ(actual.call_id, expected.call_id) << name;
  EXPECT_EQ(actual.status, expected.status) << name;
  EXPECT_EQ(actual.event_status, expected.event_status) << name;
  EXPECT_EQ(actual.ended_reason, expected.ended_reason) << name;
  EXPECT_EQ(actual.transcript_line, expected.transcript_line) << name;
  EXPECT_EQ(actual.timeline_only, expected.timeline_only) << name;
  // Without a timestamp the key hashes the whole message; the store always keys the message as delivered.
  if (message_has_timestamp) {
    EXPECT_EQ(actual.dedupe_key, expected.dedupe_key) << name;
  }
  ASSERT_EQ(actual.report.has_value(), expected.report.has_value()) << name;
  if (!expected.report) return;
  EXPECT_EQ(actual.report->messages, expected.report->messages) << name;
  EXPECT_EQ(actual.report->summary, expected.report->summary) << name;
  EXPECT_EQ(actual.report->transcript_text, expected.report->transcript_text) << name;
  EXPECT_EQ(actual.report->recording_url, expected.report->recording_url) << name;
  EXPECT_EQ(actual.report->stereo_recording_url, expected.report->stereo_recording_url) << name;
  EXPECT_EQ(actual.report->cost, expected.report->cost) << name;
  EXPECT_EQ(actual.report->duration_seconds, expected.report->duration_seconds) << name;
  EXPECT_EQ(actual.report->ended_reason, expected.report->ended_reason) << name;
}

TEST(CompactMessage, EveryFixtureSaysTheSameInItsCompactForm) {
  const auto fixtures = every_fixture();
  ASSERT_GT(fixtures.size(), 30u);
  for (const auto& fixture : fixtures) {
    expect_same_message_facts(parse_body(fixture.message), parse_body(compact_message(fixture.message)),
                              fixture.name, fixture.message.contains("timestamp"));
  }
}

TEST(CompactMessage, IsNeverLargerAndIsIdempotent) {
  for (const auto& fixture : every_fixture()) {
    const auto compact = compact_message(fixture.message);
    EXPECT_LE(dump_json(compact).size(), dump_json(fixture.message).size()) << fixture.name;
    EXPECT_EQ(compact_message(compact), compact) << fixture.name;
  }
}

TEST(CompactMessage, KeepsOnlyTheCallIdAndDropsConfiguration) {
  const auto message = parse_json(R"({"type": "speech-update", "status": "started", "role": "assistant",
    "timestamp": 1768469412000, "turn": 3,
    "call": {"id": "c1", "orgId": "o1", "monitor": {"listenUrl": "wss://x.test/l"}, "assistant": {"model": {}}},
    "assistant": {"name": "Riley", "model": {"messages": [{"role": "system", "content": "long prompt"}]}},
    "phoneNumber": {"id": "p1"}, "squad": {"members": []}, "inboundPhoneCallDebuggingArtifacts": {"a": 1},
    "artifact": {"messages": [{"role": "bot"}], "messagesOpenAIFormatted": [{"role": "assistant"}]}})");
  EXPECT_EQ(dump_json(compact_message(message)),
            R"({"type":"speech-update","status":"started","role":"assistant","timestamp":1768469412000,)"
            R"("turn":3,"call":{"id":"c1"}})");
}

TEST(CompactMessage, AnArtifactKeepsWhatIsNotTheConversation) {
  const auto message = parse_json(R"({"type": "transcript", "call": {"id": "c1"},
    "artifact": {"messages": [], "variableValues": {"k": "v"}}})");
  EXPECT_EQ(compact_message(message)["artifact"], parse_json(R"({"variableValues": {"k": "v"}})"));
}

TEST(CompactMessage, TheEndOfCallReportKeepsItsConversation) {
  const auto message = parse_json(R"({"type": "end-of-call-report", "call": {"id": "c1", "cost": 1},
    "summary": "s", "artifact": {"messages": [{"role": "user", "message": "hi"}], "transcript": "User: hi"},
    "messages": [{"role": "user", "message": "hi"}], "assistant": {"name": "Riley"}})");
  EXPECT_EQ(dump_json(compact_message(message)),
            R"({"type":"end-of-call-report","call":{"id":"c1"},"summary":"s",)"
            R"("artifact":{"messages":[{"role":"user","message":"hi"}],"transcript":"User: hi"},)"
            R"("messages":[{"role":"user","message":"hi"}]})");
}

TEST(CompactMessage, AConversationUpdateKeepsTheTurnThatCausedIt) {
  const auto message = parse_json(R"({"type": "conversation-update", "call": {"id": "c1"},
    "messages": [{"role": "bot", "message": "Hello"}, {"role": "user", "message": "Hi"}],
    "messagesOpenAIFormatted": [{"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Hi"}],
    "conversation": [{"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Hi"}]})");
  EXPECT_EQ(dump_json(compact_message(message)),
            R"({"type":"conversation-update","call":{"id":"c1"},"messages":[{"role":"user","message":"Hi"}],)"
            R"("conversation":[{"role":"user","content":"Hi"}]})");
}

TEST(CompactMessage, OddShapesAreKeptAsSent) {
  EXPECT_EQ(compact_message(json::array({1, 2})), json::array({1, 2}));
  const auto message = parse_json(R"({"type": 5, "call": "not an object", "artifact": []})");
  EXPECT_EQ(compact_message(message), message);
}

TEST(MessageTypeOnly, KeepsTheTypeAlone) {
  EXPECT_EQ(message_type_only(parse_json(R"({"type": "hang", "call": {"id": "c1"}})")),
            parse_json(R"({"type": "hang"})"));
  EXPECT_EQ(message_type_only(json::array()), json::object());
}

}  // namespace
}  // namespace vapidash::test
