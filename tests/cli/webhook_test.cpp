// `vapidash webhook`: builds a VAPI-shaped message, sends it (signed when asked), reports what the server
// did.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "cli_test_support.hpp"
#include "support/store_snapshot.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/auth/access.hpp"
#include "vapidash/vapi/compact_message.hpp"

namespace vapidash::test::cli {
namespace {

using ::testing::HasSubstr;

class CliWebhookTest : public CliTest {};

TEST_F(CliWebhookTest, StatusUpdateDefaultsToRingingAndRecordsTheCall) {
  const auto result = vapidash({"webhook", "demo-client", "status-update", "--call", "w1"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, FullyMatches(R"(sent status-update for call w1: stored, event #[0-9]+\n)"));
  EXPECT_EQ(result.err, "");

  const auto call = get_json("/api/demo-client/calls/w1");
  EXPECT_EQ(call.at("status"), "ringing");
  EXPECT_EQ(call.at("phone_number"), "") << "nothing the user did not set is invented";
  EXPECT_TRUE(call.at("listen_url").is_null());
  const auto events = get_json("/api/debug/status-events/demo-client/w1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("payload").at("type"), "status-update");
  EXPECT_EQ(events[0].at("payload").at("status"), "ringing");
  EXPECT_EQ(events[0].at("payload").at("call").at("id"), "w1");
  EXPECT_TRUE(events[0].at("payload").at("timestamp").is_number()) << "VAPI sends epoch milliseconds";
}

TEST_F(CliWebhookTest, StatusFlagMovesTheCall) {
  ASSERT_EQ(vapidash({"webhook", "demo-client", "status-update", "--call", "w1"}).code, 0);
  const auto result =
      vapidash({"webhook", "demo-client", "status-update", "--call", "w1", "--status", "in-progress"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto call = get_json("/api/demo-client/calls/w1");
  EXPECT_EQ(call.at("status"), "in-progress");
  EXPECT_FALSE(call.at("started_at").is_null());
}

TEST_F(CliWebhookTest, SetOverridesFieldsByDottedPath) {
  const auto result =
      vapidash({"webhook", "demo-client", "status-update", "--call", "w1", "--json", "--set",
                "customer.number=+15550001111", "--set", "message.call.customer.number=+15550002222", "--set",
                "extra.deep.flag=true", "--set", "analysis.note=a=b"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto document = stdout_json(result);
  const auto& message = document.at("sent").at("message");
  EXPECT_EQ(message.at("customer").at("number"), "+15550001111");
  EXPECT_EQ(message.at("call").at("customer").at("number"), "+15550002222") << "a message. prefix is allowed";
  EXPECT_EQ(message.at("extra").at("deep").at("flag"), true) << "a value that parses as JSON is JSON";
  EXPECT_EQ(message.at("analysis").at("note"), "a=b") << "only the first '=' separates path and value";
  EXPECT_EQ(document.at("response").at("ok"), true);
  EXPECT_EQ(document.at("response").at("call_id"), "w1");

  EXPECT_EQ(get_json("/api/demo-client/calls/w1").at("phone_number"), "+15550001111");
  const auto events = get_json("/api/debug/status-events/demo-client/w1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("payload"), compact_message(message))
      << "the server stored the compact form of what --json says was sent";
}

TEST_F(CliWebhookTest, SetTakesSeveralAssignmentsAfterOneFlag) {
  const auto result = vapidash(
      {"webhook", "demo-client", "status-update", "--call", "w1", "--json", "--set", "a.one=1", "b.two=two"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto document = stdout_json(result);
  const auto& message = document.at("sent").at("message");
  EXPECT_EQ(message.at("a").at("one"), 1);
  EXPECT_EQ(message.at("b").at("two"), "two");
}

TEST_F(CliWebhookTest, TranscriptAndEndOfCallReportFillTheCall) {
  ASSERT_EQ(
      vapidash({"webhook", "demo-client", "status-update", "--call", "w1", "--status", "in-progress"}).code,
      0);
  const auto transcript = vapidash({"webhook", "demo-client", "transcript", "--call", "w1", "--set",
                                    "transcript=Can I move my appointment?"});
  ASSERT_EQ(transcript.code, 0) << transcript.all();
  EXPECT_THAT(transcript.out, FullyMatches(R"(sent transcript for call w1: stored, event #[0-9]+\n)"));
  const auto report = vapidash({"webhook", "demo-client", "end-of-call-report", "--call", "w1", "--set",
                                "analysis.summary=Moved to Friday"});
  ASSERT_EQ(report.code, 0) << report.all();

  const auto call = get_json("/api/demo-client/calls/w1");
  EXPECT_EQ(call.at("status"), "ended");
  EXPECT_EQ(call.at("summary"), "Moved to Friday");
  EXPECT_EQ(call.at("ended_reason"), "customer-ended-call");
  ASSERT_GE(call.at("transcript").size(), 1u);
  EXPECT_EQ(call.at("transcript")[0].at("role"), "user");
  EXPECT_EQ(call.at("transcript")[0].at("text"), "Can I move my appointment?");
}

TEST_F(CliWebhookTest, OtherTypesAreLoggedWithoutChangingTheStatus) {
  ASSERT_EQ(
      vapidash({"webhook", "demo-client", "status-update", "--call", "w1", "--status", "in-progress"}).code,
      0);
  for (const auto* type :
       {"hang", "speech-update", "conversation-update", "tool-calls", "user-interrupted"}) {
    const auto result = vapidash({"webhook", "demo-client", type, "--call", "w1"});
    ASSERT_EQ(result.code, 0) << type << "\n" << result.all();
    EXPECT_THAT(result.out, HasSubstr(std::string("sent ") + type + " for call w1: stored, event #")) << type;
  }
  EXPECT_EQ(get_json("/api/demo-client/calls/w1").at("status"), "in-progress");
  const auto events = get_json("/api/debug/status-events/demo-client/w1");
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[5].at("payload").at("type"), "user-interrupted");
}

// A debug call with a phone and a start time keeps both whatever generated messages say about it.
TEST_F(CliWebhookTest, GeneratedMessagesNeverOverwriteWhatTheCallHas) {
  ASSERT_EQ(
      vapidash({"call", "demo-client", "--id", "kept", "--phone", "+14155550100", "--status", "in-progress"})
          .code,
      0);
  const auto before = get_json("/api/demo-client/calls/kept");
  for (const auto* type : {"status-update", "transcript", "end-of-call-report"}) {
    const auto result = vapidash({"webhook", "demo-client", type, "--call", "kept"});
    ASSERT_EQ(result.code, 0) << type << "\n" << result.all();
  }
  const auto after = get_json("/api/demo-client/calls/kept");
  EXPECT_EQ(after.at("phone_number"), "+14155550100");
  EXPECT_EQ(after.at("started_at"), before.at("started_at"));
  EXPECT_EQ(after.at("status"), "ended");
}

TEST_F(CliWebhookTest, UnknownTypesAndStatusesAreRefusedWithTheKnownOnes) {
  const auto before = store_snapshot(server_.db_path());
  const auto type = vapidash({"webhook", "demo-client", "statusupdate", "--call", "u1"});
  EXPECT_EQ(type.code, 2) << type.all();
  EXPECT_THAT(type.err, HasSubstr("unknown message type \"statusupdate\" (did you mean status-update?)"));
  EXPECT_THAT(type.err, HasSubstr("end-of-call-report"));
  const auto status =
      vapidash({"webhook", "demo-client", "status-update", "--call", "u1", "--status", "done"});
  EXPECT_EQ(status.code, 2) << status.all();
  EXPECT_THAT(status.err, HasSubstr("unknown status \"done\""));
  EXPECT_THAT(status.err, HasSubstr("in-progress"));
  const auto misplaced =
      vapidash({"webhook", "demo-client", "transcript", "--call", "u1", "--status", "ended"});
  EXPECT_EQ(misplaced.code, 2) << misplaced.all();
  EXPECT_THAT(misplaced.err, HasSubstr("--status only applies to status-update, not transcript"));
  EXPECT_EQ(store_snapshot(server_.db_path()), before) << "nothing refused reaches the server";
}

TEST_F(CliWebhookTest, WithoutCallAFreshIdIsGeneratedAndPrinted) {
  const auto result = vapidash({"webhook", "demo-client", "status-update", "-q"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, FullyMatches(R"(cli-[0-9]+-[0-9]+\n)"));
  const auto id = result.out.substr(0, result.out.size() - 1);
  EXPECT_EQ(get_json("/api/demo-client/calls/" + id).at("status"), "ringing");
}

TEST_F(CliWebhookTest, FileIsSentAsIsAndARedeliveryIsADuplicate) {
  const auto path = examples_dir + "/status-update-ringing.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  const auto original = json::parse(in);
  const auto call_id = original.at("message").at("call").at("id").get<std::string>();

  const auto first = vapidash({"webhook", "demo-client", "status-update", "--file", path, "--json"});
  ASSERT_EQ(first.code, 0) << first.all();
  const auto document = stdout_json(first);
  EXPECT_EQ(document.at("sent"), original);
  EXPECT_EQ(document.at("response").at("call_id"), call_id);
  EXPECT_EQ(get_json("/api/demo-client/calls/" + call_id).at("status"), "ringing");

  const auto again = vapidash({"webhook", "demo-client", "status-update", "--file", path});
  ASSERT_EQ(again.code, 0) << again.all();
  EXPECT_THAT(again.out, HasSubstr("for call " + call_id));
  EXPECT_THAT(again.out, HasSubstr("duplicate"));
  EXPECT_EQ(get_json("/api/debug/status-events/demo-client/" + call_id).size(), 1u);
}

// The file has a type; one given anyway replaces it, and so does --call the file's call id.
TEST_F(CliWebhookTest, AFileNeedsNoTypeAndTypeOrCallGivenWithItWin) {
  const auto path = examples_dir + "/status-update-ringing.json";
  const auto plain =
      vapidash({"webhook", "demo-client", "--file", path, "--call", "moved", "--status", "in-progress"});
  ASSERT_EQ(plain.code, 0) << plain.all();
  EXPECT_THAT(plain.out, HasSubstr("sent status-update for call moved: stored"));
  EXPECT_EQ(get_json("/api/demo-client/calls/moved").at("status"), "in-progress");

  const auto retyped =
      vapidash({"webhook", "demo-client", "hang", "--file", path, "--call", "moved", "--json"});
  ASSERT_EQ(retyped.code, 0) << retyped.all();
  EXPECT_EQ(stdout_json(retyped).at("sent").at("message").at("type"), "hang");
  const auto events = get_json("/api/debug/status-events/demo-client/moved");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].at("payload").at("type"), "hang");
}

TEST_F(CliWebhookTest, SetAppliesOnTopOfAFile) {
  const auto path = examples_dir + "/status-update-ringing.json";
  const auto result = vapidash({"webhook", "demo-client", "status-update", "--file", path, "--set",
                                "call.id=from-file-override", "--set", "timestamp=1", "-q"});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_EQ(result.out, "from-file-override\n");
  EXPECT_EQ(get_json("/api/demo-client/calls/from-file-override").at("status"), "ringing");
}

TEST_F(CliWebhookTest, AMessageWithoutACallIsReportedAsIgnored) {
  const auto before = store_snapshot(server_.db_path());
  TempDir dir;
  const auto path = dir.file("chat.json");
  std::ofstream(path) << R"({"message": {"type": "chat.created", "timestamp": 1}})";
  const auto result = vapidash({"webhook", "demo-client", "--file", path});
  ASSERT_EQ(result.code, 0) << result.all();
  EXPECT_THAT(result.out, HasSubstr("ignored"));
  EXPECT_EQ(store_snapshot(server_.db_path()), before);
}

TEST_F(CliWebhookTest, UsageErrors) {
  const auto before = store_snapshot(server_.db_path());
  TempDir dir;
  const auto not_json = dir.file("broken.json");
  std::ofstream(not_json) << "{\"message\": ";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"webhook", "demo-client"},
        {"webhook", "demo-client", "status-update", "--set", "no-equals-sign"},
        {"webhook", "demo-client", "status-update", "--set", "=value"},
        {"webhook", "demo-client", "status-update", "--set", "a..b=1"},
        {"webhook", "demo-client", "status-update", "--file", dir.file("missing.json")},
        {"webhook", "demo-client", "status-update", "--file", not_json},
        {"webhook", "demo-client", "status-update", "--secret", "a", "--hmac-secret", "b"},
        {"webhook", "demo-client", "status-update", "--nope"}}) {
    const auto result = vapidash(args);
    EXPECT_EQ(result.code, 2) << args.back() << "\n" << result.all();
    EXPECT_FALSE(result.err.empty()) << args.back();
    EXPECT_EQ(result.out, "") << args.back();
  }
  EXPECT_EQ(store_snapshot(server_.db_path()), before) << "a usage error sends nothing";
}

TEST_F(CliWebhookTest, InvalidTenantIsTheServersNo) {
  const auto result = vapidash({"webhook", "no such tenant", "status-update", "--call", "w1"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("400"));
  EXPECT_THAT(result.err, HasSubstr("invalid_identifier"));
}

TEST(CliWebhookServerDown, ExitsThree) {
  RefusingPort nobody;
  const auto result = run_against(nobody.endpoint(), {"webhook", "demo-client", "status-update"});
  EXPECT_EQ(result.code, 3) << result.all();
  EXPECT_THAT(result.err, HasSubstr("cannot connect"));
}

// A server whose tenants require webhook credentials.
class CliWebhookAuthTest : public ::testing::Test {
 protected:
  static AccessConfig access() {
    AccessConfig config;
    config.tenants["legacy"].webhook_secrets = {"legacy-secret"};
    config.tenants["signed"].hmac_secrets = {"hmac-key"};
    config.tenants["paused"].webhooks_closed = true;
    return config;
  }
  CliResult vapidash(std::vector<std::string> args, std::vector<std::string> extra_env = {}) {
    return run_against(server_.endpoint(), std::move(args), std::move(extra_env));
  }
  std::size_t calls_of(const std::string& tenant) {
    return server_.client().get("/api/" + tenant + "/calls").json_body().size();
  }

  TestServer server_{{}, SyncMode::full, access()};
};

TEST_F(CliWebhookAuthTest, SecretIsSentAsXVapiSecret) {
  const auto before = store_snapshot(server_.db_path());
  const auto missing = vapidash({"webhook", "legacy", "status-update", "--call", "s1"});
  EXPECT_EQ(missing.code, 1) << missing.all();
  EXPECT_THAT(missing.err, HasSubstr("401"));
  EXPECT_THAT(missing.err, HasSubstr("unauthorized"));
  const auto wrong = vapidash({"webhook", "legacy", "status-update", "--call", "s1", "--secret", "guess"});
  EXPECT_EQ(wrong.code, 1) << wrong.all();
  EXPECT_EQ(store_snapshot(server_.db_path()), before) << "a refused webhook stores nothing";

  const auto right =
      vapidash({"webhook", "legacy", "status-update", "--call", "s1", "--secret", "legacy-secret"});
  EXPECT_EQ(right.code, 0) << right.all();
  EXPECT_EQ(calls_of("legacy"), 1u);
}

TEST_F(CliWebhookAuthTest, SecretsMayComeFromTheEnvironment) {
  const auto legacy = vapidash({"webhook", "legacy", "status-update", "--call", "e1"},
                               {"VAPIDASH_WEBHOOK_SECRET=legacy-secret"});
  EXPECT_EQ(legacy.code, 0) << legacy.all();
  const auto signed_call =
      vapidash({"webhook", "signed", "status-update", "--call", "e2"}, {"VAPIDASH_HMAC_SECRET=hmac-key"});
  EXPECT_EQ(signed_call.code, 0) << signed_call.all();
  EXPECT_EQ(calls_of("legacy"), 1u);
  EXPECT_EQ(calls_of("signed"), 1u);
}

TEST_F(CliWebhookAuthTest, HmacSecretSignsTheBody) {
  const auto before = store_snapshot(server_.db_path());
  const auto wrong =
      vapidash({"webhook", "signed", "end-of-call-report", "--call", "h1", "--hmac-secret", "other-key"});
  EXPECT_EQ(wrong.code, 1) << wrong.all();
  EXPECT_THAT(wrong.err, HasSubstr("401"));
  EXPECT_EQ(store_snapshot(server_.db_path()), before) << "a refused webhook stores nothing";

  const auto right = vapidash({"webhook", "signed", "end-of-call-report", "--call", "h1", "--hmac-secret",
                               "hmac-key", "--set", "analysis.summary=signed and sealed"});
  ASSERT_EQ(right.code, 0) << right.all();
  const auto call = server_.client().get("/api/signed/calls/h1").json_body();
  EXPECT_EQ(call.at("status"), "ended");
  EXPECT_EQ(call.at("summary"), "signed and sealed")
      << "the signature covers the body with its --set changes";
}

TEST_F(CliWebhookAuthTest, ClosedTenantIsRefusedWithItsErrorInJson) {
  const auto result = vapidash({"webhook", "paused", "status-update", "--json"});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, HasSubstr("403"));
  const auto body = stdout_json(result);
  EXPECT_EQ(body.at("ok"), false);
  EXPECT_EQ(body.at("error").at("code"), "webhooks_closed");
}

}  // namespace
}  // namespace vapidash::test::cli
