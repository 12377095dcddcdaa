#include "vapidash/client/webhook_builder.hpp"

#include <gtest/gtest.h>

#include <functional>

#include <chrono>
#include <string>
#include <vector>

#include "vapidash/error.hpp"
#include "vapidash/vapi/vapi_message.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono;

// 2026-11-26T15:43:18.010 UTC: epoch milliseconds 1795707798010.
constexpr timestamp example_now =
    sys_days{year{2026} / 11 / 26} + hours{15} + minutes{43} + seconds{18} + milliseconds{10};

json with_set(json root, const std::string& path, const std::string& value) {
  set_path(root, path, value);
  return root;
}

// The invalid_input code `run` throws, or "" when it does not throw.
template <class F>
std::string rejection_code(F&& run) {
  try {
    run();
  } catch (const invalid_input& e) {
    return e.code();
  }
  return "";
}

WebhookSpec spec_of(const std::string& type, std::vector<std::string> sets = {}) {
  WebhookSpec spec;
  spec.type = type;
  spec.call_id = "call-1";
  spec.sets = std::move(sets);
  return spec;
}

// ---- set_path: where ----

TEST(SetPath, SetsATopLevelKey) {
  EXPECT_EQ(with_set(json::object(), "status", "ended"), json::parse(R"({"status": "ended"})"));
}

TEST(SetPath, FollowsDotsAndCreatesMissingObjects) {
  EXPECT_EQ(with_set(json::object(), "call.customer.number", "+15555550199"),
            json::parse(R"({"call": {"customer": {"number": "+15555550199"}}})"));
}

TEST(SetPath, KeepsTheOtherKeysOfEveryObjectOnThePath) {
  const auto root =
      json::parse(R"({"type": "status-update", "call": {"id": "call-1", "customer": {"number": "+1"}}})");
  EXPECT_EQ(
      with_set(root, "call.customer.number", "+15555550199"),
      json::parse(
          R"({"type": "status-update", "call": {"id": "call-1", "customer": {"number": "+15555550199"}}})"));
  EXPECT_EQ(with_set(root, "call.status", "ended"),
            json::parse(R"({"type": "status-update", "call": {"id": "call-1", "customer": {"number": "+1"},
                            "status": "ended"}})"));
}

TEST(SetPath, ReplacesAnExistingValueWhateverItsType) {
  const auto root = json::parse(R"({"call": {"cost": 0.05, "monitor": {"listenUrl": "wss://x"}}})");
  EXPECT_EQ(with_set(root, "call.monitor", "null"),
            json::parse(R"({"call": {"cost": 0.05, "monitor": null}})"));
  EXPECT_EQ(with_set(root, "call.cost", "\"free\""),
            json::parse(R"({"call": {"cost": "free", "monitor": {"listenUrl": "wss://x"}}})"));
}

TEST(SetPath, TurnsAScalarOnThePathIntoAnObject) {
  EXPECT_EQ(with_set(json::parse(R"({"call": "call-1"})"), "call.id", "call-2"),
            json::parse(R"({"call": {"id": "call-2"}})"));
  EXPECT_EQ(with_set(json::parse(R"({"call": null})"), "call.id", "call-2"),
            json::parse(R"({"call": {"id": "call-2"}})"));
  EXPECT_EQ(with_set(json(42), "call.id", "call-2"), json::parse(R"({"call": {"id": "call-2"}})"));
}

TEST(SetPath, KeepsKeyOrderAndAppendsNewKeys) {
  const auto root = with_set(json::parse(R"({"b": 1, "a": 2})"), "c", "3");
  EXPECT_EQ(dump_json(root), R"({"b":1,"a":2,"c":3})");
}

TEST(SetPath, RejectsAnEmptyPathOrAnEmptySegment) {
  for (const std::string path : {"", ".", ".status", "status.", "call..id", "call.id."}) {
    json root = json::object();
    EXPECT_EQ(rejection_code([&] { set_path(root, path, "x"); }), "invalid_argument") << '"' << path << '"';
  }
}

// ---- set_path: what ----

TEST(SetPath, AValueThatIsJsonIsSetAsThatJson) {
  struct Case {
    const char* value;
    json expected;
  };
  const std::vector<Case> cases = {
      {"42", 42},
      {"-1.5", -1.5},
      {"1e3", 1000.0},
      {"0", 0},
      {"true", true},
      {"false", false},
      {"null", nullptr},
      {R"("quoted text")", "quoted text"},
      {R"("42")", "42"},
      {R"({"number": "+15555550199"})", json::parse(R"({"number": "+15555550199"})")},
      {"[1, \"two\", null]", json::parse(R"([1, "two", null])")},
      {" 7 ", 7},
  };
  for (const auto& c : cases) {
    const auto value = with_set(json::object(), "v", c.value).at("v");
    EXPECT_EQ(value, c.expected) << c.value;
    EXPECT_STREQ(value.type_name(), c.expected.type_name()) << c.value;
  }
  EXPECT_TRUE(with_set(json::object(), "v", "42").at("v").is_number_integer());
  EXPECT_TRUE(with_set(json::object(), "v", "1e3").at("v").is_number_float());
}

TEST(SetPath, AValueThatIsNotJsonIsSetAsText) {
  for (const std::string value : {"ended", "in-progress", "+15555550199", "007", "True", "NULL", "nan", "",
                                  "{broken", "[1,", "1.5.2", "two words", "https://example.test/a?b=c"}) {
    const auto set = with_set(json::object(), "v", value).at("v");
    ASSERT_TRUE(set.is_string()) << '"' << value << "\" became " << set.dump();
    EXPECT_EQ(set.get<std::string>(), value);
  }
}

// ---- build_webhook ----

std::string rejection_message(const std::function<void()>& run) {
  try {
    run();
  } catch (const invalid_input& e) {
    return e.what();
  }
  return "";
}

TEST(BuildWebhook, EveryMessageCarriesOnlyTypeTimestampAndCallId) {
  for (const auto& type : known_webhook_types()) {
    const auto envelope = build_webhook(spec_of(type), example_now);
    ASSERT_TRUE(envelope.is_object()) << type;
    ASSERT_EQ(envelope.size(), 1u) << type;
    const auto& message = envelope.at("message");
    EXPECT_EQ(message.at("type"), type);
    EXPECT_EQ(message.at("timestamp"), 1795707798010);
    EXPECT_EQ(message.at("call").at("id"), "call-1") << type;
    // Anything the call may already have would be overwritten by a default.
    for (const char* field : {"customer", "startedAt", "endedAt", "durationSeconds", "cost"}) {
      EXPECT_FALSE(message.contains(field)) << type << " sends " << field;
    }
    for (const char* field : {"customer", "monitor", "createdAt", "startedAt", "cost"}) {
      EXPECT_FALSE(message.at("call").contains(field)) << type << " sends call." << field;
    }
  }
}

TEST(BuildWebhook, AStatusUpdateIsRingingUnlessToldAndItsSnapshotAgrees) {
  const auto ringing = build_webhook(spec_of("status-update"), example_now).at("message");
  EXPECT_EQ(ringing.at("status"), "ringing");
  EXPECT_EQ(ringing.at("call").at("status"), "ringing");
  EXPECT_FALSE(ringing.contains("endedReason"));

  auto spec = spec_of("status-update");
  spec.status = "ended";
  const auto ended_message = build_webhook(spec, example_now).at("message");
  EXPECT_EQ(ended_message.at("status"), "ended");
  EXPECT_EQ(ended_message.at("call").at("status"), "ended");
  EXPECT_EQ(ended_message.at("endedReason"), "customer-ended-call");
}

TEST(BuildWebhook, AnEndOfCallReportCarriesATranscriptAndSummaryEndingNow) {
  const auto message = build_webhook(spec_of("end-of-call-report"), example_now).at("message");
  EXPECT_EQ(message.at("endedReason"), "customer-ended-call");
  EXPECT_EQ(message.at("call").at("status"), "ended");
  EXPECT_EQ(message.at("analysis").at("summary"), "A test call sent by vapidash webhook.");
  const auto& lines = message.at("artifact").at("messages");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("time"), 1795707793010);
  EXPECT_EQ(lines[1].at("time"), 1795707796010);
}

TEST(BuildWebhook, ATranscriptIsAFinalUserLine) {
  const auto message = build_webhook(spec_of("transcript"), example_now).at("message");
  EXPECT_EQ(message.at("transcriptType"), "final");
  EXPECT_EQ(message.at("role"), "user");
  EXPECT_EQ(message.at("transcript"), "Hello, this is a test call.");
}

TEST(BuildWebhook, AnUnknownTypeIsRefusedWithTheKnownOnes) {
  const auto typo = rejection_message([] { build_webhook(spec_of("statusupdate"), example_now); });
  EXPECT_NE(typo.find("unknown message type \"statusupdate\" (did you mean status-update?)"),
            std::string::npos)
      << typo;
  EXPECT_NE(typo.find("end-of-call-report"), std::string::npos) << typo;
  const auto unrelated =
      rejection_message([] { build_webhook(spec_of("a-type-from-the-future"), example_now); });
  EXPECT_EQ(unrelated.find("did you mean"), std::string::npos) << unrelated;
  EXPECT_EQ(rejection_code([] { build_webhook(spec_of("a-type-from-the-future"), example_now); }),
            "invalid_argument");
}

TEST(BuildWebhook, AStatusMustBeVapisAndOnlyOnAStatusUpdate) {
  auto typo = spec_of("status-update");
  typo.status = "inprogress";
  const auto refused = rejection_message([&] { build_webhook(typo, example_now); });
  EXPECT_NE(refused.find("unknown status \"inprogress\" (did you mean in-progress?)"), std::string::npos)
      << refused;
  EXPECT_NE(refused.find("scheduled, queued, ringing, in-progress, forwarding, ended"), std::string::npos)
      << refused;

  auto misplaced = spec_of("transcript");
  misplaced.status = "ended";
  EXPECT_EQ(rejection_message([&] { build_webhook(misplaced, example_now); }),
            "--status only applies to status-update, not transcript");
}

TEST(BuildWebhook, WithoutAFileATypeIsRequired) {
  WebhookSpec spec;
  spec.call_id = "call-1";
  EXPECT_EQ(rejection_code([&] { build_webhook(spec, example_now); }), "invalid_argument");
}

TEST(BuildWebhook, SetsApplyAfterTheDefaultsRelativeToMessage) {
  const auto message =
      build_webhook(spec_of("status-update", {"status=in-progress", "message.call.status=in-progress",
                                              "call.cost=0.5", "artifact.messages=[]", "endedReason=x=y"}),
                    example_now)
          .at("message");
  EXPECT_EQ(message.at("status"), "in-progress");
  EXPECT_EQ(message.at("call").at("status"), "in-progress");
  EXPECT_EQ(message.at("call").at("cost"), 0.5);
  EXPECT_EQ(message.at("call").at("id"), "call-1");  // the rest of the snapshot stays
  EXPECT_EQ(message.at("artifact").at("messages"), json::array());
  EXPECT_EQ(message.at("endedReason"), "x=y");  // the first '=' splits path from value
}

TEST(BuildWebhook, LaterSetsWinOverEarlierOnes) {
  const auto message =
      build_webhook(spec_of("hang", {"call.id=call-2", "call.id=call-3"}), example_now).at("message");
  EXPECT_EQ(message.at("call").at("id"), "call-3");
}

TEST(BuildWebhook, RejectsASetWithoutAnEqualsSignOrWithAnEmptyPath) {
  for (const std::string set : {"status", "", "=ended", "call..id=x", "message.=x"}) {
    EXPECT_EQ(rejection_code([&] { build_webhook(spec_of("status-update", {set}), example_now); }),
              "invalid_argument")
        << '"' << set << '"';
  }
}

WebhookSpec file_spec(const std::string& file) {
  WebhookSpec spec;
  spec.file = json::parse(file);
  return spec;
}

TEST(BuildWebhook, AFileIsSentAsItIsWhenNothingElseIsGiven) {
  const auto spec = file_spec(R"({"message": {"type": "hang", "call": {"id": "from-file"}}, "extra": 1})");
  EXPECT_EQ(build_webhook(spec, example_now), *spec.file);
}

TEST(BuildWebhook, TypeCallStatusAndSetsGivenWithAFileReplaceItsOwn) {
  auto spec = file_spec(R"({"message": {"type": "hang", "call": {"id": "from-file", "status": "ringing"}}})");
  spec.type = "status-update";
  spec.call_id = "override";
  spec.status = "ended";
  spec.sets = {"endedReason=assistant-ended-call"};
  EXPECT_EQ(build_webhook(spec, example_now), json::parse(R"({"message": {"type": "status-update",
      "call": {"id": "override", "status": "ended"}, "status": "ended", "endedReason": "assistant-ended-call"}})"));
}

TEST(BuildWebhook, AStatusNeedsAFileWhoseTypeHasOne) {
  auto spec = file_spec(R"({"message": {"type": "transcript", "call": {"id": "c"}}})");
  spec.status = "ended";
  EXPECT_EQ(rejection_message([&] { build_webhook(spec, example_now); }),
            "--status only applies to status-update, not transcript");
}

TEST(BuildWebhook, AFileWithoutAMessageGetsOneFromTheSets) {
  auto spec = spec_of("hang", {"type=hang"});
  spec.call_id.reset();
  spec.file = json::object();
  EXPECT_EQ(build_webhook(spec, example_now), json::parse(R"({"message": {"type": "hang"}})"));
}

TEST(BuildWebhook, RejectsAFileThatIsNotAnEnvelope) {
  for (const auto& file : {json::array(), json("text"), json(nullptr), json(3), json{{"message", 3}}}) {
    auto spec = spec_of("hang");
    spec.file = file;
    EXPECT_EQ(rejection_code([&] { build_webhook(spec, example_now); }), "invalid_argument") << file.dump();
  }
}

TEST(BuildWebhook, EveryKnownTypeIsAMessageTheServerRecordsOnItsCallWithoutInventingFields) {
  for (const auto& type : known_webhook_types()) {
    const auto parsed =
        parse_vapi_message("demo", dump_json(build_webhook(spec_of(type), example_now)), PayloadForm::full);
    EXPECT_EQ(parsed.type, type);
    ASSERT_TRUE(parsed.update) << type << ": " << parsed.ignored;
    EXPECT_EQ(parsed.update->call_id, "call-1");
    EXPECT_EQ(parsed.update->phone_number, std::nullopt) << type;
    EXPECT_EQ(parsed.update->listen_url, std::nullopt) << type;
    EXPECT_EQ(parsed.update->started_at, std::nullopt) << type;
    EXPECT_EQ(parsed.update->ended_at, std::nullopt) << type;
  }
}

TEST(BuildWebhook, TheServerReadsTheDefaultsAsIntended) {
  auto ended_spec = spec_of("status-update");
  ended_spec.status = "ended";
  const auto ended_message =
      parse_vapi_message("demo", dump_json(build_webhook(ended_spec, example_now)), PayloadForm::full);
  ASSERT_TRUE(ended_message.update);
  EXPECT_EQ(ended_message.update->status, "ended");
  EXPECT_EQ(ended_message.update->ended_reason, "customer-ended-call");

  const auto report = parse_vapi_message(
      "demo", dump_json(build_webhook(spec_of("end-of-call-report"), example_now)), PayloadForm::full);
  ASSERT_TRUE(report.update && report.update->report);
  EXPECT_EQ(report.update->status, "ended");
  EXPECT_EQ(report.update->report->summary, "A test call sent by vapidash webhook.");
  EXPECT_EQ(report.update->report->duration_seconds, std::nullopt);
  EXPECT_EQ(report.update->report->cost, std::nullopt);
  EXPECT_EQ(
      report.update->report->messages,
      (std::vector<TranscriptLine>{{"assistant", "Hello, how can I help?", "2026-11-26T15:43:13.010000"},
                                   {"user", "Just testing the dashboard.", "2026-11-26T15:43:16.010000"}}));

  const auto transcript = parse_vapi_message(
      "demo", dump_json(build_webhook(spec_of("transcript"), example_now)), PayloadForm::full);
  ASSERT_TRUE(transcript.update && transcript.update->transcript_line);
  EXPECT_EQ(*transcript.update->transcript_line,
            (TranscriptLine{"user", "Hello, this is a test call.", "2026-11-26T15:43:18.010000"}));
}

// ---- credentials ----

TEST(WebhookHeaders, TheLegacySecretGoesInXVapiSecret) {
  EXPECT_EQ(webhook_secret_headers("hush"), (HeaderList{{"x-vapi-secret", "hush"}}));
}

TEST(WebhookHeaders, TheHmacSignsTimestampDotBody) {
  const timestamp at =
      sys_days{year{2026} / 11 / 26} + hours{15} + minutes{43} + seconds{18} + milliseconds{999};
  // openssl: printf '1795707798.{"message":{}}' | openssl dgst -sha256 -hmac hush
  EXPECT_EQ(webhook_hmac_headers("hush", R"({"message":{}})", at),
            (HeaderList{
                {"x-timestamp", "1795707798"},
                {"x-signature", "sha256=7849dbfbf730dc7b594a35d30d6d34c0be5609b22003930b5ebcf9ff64846730"}}));
}

}  // namespace
}  // namespace vapidash::test
