#include "vapidash/vapi/vapi_message.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "vapidash/error.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {
namespace {

// Parses `{"message": <message>}` for tenant "demo".
VapiMessage parse_message(const std::string& message) {
  return parse_vapi_message("demo", R"({"message": )" + message + "}", PayloadForm::full);
}

// The update of a message that has a call; an empty update (and a test failure) otherwise.
CallUpdate update_of(const std::string& message) {
  auto parsed = parse_message(message);
  if (!parsed.update) {
    ADD_FAILURE() << "ignored (" << parsed.ignored << "): " << message;
    return {};
  }
  return *parsed.update;
}

// The invalid_input code parse_vapi_message throws for `text`, or "" when it does not throw.
std::string rejection_code(const std::string& text) {
  try {
    parse_vapi_message("demo", text, PayloadForm::full);
  } catch (const invalid_input& e) {
    return e.code();
  }
  return "";
}

// A message of `type` on call "call-1" with `fields` (a JSON object's members, without braces) added.
std::string on_call(const std::string& type, const std::string& fields = "") {
  return R"({"type": ")" + type + R"(", "call": {"id": "call-1"})" + (fields.empty() ? "" : ", " + fields) +
         "}";
}

// ---- the envelope ----

TEST(ParseVapiMessage, ABodyThatIsNotAJsonObjectIsInvalidJson) {
  for (const std::string text : {"", "not json", "{\"message\": ", "[]", "42", "\"message\"", "null"}) {
    EXPECT_EQ(rejection_code(text), "invalid_json") << text;
  }
}

TEST(ParseVapiMessage, AnObjectWithoutAMessageObjectIsInvalidField) {
  for (const std::string text : {R"({})", R"({"message": null})", R"({"message": "status-update"})",
                                 R"({"message": []})", R"({"type": "status-update", "call": {"id": "c"}})"}) {
    EXPECT_EQ(rejection_code(text), "invalid_field") << text;
  }
}

TEST(ParseVapiMessage, AMessageWithoutANonEmptyStringTypeIsInvalidField) {
  for (const std::string message :
       {R"({"call": {"id": "call-1"}})", R"({"type": "", "call": {"id": "call-1"}})",
        R"({"type": null, "call": {"id": "call-1"}})", R"({"type": 7, "call": {"id": "call-1"}})",
        R"({"type": ["status-update"], "call": {"id": "call-1"}})"}) {
    EXPECT_EQ(rejection_code(R"({"message": )" + message + "}"), "invalid_field") << message;
  }
}

TEST(ParseVapiMessage, ACallIdThatIsNotAnIdentifierIsInvalidIdentifier) {
  for (const std::string& id :
       std::vector<std::string>{"has space", "a/b", "caf\u00e9", std::string(129, 'x')}) {
    const auto text = dump_json(json{{"message", {{"type", "hang"}, {"call", {{"id", id}}}}}});
    EXPECT_EQ(rejection_code(text), "invalid_identifier") << id;
  }
  EXPECT_EQ(rejection_code(
                dump_json(json{{"message", {{"type", "hang"}, {"call", {{"id", std::string(128, 'x')}}}}}})),
            "");
}

TEST(ParseVapiMessage, AMessageWithoutACallIdIsIgnoredWithAReason) {
  for (const std::string message : {
           R"({"type": "end-of-call-report", "endedReason": "pipeline-error-custom-llm-llm-failed"})",
           R"({"type": "tool-calls", "call": null})",
           R"({"type": "tool-calls", "call": "call-1"})",
           R"({"type": "tool-calls", "call": {}})",
           R"({"type": "tool-calls", "call": {"id": ""}})",
           R"({"type": "tool-calls", "call": {"id": null}})",
           R"({"type": "tool-calls", "call": {"id": 42}})",
       }) {
    const auto parsed = parse_message(message);
    EXPECT_FALSE(parsed.update.has_value()) << message;
    EXPECT_FALSE(parsed.ignored.empty()) << message;
    EXPECT_NE(parsed.ignored.find("call.id"), std::string::npos) << parsed.ignored;
    EXPECT_FALSE(parsed.type.empty()) << message;
  }
}

TEST(ParseVapiMessage, AMessageWithACallBecomesAWebhookUpdateOfThatCall) {
  const std::string message = R"({"type": "hang", "timestamp": 1795707816145, "call": {"id": "call-1"}})";
  const auto parsed = parse_message(message);
  EXPECT_EQ(parsed.type, "hang");
  EXPECT_EQ(parsed.ignored, "");
  ASSERT_TRUE(parsed.update);
  const auto& update = *parsed.update;
  EXPECT_EQ(update.client_id, "demo");
  EXPECT_EQ(update.call_id, "call-1");
  EXPECT_EQ(update.source, UpdateSource::webhook);
  EXPECT_EQ(update.event_status, "hang");
  EXPECT_EQ(update.event_payload, json::parse(message));
  EXPECT_EQ(dump_json(update.event_payload), dump_json(json::parse(message)));  // key order kept
  EXPECT_EQ(update.dedupe_key, delivery_key(json::parse(message)));
  EXPECT_FALSE(update.status);
  EXPECT_FALSE(update.report);
  EXPECT_FALSE(update.transcript_line);
}

TEST(ParseVapiMessage, TheDedupeKeyIsTheSameForARedeliveryAndDiffersForAnotherMessage) {
  const auto message = on_call("status-update", R"("status": "ringing", "timestamp": 1795707796145)");
  const auto key = update_of(message).dedupe_key;
  ASSERT_TRUE(key);
  EXPECT_EQ(update_of(message).dedupe_key, key);
  EXPECT_NE(
      update_of(on_call("status-update", R"("status": "ringing", "timestamp": 1795707796146)")).dedupe_key,
      key);
}

// ---- times: ISO strings, epoch ms as numbers, in scientific notation or quoted ----

struct TimeCase {
  const char* json_value;
  std::optional<std::string> expected;
};

const std::vector<TimeCase> time_cases = {
    {R"("2026-11-20T15:43:18.010Z")", "2026-11-20T15:43:18.010000"},
    {R"("2026-11-20T15:43:18.010")", "2026-11-20T15:43:18.010000"},
    {R"("2026-11-20T17:43:18.010+02:00")", "2026-11-20T15:43:18.010000"},
    {"1795707798010", "2026-11-26T15:43:18.010000"},
    {"1.79570779801E12", "2026-11-26T15:43:18.010000"},
    {"1795707798010.5", "2026-11-26T15:43:18.010500"},
    {R"("1795707798010")", "2026-11-26T15:43:18.010000"},
    {R"("1.79570779801E12")", "2026-11-26T15:43:18.010000"},
    {"0", "1970-01-01T00:00:00.000000"},
    {"null", std::nullopt},
    {R"("")", std::nullopt},
    {R"("yesterday")", std::nullopt},
    {R"("2026-13-40T99:00:00Z")", std::nullopt},
    {"true", std::nullopt},
    {"{}", std::nullopt},
    {"[1795707798010]", std::nullopt},
    {"-1", std::nullopt},
    {R"("-1")", std::nullopt},
    {"1e300", std::nullopt},
    {R"("1e300")", std::nullopt},
    {R"("nan")", std::nullopt},
    {"253402300799999", "9999-12-31T23:59:59.999000"},
    {"253402300800000", std::nullopt},
    {R"("9999-12-31T23:30:00-01:00")", std::nullopt},
    {R"("2026-11-20T15:43:18-99:99")", std::nullopt},
};

TEST(ParseVapiMessage, ReadsCallStartedAtInEveryFormSendersUse) {
  for (const auto& c : time_cases) {
    const auto update = update_of(R"({"type": "hang", "call": {"id": "call-1", "startedAt": )" +
                                  std::string(c.json_value) + "}}");
    EXPECT_EQ(update.started_at, c.expected) << c.json_value;
  }
}

TEST(ParseVapiMessage, ReadsATranscriptTimestampInEveryFormSendersUse) {
  for (const auto& c : time_cases) {
    const auto update = update_of(on_call(
        "transcript", R"("role": "user", "transcriptType": "final", "transcript": "Hi", "timestamp": )" +
                          std::string(c.json_value)));
    ASSERT_TRUE(update.transcript_line) << c.json_value;
    EXPECT_EQ(update.transcript_line->at, c.expected) << c.json_value;
  }
}

TEST(ParseVapiMessage, AnAbsentTimeIsAbsent) {
  const auto update = update_of(on_call("status-update", R"("status": "ended")"));
  EXPECT_FALSE(update.started_at);
  EXPECT_FALSE(update.ended_at);
  const auto line =
      update_of(on_call("transcript", R"("role": "user", "transcriptType": "final", "transcript": "Hi")"))
          .transcript_line;
  ASSERT_TRUE(line);
  EXPECT_FALSE(line->at);
}

TEST(ParseVapiMessage, TheMessagesOwnStartedAtAndEndedAtWinOverTheCallSnapshots) {
  const auto both = update_of(R"({"type": "end-of-call-report",
      "startedAt": "2026-11-20T15:43:18.010Z", "endedAt": "2026-11-20T15:44:08.145Z",
      "call": {"id": "call-1", "startedAt": "2026-11-20T15:43:00Z", "endedAt": "2026-11-20T15:45:00Z"}})");
  EXPECT_EQ(both.started_at, "2026-11-20T15:43:18.010000");
  EXPECT_EQ(both.ended_at, "2026-11-20T15:44:08.145000");

  const auto snapshot_only = update_of(R"({"type": "status-update", "status": "ended",
      "call": {"id": "call-1", "startedAt": "2026-11-20T15:43:00Z", "endedAt": "2026-11-20T15:45:00Z"}})");
  EXPECT_EQ(snapshot_only.started_at, "2026-11-20T15:43:00.000000");
  EXPECT_EQ(snapshot_only.ended_at, "2026-11-20T15:45:00.000000");

  const auto unreadable = update_of(R"({"type": "status-update", "status": "ended", "endedAt": "soon",
      "call": {"id": "call-1", "endedAt": 1795707848145}})");
  EXPECT_EQ(unreadable.ended_at, "2026-11-26T15:44:08.145000");
}

// ---- status: the message's, never the stale snapshot's ----

TEST(ParseVapiMessage, AStatusUpdateTakesTheMessagesStatusNotTheStaleSnapshots) {
  const auto update = update_of(R"({"type": "status-update", "status": "ended",
      "endedReason": "assistant-request-returned-invalid-assistant",
      "call": {"id": "call-1", "status": "ringing"}})");
  EXPECT_EQ(update.status, "ended");
  EXPECT_EQ(update.event_status, "ended");
  EXPECT_EQ(update.initial_status, "ringing");
  EXPECT_EQ(update.ended_reason, "assistant-request-returned-invalid-assistant");
}

TEST(ParseVapiMessage, AStatusUpdateWithAStatusOutsideVapisSetChangesNoStatus) {
  struct Case {
    const char* fields;
    const char* event_status;
  };
  for (const auto& c : std::vector<Case>{{R"("status": "stopped")", "stopped"},
                                         {R"("status": "ENDED")", "ENDED"},
                                         {R"("status": "")", "status-update"},
                                         {R"("status": 5)", "status-update"},
                                         {R"("status": null)", "status-update"},
                                         {"", "status-update"}}) {
    const auto parsed = parse_message(on_call("status-update", c.fields));
    ASSERT_TRUE(parsed.update) << c.fields;
    EXPECT_FALSE(parsed.update->status) << c.fields;
    EXPECT_EQ(parsed.update->event_status, c.event_status) << c.fields;
    EXPECT_TRUE(parsed.update->timeline_only) << "it must not create or move a call: " << c.fields;
    EXPECT_NE(parsed.ignored.find("so the call is not changed"), std::string::npos) << parsed.ignored;
  }
}

TEST(ParseVapiMessage, WhyAStatusUpdateCannotMoveItsCallIsSaid) {
  EXPECT_EQ(parse_message(on_call("status-update")).ignored,
            "the status-update has no \"status\", so the call is not changed");
  EXPECT_EQ(parse_message(on_call("status-update", R"("status": 5)")).ignored,
            "\"status\" must be a string, got number, so the call is not changed");
  EXPECT_EQ(parse_message(on_call("status-update", R"("status": "statusupdate")")).ignored,
            "\"status\" \"statusupdate\" is not a VAPI call status (scheduled, queued, ringing, in-progress, "
            "forwarding, ended), so the call is not changed");
  EXPECT_NE(parse_message(on_call("status-update", R"("status": ")" + std::string(1000, 'x') + "\""))
                .ignored.find("(1000 bytes)"),
            std::string::npos);
}

TEST(ParseVapiMessage, AStatusUpdateWithAVapiStatusMovesItsCall) {
  const auto parsed = parse_message(on_call("status-update", R"("status": "ringing")"));
  ASSERT_TRUE(parsed.update);
  EXPECT_FALSE(parsed.update->timeline_only);
  EXPECT_EQ(parsed.update->status, "ringing");
  EXPECT_TRUE(parsed.ignored.empty()) << parsed.ignored;
}

TEST(ParseVapiMessage, AMessageOtherThanAStatusUpdateOrReportChangesNoStatus) {
  for (const std::string type : {"speech-update", "transcript", "conversation-update", "hang", "tool-calls",
                                 "assistant-request", "a-type-from-the-future"}) {
    const auto update = update_of(R"({"type": ")" + type + R"(", "status": "ended",
        "endedReason": "customer-ended-call", "call": {"id": "call-1", "status": "ringing"}})");
    EXPECT_FALSE(update.status) << type;
    EXPECT_EQ(update.event_status, type);
    EXPECT_FALSE(update.ended_reason) << type;
    EXPECT_EQ(update.initial_status, "ringing") << type;
  }
}

TEST(ParseVapiMessage, ANewCallStartsInItsSnapshotsStatusElseInProgress) {
  struct Case {
    const char* call;
    const char* expected;
  };
  for (const auto& c : std::vector<Case>{{R"({"id": "call-1", "status": "queued"})", "queued"},
                                         {R"({"id": "call-1", "status": "scheduled"})", "scheduled"},
                                         {R"({"id": "call-1"})", "in-progress"},
                                         {R"({"id": "call-1", "status": null})", "in-progress"},
                                         {R"({"id": "call-1", "status": "unknown"})", "in-progress"},
                                         {R"({"id": "call-1", "status": 3})", "in-progress"}}) {
    EXPECT_EQ(update_of(R"({"type": "tool-calls", "call": )" + std::string(c.call) + "}").initial_status,
              c.expected)
        << c.call;
  }
}

// ---- the caller, monitor URLs and cost of the call snapshot ----

TEST(ParseVapiMessage, TheCallersNumberIsTheMessagesCustomerElseTheCalls) {
  struct Case {
    const char* fields;
    std::optional<std::string> expected;
  };
  for (
      const auto& c : std::vector<Case>{
          {R"("customer": {"number": "+15555550101"}, "call": {"id": "c", "customer": {"number": "+15555550102"}})",
           "+15555550101"},
          {R"("call": {"id": "c", "customer": {"number": "+33555550104"}})", "+33555550104"},
          {R"("customer": {"number": ""}, "call": {"id": "c", "customer": {"number": "+15555550102"}})",
           "+15555550102"},
          {R"("customer": "+15555550101", "call": {"id": "c", "customer": {"number": "+15555550102"}})",
           "+15555550102"},
          {R"("customer": {"number": 15555550101}, "call": {"id": "c"})", std::nullopt},
          {R"("customer": {"sipUri": "sip:someone@example.test"}, "call": {"id": "c"})", std::nullopt},
          {R"("call": {"id": "c", "customer": null})", std::nullopt},
          {R"("call": {"id": "c"})", std::nullopt},
      }) {
    EXPECT_EQ(update_of(R"({"type": "status-update", "status": "ringing", )" + std::string(c.fields) + "}")
                  .phone_number,
              c.expected)
        << c.fields;
  }
}

TEST(ParseVapiMessage, MonitorUrlsComeFromTheCallsMonitor) {
  const auto update = update_of(R"({"type": "assistant-request", "call": {"id": "c", "monitor": {
      "listenUrl": "wss://phone-call-websocket.example.test/c/listen",
      "controlUrl": "https://phone-call-websocket.example.test/c/control"}}})");
  EXPECT_EQ(update.listen_url, "wss://phone-call-websocket.example.test/c/listen");
  EXPECT_EQ(update.control_url, "https://phone-call-websocket.example.test/c/control");

  for (const std::string call :
       {R"({"id": "c"})", R"({"id": "c", "monitor": null})", R"({"id": "c", "monitor": []})",
        R"({"id": "c", "monitor": {"listenUrl": 1, "controlUrl": ""}})",
        R"({"id": "c", "listenUrl": "wss://x.example.test/listen"})"}) {
    const auto without = update_of(R"({"type": "assistant-request", "call": )" + call + "}");
    EXPECT_FALSE(without.listen_url) << call;
    EXPECT_FALSE(without.control_url) << call;
  }
}

TEST(ParseVapiMessage, TheSnapshotsCostIsANumberOrAbsent) {
  EXPECT_EQ(update_of(R"({"type": "hang", "call": {"id": "c", "cost": 0}})").cost, 0.0);
  EXPECT_EQ(update_of(R"({"type": "hang", "call": {"id": "c", "cost": 0.0873}})").cost, 0.0873);
  for (const std::string cost : {R"("0.05")", "null", "true", "{}"}) {
    EXPECT_FALSE(update_of(R"({"type": "hang", "call": {"id": "c", "cost": )" + cost + "}}").cost) << cost;
  }
}

// ---- transcript ----

TEST(ParseVapiMessage, AFinalTranscriptBecomesALine) {
  const auto update = update_of(on_call(
      "transcript",
      R"("role": "assistant", "transcriptType": "final", "transcript": "Hello?", "timestamp": 1735580379014)"));
  ASSERT_TRUE(update.transcript_line);
  EXPECT_EQ(*update.transcript_line, (TranscriptLine{"assistant", "Hello?", "2024-12-30T17:39:39.014000"}));
  EXPECT_FALSE(update.status);
}

TEST(ParseVapiMessage, OnlyAFinalTranscriptWithTextBecomesALine) {
  for (const std::string fields : {R"("role": "user", "transcriptType": "partial", "transcript": "Hi, I")",
                                   R"("role": "user", "transcript": "Hi")",
                                   R"("role": "user", "transcriptType": "Final", "transcript": "Hi")",
                                   R"("role": "user", "transcriptType": "final", "transcript": "")",
                                   R"("role": "user", "transcriptType": "final", "transcript": 7)",
                                   R"("role": "user", "transcriptType": "final")",
                                   R"("role": "user", "transcriptType": 1, "transcript": "Hi")"}) {
    EXPECT_FALSE(update_of(on_call("transcript", fields)).transcript_line) << fields;
  }
}

TEST(ParseVapiMessage, AFinalLineWithoutARoleIsByAnUnknownSpeaker) {
  for (const std::string role : {"", R"("role": "", )", R"("role": 1, )"}) {
    const auto line =
        update_of(on_call("transcript", role + R"("transcriptType": "final", "transcript": "Hi")"))
            .transcript_line;
    ASSERT_TRUE(line) << role;
    EXPECT_EQ(line->role, "unknown") << role;
  }
}

TEST(ParseVapiMessage, OnlyATranscriptMessageAddsALine) {
  const auto update = update_of(
      on_call("conversation-update", R"("role": "user", "transcriptType": "final", "transcript": "Hi")"));
  EXPECT_FALSE(update.transcript_line);
}

// ---- the end-of-call report ----

TEST(ParseVapiMessage, AReportEndsTheCallAndReadsArtifactAndAnalysis) {
  const auto update = update_of(R"({"type": "end-of-call-report", "endedReason": "customer-ended-call",
      "cost": 0.0873, "durationSeconds": 50.135,
      "analysis": {"summary": "The caller asked about an order."},
      "artifact": {"transcript": "AI: Hello\nUser: Hi", "recordingUrl": "https://storage.example.test/mono.wav",
                   "stereoRecordingUrl": "https://storage.example.test/stereo.wav",
                   "messages": [{"role": "bot", "message": "Hello", "time": 1795707798010},
                                {"role": "user", "message": "Hi", "time": 1795707800010}]},
      "call": {"id": "call-1", "status": "in-progress", "cost": 0}})");
  EXPECT_EQ(update.status, "ended");
  EXPECT_EQ(update.event_status, "end-of-call-report");
  EXPECT_FALSE(update.ended_reason);  // the report's, below, wins over any snapshot's
  ASSERT_TRUE(update.report);
  const auto& report = *update.report;
  EXPECT_EQ(report.ended_reason, "customer-ended-call");
  EXPECT_EQ(report.summary, "The caller asked about an order.");
  EXPECT_EQ(report.transcript_text, "AI: Hello\nUser: Hi");
  EXPECT_EQ(report.recording_url, "https://storage.example.test/mono.wav");
  EXPECT_EQ(report.stereo_recording_url, "https://storage.example.test/stereo.wav");
  EXPECT_EQ(report.cost, 0.0873);
  EXPECT_EQ(report.duration_seconds, 50.135);
  EXPECT_EQ(report.messages,
            (std::vector<TranscriptLine>{{"assistant", "Hello", "2026-11-26T15:43:18.010000"},
                                         {"user", "Hi", "2026-11-26T15:43:20.010000"}}));
  EXPECT_EQ(update.cost, 0.0);  // the snapshot's, which the report's replaces when merged
}

TEST(ParseVapiMessage, AReportWithoutArtifactOrAnalysisReadsTheLegacyTopLevelFields) {
  const auto report = update_of(R"({"type": "end-of-call-report",
      "summary": "legacy summary", "transcript": "legacy transcript",
      "recordingUrl": "https://storage.example.test/legacy-mono.wav",
      "stereoRecordingUrl": "https://storage.example.test/legacy-stereo.wav",
      "messages": [{"role": "user", "message": "Bonjour", "time": 1721022290391}],
      "call": {"id": "call-1"}})")
                          .report;
  ASSERT_TRUE(report);
  EXPECT_EQ(report->summary, "legacy summary");
  EXPECT_EQ(report->transcript_text, "legacy transcript");
  EXPECT_EQ(report->recording_url, "https://storage.example.test/legacy-mono.wav");
  EXPECT_EQ(report->stereo_recording_url, "https://storage.example.test/legacy-stereo.wav");
  EXPECT_EQ(report->messages,
            (std::vector<TranscriptLine>{{"user", "Bonjour", "2024-07-15T05:44:50.391000"}}));
  EXPECT_FALSE(report->cost);
  EXPECT_FALSE(report->duration_seconds);
  EXPECT_FALSE(report->ended_reason);
}

TEST(ParseVapiMessage, ArtifactAndAnalysisWinOverTheLegacyTopLevelFields) {
  const auto report = update_of(R"({"type": "end-of-call-report",
      "summary": "legacy", "transcript": "legacy", "recordingUrl": "https://legacy.example.test/m.wav",
      "stereoRecordingUrl": "https://legacy.example.test/s.wav",
      "messages": [{"role": "user", "message": "legacy"}],
      "analysis": {"summary": "current"},
      "artifact": {"transcript": "current", "recordingUrl": "https://current.example.test/m.wav",
                   "stereoRecordingUrl": "https://current.example.test/s.wav",
                   "messages": [{"role": "user", "message": "current"}]},
      "call": {"id": "call-1"}})")
                          .report;
  ASSERT_TRUE(report);
  EXPECT_EQ(report->summary, "current");
  EXPECT_EQ(report->transcript_text, "current");
  EXPECT_EQ(report->recording_url, "https://current.example.test/m.wav");
  EXPECT_EQ(report->stereo_recording_url, "https://current.example.test/s.wav");
  EXPECT_EQ(report->messages, (std::vector<TranscriptLine>{{"user", "current", std::nullopt}}));
}

TEST(ParseVapiMessage, AnEmptyOrOddlyTypedReportFieldFallsBackToTheLegacyOne) {
  const auto report = update_of(R"({"type": "end-of-call-report",
      "summary": "legacy summary", "transcript": "legacy transcript",
      "messages": [{"role": "user", "message": "legacy"}],
      "analysis": {"summary": ""},
      "artifact": {"transcript": 42, "messages": []},
      "call": {"id": "call-1"}})")
                          .report;
  ASSERT_TRUE(report);
  EXPECT_EQ(report->summary, "legacy summary");
  EXPECT_EQ(report->transcript_text, "legacy transcript");
  EXPECT_EQ(report->messages, (std::vector<TranscriptLine>{{"user", "legacy", std::nullopt}}));
}

TEST(ParseVapiMessage, AnEmptyAnalysisAndSummaryReadAsNoSummary) {
  const auto report =
      update_of(R"({"type": "end-of-call-report", "summary": "", "analysis": {}, "call": {"id": "call-1"}})")
          .report;
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->summary);
}

TEST(ParseVapiMessage, ArtifactOrAnalysisOfTheWrongTypeReadAsAbsent) {
  const auto report = update_of(R"({"type": "end-of-call-report", "summary": "legacy",
      "analysis": "a summary", "artifact": [{"transcript": "x"}], "call": {"id": "call-1"}})")
                          .report;
  ASSERT_TRUE(report);
  EXPECT_EQ(report->summary, "legacy");
  EXPECT_FALSE(report->transcript_text);
  EXPECT_TRUE(report->messages.empty());
}

TEST(ParseVapiMessage, AReportKeepsOnlySpokenLinesInTheirOrder) {
  const auto report = update_of(R"({"type": "end-of-call-report", "artifact": {"messages": [
      {"role": "system", "message": "You are a helpful assistant."},
      {"role": "bot", "message": "Bonjour, comment puis-je vous aider ?", "time": "1721022290391"},
      {"role": "user", "message": "Je voudrais un rendez-vous.", "time": 1.721022309830999E12},
      {"role": "tool_calls", "message": "", "toolCalls": []},
      {"role": "tool_call_result", "result": "ok"},
      {"role": "function_call", "message": "book"},
      {"role": "system", "message": "Transferred to the second assistant."},
      {"role": "assistant", "message": "C'est fait.", "secondsFromStart": 0},
      {"role": "user", "message": 42},
      {"message": "no role"},
      "not an object",
      {"role": "user", "message": "Merci."}]
}
, "call" : {
  "id" : "call-1"
}
})")
                          .report;
  ASSERT_TRUE(report);
  std::vector<std::string> spoken;
  for (const auto& line : report->messages) spoken.push_back(line.role + ": " + line.text);
  EXPECT_EQ(spoken, (std::vector<std::string>{"assistant: Bonjour, comment puis-je vous aider ?",
                                              "user: Je voudrais un rendez-vous.", "assistant: C'est fait.",
                                              "user: Merci."}));
  ASSERT_EQ(report->messages.size(), 4u);
  EXPECT_EQ(report->messages[0].at, "2024-07-15T05:44:50.391000");
  ASSERT_TRUE(report->messages[1].at);
  EXPECT_EQ(report->messages[1].at->substr(0, 23), "2024-07-15T05:45:09.830");
  EXPECT_FALSE(report->messages[2].at);
}

TEST(ParseVapiMessage, TheReportsDurationIsSecondsElseMillisecondsElseAbsentAndNeverNegative) {
  struct Case {
    const char* fields;
    std::optional<double> expected;
  };
  for (const auto& c : std::vector<Case>{{R"("durationSeconds": 58.434, "durationMs": 1000)", 58.434},
                                         {R"("durationMs": 58434)", 58.434},
                                         {R"("durationSeconds": "58", "durationMs": 2500)", 2.5},
                                         {R"("durationSeconds": -58, "durationMs": 2500)", 2.5},
                                         {R"("durationMs": -1)", std::nullopt},
                                         {R"("durationMinutes": 0.97)", std::nullopt},
                                         {R"("durationSeconds": null)", std::nullopt},
                                         {"", std::nullopt}}) {
    const auto report = update_of(on_call("end-of-call-report", c.fields)).report;
    ASSERT_TRUE(report) << c.fields;
    EXPECT_EQ(report->duration_seconds, c.expected) << c.fields;
  }
}

TEST(ParseVapiMessage, OddlyTypedReportNumbersReadAsAbsent) {
  const auto report =
      update_of(on_call("end-of-call-report", R"("cost": "0.1", "durationSeconds": {}, "endedReason": 3)"))
          .report;
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->cost);
  EXPECT_FALSE(report->duration_seconds);
  EXPECT_FALSE(report->ended_reason);
}

TEST(ParseVapiMessage, OnlyAnEndOfCallReportCarriesAReport) {
  for (const std::string type : {"status-update", "conversation-update", "transcript", "hang"}) {
    const auto update = update_of(on_call(type, R"("status": "ended", "summary": "s",
        "artifact": {"transcript": "t", "messages": [{"role": "user", "message": "Hi"}]})"));
    EXPECT_FALSE(update.report) << type;
  }
}

// ---- every fixture of tests/data/vapi ----

// examples/ (the example call) and real/ (real senders' quirks); see tests/data/vapi/README.md.
constexpr std::size_t example_fixture_count = 11;
constexpr std::size_t real_fixture_count = 25;

TEST(ParseVapiMessage, EveryFixtureParsesAndOnlyThoseWithoutACallAreIgnored) {
  const std::filesystem::path data_dir = VAPIDASH_TEST_DATA_DIR;
  std::size_t examples = 0;
  std::size_t real = 0;
  std::set<std::string> ignored;
  for (const char* folder : {"examples", "real"}) {
    const auto dir = data_dir / folder;
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir << " is missing";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      const auto name = std::string(folder) + "/" + entry.path().filename().string();
      ++(std::string(folder) == "examples" ? examples : real);
      try {
        const auto parsed = parse_vapi_message("demo", read_text(entry.path().string()), PayloadForm::full);
        EXPECT_FALSE(parsed.type.empty()) << name;
        EXPECT_NE(parsed.update.has_value(), !parsed.ignored.empty()) << name;
        if (!parsed.update) ignored.insert(name);
      } catch (const std::exception& e) {
        ADD_FAILURE() << name << " threw: " << e.what();
      }
    }
  }
  EXPECT_EQ(examples, example_fixture_count);
  EXPECT_EQ(real, real_fixture_count);
  EXPECT_EQ(ignored, (std::set<std::string>{"real/08-end-of-call-report.json", "real/16-tool-calls.json"}));
}

}  // namespace
}  // namespace vapidash::test
