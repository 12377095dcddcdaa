#include "vapidash/model/call_merge.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace vapidash::test {
namespace {

constexpr std::array<const char*, 6> vapi_order{"scheduled",   "queued",     "ringing",
                                                "in-progress", "forwarding", "ended"};

const std::string now = "2026-11-20T15:50:00.000000";      // the server's clock at delivery
const std::string created = "2026-11-20T15:43:00.000000";  // when the store first saw the call
const std::string started = "2026-11-20T15:43:18.010000";  // the sender's call.startedAt
const std::string ended = "2026-11-20T15:44:08.145000";    // the sender's endedAt

std::string describe(const Call& call) {
  std::ostringstream out;
  const auto text = [&](const char* name, const std::optional<std::string>& value) {
    out << ' ' << name << '=' << (value ? *value : "null");
  };
  const auto number = [&](const char* name, const std::optional<double>& value) {
    out << ' ' << name << '=';
    if (value) {
      out << *value;
    } else {
      out << "null";
    }
  };
  out << "{" << call.client_id << '/' << call.id << " phone=" << call.phone_number
      << " status=" << call.status;
  text("started_at", call.started_at);
  text("ended_at", call.ended_at);
  out << " created_at=" << call.created_at << " updated_at=" << call.updated_at;
  text("listen_url", call.listen_url);
  text("control_url", call.control_url);
  text("ended_reason", call.ended_reason);
  number("duration_seconds", call.duration_seconds);
  number("cost", call.cost);
  text("summary", call.summary);
  text("recording_url", call.recording_url);
  text("stereo_recording_url", call.stereo_recording_url);
  text("transcript_text", call.transcript_text);
  out << " }";
  return out.str();
}

CallUpdate webhook_update() {
  CallUpdate update;
  update.client_id = "demo";
  update.call_id = "call-1";
  update.source = UpdateSource::webhook;
  return update;
}

CallUpdate status_update(const std::string& status) {
  auto update = webhook_update();
  update.status = status;
  update.event_status = status;
  return update;
}

// A call the store already holds at `status`, which no webhook has told anything else yet.
Call known_call(const std::string& status) {
  Call call;
  call.client_id = "demo";
  call.id = "call-1";
  call.status = status;
  call.created_at = created;
  call.updated_at = created;
  return call;
}

Call merged(Call call, const CallUpdate& update, const std::string& at = now) {
  merge_webhook_update(call, update, at);
  return call;
}

// What the store does with deliveries to a call it does not hold yet: the first creates it, each merges.
Call delivered(const std::vector<const CallUpdate*>& in_order) {
  Call call = new_webhook_call(*in_order.front(), now);
  for (const auto* update : in_order) merge_webhook_update(call, *update, now);
  return call;
}

Call delivered_to(Call call, const std::vector<const CallUpdate*>& in_order) {
  for (const auto* update : in_order) merge_webhook_update(call, *update, now);
  return call;
}

// ---- status ----

TEST(MergeWebhookUpdate, StatusMovesOnlyForward) {
  for (std::size_t from = 0; from < vapi_order.size(); ++from) {
    for (std::size_t to = 0; to < vapi_order.size(); ++to) {
      const auto call = merged(known_call(vapi_order[from]), status_update(vapi_order[to]));
      EXPECT_EQ(call.status, to > from ? vapi_order[to] : vapi_order[from])
          << vapi_order[from] << " + " << vapi_order[to];
    }
  }
}

TEST(MergeWebhookUpdate, EndedIsFinalWhateverArrivesLater) {
  auto ended_call = known_call("ended");
  ended_call.ended_at = ended;
  for (const char* status : vapi_order) {
    EXPECT_EQ(merged(ended_call, status_update(status)).status, "ended") << status;
  }
  EXPECT_EQ(merged(ended_call, status_update("in-progress")), ended_call);
}

TEST(MergeWebhookUpdate, AnUpdateWithoutAStatusKeepsTheCallsStatus) {
  for (const char* status : vapi_order) {
    EXPECT_EQ(merged(known_call(status), webhook_update()).status, status);
  }
}

TEST(MergeWebhookUpdate, AStatusOutsideVapisSetNeverReplacesAKnownOne) {
  for (const char* status : vapi_order) {
    EXPECT_EQ(merged(known_call(status), status_update("stopped")).status, status);
    EXPECT_EQ(merged(known_call(status), status_update("")).status, status);
  }
}

TEST(MergeWebhookUpdate, AKnownStatusReplacesOneOutsideVapisSet) {
  // A debug call may hold any status; the first webhook with a real one takes over.
  for (const char* status : vapi_order) {
    EXPECT_EQ(merged(known_call("debug-weird"), status_update(status)).status, status);
  }
}

// ---- fields of the call snapshot ----

// A text field of the row that a webhook's call snapshot sets whenever it carries it.
struct SnapshotField {
  const char* name;
  std::string old_value;
  std::string new_value;
  std::function<void(CallUpdate&, const std::string&)> give;
  std::function<void(Call&, const std::string&)> hold;
};

std::vector<SnapshotField> snapshot_fields() {
  return {
      {"phone_number", "+15555550100", "+14155550142",
       [](CallUpdate& u, const std::string& v) { u.phone_number = v; },
       [](Call& c, const std::string& v) { c.phone_number = v; }},
      {"listen_url", "wss://old.example.test/listen", "wss://new.example.test/listen",
       [](CallUpdate& u, const std::string& v) { u.listen_url = v; },
       [](Call& c, const std::string& v) { c.listen_url = v; }},
      {"control_url", "https://old.example.test/control", "https://new.example.test/control",
       [](CallUpdate& u, const std::string& v) { u.control_url = v; },
       [](Call& c, const std::string& v) { c.control_url = v; }},
      {"started_at", "2026-11-20T15:00:00.000000", started,
       [](CallUpdate& u, const std::string& v) { u.started_at = v; },
       [](Call& c, const std::string& v) { c.started_at = v; }},
      {"ended_at", "2026-11-20T15:00:00.000000", ended,
       [](CallUpdate& u, const std::string& v) { u.ended_at = v; },
       [](Call& c, const std::string& v) { c.ended_at = v; }},
  };
}

TEST(MergeWebhookUpdate, ASnapshotFieldTheUpdateCarriesOverwritesTheStoredValue) {
  for (const auto& field : snapshot_fields()) {
    auto call = known_call("ringing");  // not live, not ended: no server time gets filled in
    field.hold(call, field.old_value);
    auto update = webhook_update();
    field.give(update, field.new_value);
    auto expected = call;
    field.hold(expected, field.new_value);
    const auto result = merged(call, update);
    EXPECT_EQ(result, expected) << field.name << ": " << describe(result);
  }
}

TEST(MergeWebhookUpdate, ASnapshotFieldTheUpdateLacksKeepsTheStoredValue) {
  for (const auto& field : snapshot_fields()) {
    auto call = known_call("ringing");
    field.hold(call, field.old_value);
    const auto result = merged(call, webhook_update());
    EXPECT_EQ(result, call) << field.name << ": " << describe(result);
  }
}

TEST(MergeWebhookUpdate, ASnapshotFieldTheCallLacksIsFilledIn) {
  for (const auto& field : snapshot_fields()) {
    auto update = webhook_update();
    field.give(update, field.new_value);
    auto expected = known_call("ringing");
    field.hold(expected, field.new_value);
    const auto result = merged(known_call("ringing"), update);
    EXPECT_EQ(result, expected) << field.name << ": " << describe(result);
  }
}

TEST(MergeWebhookUpdate, SnapshotEndedReasonAndCostFillAMissingValueButNeverReplaceOne) {
  auto update = status_update("ended");
  update.ended_reason = "customer-ended-call";
  update.cost = 0.25;

  auto empty = known_call("ended");
  empty.ended_at = ended;
  const auto filled = merged(empty, update);
  EXPECT_EQ(filled.ended_reason, "customer-ended-call");
  EXPECT_EQ(filled.cost, 0.25);

  auto known = empty;
  known.ended_reason = "assistant-forwarded-call";
  known.cost = 0.0873;
  EXPECT_EQ(merged(known, update), known) << describe(merged(known, update));
}

TEST(MergeWebhookUpdate, ATranscriptLineLeavesTheRowAsItWas) {
  // The line itself is appended by the store; the row only hears what the snapshot says.
  auto call = known_call("in-progress");
  call.started_at = started;
  auto update = webhook_update();
  update.event_status = "transcript";
  update.transcript_line = TranscriptLine{"user", "Hi, I need help with my order.", started};
  EXPECT_EQ(merged(call, update), call);
}

// ---- the end-of-call report ----

// A field of the row that an end-of-call report carries.
struct ReportField {
  const char* name;
  std::function<void(CallReport&)> give;  // the report's value
  std::function<void(Call&)> hold_old;    // a value the row already has
  std::function<void(Call&)> hold_new;    // the report's value, on the row
};

std::vector<ReportField> report_fields() {
  return {
      {"ended_reason", [](CallReport& r) { r.ended_reason = "customer-ended-call"; },
       [](Call& c) { c.ended_reason = "assistant-forwarded-call"; },
       [](Call& c) { c.ended_reason = "customer-ended-call"; }},
      {"summary", [](CallReport& r) { r.summary = "The caller asked about an order."; },
       [](Call& c) { c.summary = "old"; }, [](Call& c) { c.summary = "The caller asked about an order."; }},
      {"transcript_text", [](CallReport& r) { r.transcript_text = "AI: Hello\nUser: Hi"; },
       [](Call& c) { c.transcript_text = "old"; },
       [](Call& c) { c.transcript_text = "AI: Hello\nUser: Hi"; }},
      {"recording_url", [](CallReport& r) { r.recording_url = "https://storage.example.test/mono.wav"; },
       [](Call& c) { c.recording_url = "https://old.example.test/a.wav"; },
       [](Call& c) { c.recording_url = "https://storage.example.test/mono.wav"; }},
      {"stereo_recording_url",
       [](CallReport& r) { r.stereo_recording_url = "https://storage.example.test/stereo.wav"; },
       [](Call& c) { c.stereo_recording_url = "https://old.example.test/b.wav"; },
       [](Call& c) { c.stereo_recording_url = "https://storage.example.test/stereo.wav"; }},
      {"cost", [](CallReport& r) { r.cost = 0.0873; }, [](Call& c) { c.cost = 0.0; },
       [](Call& c) { c.cost = 0.0873; }},
      {"duration_seconds", [](CallReport& r) { r.duration_seconds = 50.135; },
       [](Call& c) { c.duration_seconds = 12.5; }, [](Call& c) { c.duration_seconds = 50.135; }},
  };
}

CallUpdate report_update(const CallReport& report) {
  auto update = status_update("ended");
  update.event_status = "end-of-call-report";
  update.report = report;
  return update;
}

Call ended_call() {
  auto call = known_call("ended");
  call.started_at = started;
  call.ended_at = ended;
  return call;
}

TEST(MergeWebhookUpdate, AReportFieldReplacesTheStoredValue) {
  for (const auto& field : report_fields()) {
    CallReport report;
    field.give(report);
    auto call = ended_call();
    field.hold_old(call);
    auto expected = ended_call();
    field.hold_new(expected);
    const auto result = merged(call, report_update(report));
    EXPECT_EQ(result, expected) << field.name << ": " << describe(result);
  }
}

TEST(MergeWebhookUpdate, AReportFieldTheReportLacksKeepsTheStoredValue) {
  for (const auto& field : report_fields()) {
    auto call = ended_call();
    field.hold_old(call);
    const auto result = merged(call, report_update(CallReport{}));
    EXPECT_EQ(result, call) << field.name << ": " << describe(result);
  }
}

TEST(MergeWebhookUpdate, AReportFillsAnEmptyCall) {
  for (const auto& field : report_fields()) {
    CallReport report;
    field.give(report);
    auto expected = ended_call();
    field.hold_new(expected);
    const auto result = merged(ended_call(), report_update(report));
    EXPECT_EQ(result, expected) << field.name << ": " << describe(result);
  }
}

TEST(MergeWebhookUpdate, TheReportsEndedReasonAndCostWinOverAStatusUpdatesInEitherOrder) {
  auto status = status_update("ended");
  status.ended_at = ended;
  status.ended_reason = "assistant-forwarded-call";
  status.cost = 0.0;
  CallReport report;
  report.ended_reason = "customer-ended-call";
  report.cost = 0.0873;
  const auto report_msg = report_update(report);

  for (const auto& order : {std::vector<const CallUpdate*>{&status, &report_msg},
                            std::vector<const CallUpdate*>{&report_msg, &status}}) {
    const auto call = delivered_to(known_call("in-progress"), order);
    EXPECT_EQ(call.ended_reason, "customer-ended-call") << describe(call);
    EXPECT_EQ(call.cost, 0.0873) << describe(call);
  }
}

// ---- started_at and ended_at: the sender's times, else the server's ----

TEST(MergeWebhookUpdate, ServerTimeFillsStartedAtOnlyWhileLiveAndEndedAtOnlyOnceEnded) {
  for (const char* status : vapi_order) {
    const std::string s = status;
    const auto call = merged(known_call("scheduled"), status_update(s));
    const bool live = s == "in-progress" || s == "forwarding";
    EXPECT_EQ(call.started_at, live ? std::optional<std::string>(now) : std::nullopt) << s;
    EXPECT_EQ(call.ended_at, s == "ended" ? std::optional<std::string>(now) : std::nullopt) << s;
  }
}

TEST(MergeWebhookUpdate, TheSendersTimesWinOverTheServersClock) {
  auto in_progress = status_update("in-progress");
  in_progress.started_at = started;
  EXPECT_EQ(merged(known_call("ringing"), in_progress).started_at, started);

  auto ended_update = status_update("ended");
  ended_update.ended_at = ended;
  EXPECT_EQ(merged(known_call("forwarding"), ended_update).ended_at, ended);
}

TEST(MergeWebhookUpdate, TheSendersTimeReplacesAnEarlierServerGuess) {
  auto guessed = merged(known_call("ringing"), status_update("forwarding"));
  ASSERT_EQ(guessed.started_at, now);
  guessed = merged(guessed, status_update("ended"));
  ASSERT_EQ(guessed.ended_at, now);

  auto report = report_update(CallReport{});
  report.started_at = started;
  report.ended_at = ended;
  const auto call = merged(guessed, report, "2026-11-20T16:00:00.000000");
  EXPECT_EQ(call.started_at, started);
  EXPECT_EQ(call.ended_at, ended);
}

TEST(MergeWebhookUpdate, TheServerNeverOverwritesAKnownTime) {
  auto call = known_call("in-progress");
  call.started_at = started;
  call = merged(call, status_update("ended"));
  EXPECT_EQ(call.started_at, started);
  ASSERT_EQ(call.ended_at, now);
  call = merged(call, webhook_update(), "2026-11-20T16:00:00.000000");
  EXPECT_EQ(call.ended_at, now);
}

TEST(MergeWebhookUpdate, NoStartedAtIsGuessedForACallAlreadyEnded) {
  // A late in-progress without startedAt: the server's clock would put the start after the end.
  auto call = known_call("ended");
  call.ended_at = ended;
  EXPECT_EQ(merged(call, status_update("in-progress")).started_at, std::nullopt);
}

TEST(MergeWebhookUpdate, AnEndedCallWithoutEndedAtGetsTheServersTime) {
  EXPECT_EQ(merged(known_call("ended"), webhook_update()).ended_at, now);
}

// ---- new_webhook_call ----

TEST(NewWebhookCall, TakesTheUpdatesStatusElseTheSnapshotsElseInProgress) {
  struct Case {
    std::optional<std::string> status;
    std::optional<std::string> initial_status;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"ended", "ringing", "ended"},
      {"ringing", std::nullopt, "ringing"},
      {std::nullopt, "queued", "queued"},
      {std::nullopt, std::nullopt, "in-progress"},
  };
  for (const auto& c : cases) {
    auto update = webhook_update();
    update.status = c.status;
    update.initial_status = c.initial_status;
    EXPECT_EQ(new_webhook_call(update, now).status, c.expected)
        << c.status.value_or("-") << " / " << c.initial_status.value_or("-");
  }
}

TEST(NewWebhookCall, KnowsOnlyItsKeysStatusAndCreationTime) {
  auto update = status_update("ringing");
  update.phone_number = "+14155550142";
  update.listen_url = "wss://example.test/listen";
  update.started_at = started;
  update.cost = 0.5;
  Call expected;
  expected.client_id = "demo";
  expected.id = "call-1";
  expected.status = "ringing";
  expected.created_at = now;
  expected.updated_at = now;
  const auto call = new_webhook_call(update, now);
  EXPECT_EQ(call, expected) << describe(call);
}

// ---- elapsed_seconds ----

TEST(ElapsedSeconds, IsTheTimeFromStartToEndWhenBothAreKnown) {
  struct Case {
    std::optional<std::string> started_at;
    std::optional<std::string> ended_at;
    std::optional<double> expected;
  };
  const std::vector<Case> cases = {
      {started, ended, 50.135},
      {started, started, 0.0},
      {"2026-11-20T23:59:59.500000", "2026-11-21T00:00:01.000000", 1.5},
      {std::nullopt, ended, std::nullopt},
      {started, std::nullopt, std::nullopt},
      {ended, started, std::nullopt},  // an end before the start is no duration
      {"not a time", ended, std::nullopt},
  };
  for (const auto& c : cases) {
    auto call = known_call("ended");
    call.started_at = c.started_at;
    call.ended_at = c.ended_at;
    const auto seconds = elapsed_seconds(call);
    ASSERT_EQ(seconds.has_value(), c.expected.has_value()) << describe(call);
    if (seconds) {
      EXPECT_NEAR(*seconds, *c.expected, 1e-9) << describe(call);
    }
  }
}

// ---- order does not matter ----

// One call's messages as VAPI sends them: every snapshot carries the same caller, monitor URLs and cost so
// far; call.startedAt once the call is live, endedAt once it has ended; the report has the final data.
struct Message {
  std::string name;
  CallUpdate update;
};

CallUpdate with_snapshot(CallUpdate update) {
  update.phone_number = "+14155550142";
  update.listen_url = "wss://phone-call-websocket.example.test/call-1/listen";
  update.control_url = "https://phone-call-websocket.example.test/call-1/control";
  update.cost = 0.0;
  return update;
}

std::vector<Message> one_calls_messages() {
  std::vector<Message> messages;
  for (const char* status : vapi_order) {
    auto update = with_snapshot(status_update(status));
    update.initial_status = status;
    const std::string s = status;
    if (s == "in-progress" || s == "forwarding") update.started_at = started;
    if (s == "ended") {
      update.ended_at = ended;
      update.ended_reason = "assistant-forwarded-call";
    }
    messages.push_back({"status-update " + s, update});
  }

  CallReport report;
  report.ended_reason = "customer-ended-call";
  report.summary = "The caller asked about an order.";
  report.transcript_text = "AI: Hello\nUser: Hi";
  report.messages = {{"assistant", "Hello", started}, {"user", "Hi", ended}};
  report.recording_url = "https://storage.example.test/mono.wav";
  report.stereo_recording_url = "https://storage.example.test/stereo.wav";
  report.cost = 0.0873;
  auto report_msg = with_snapshot(report_update(report));
  report_msg.initial_status = "ended";
  report_msg.started_at = started;
  report_msg.ended_at = ended;
  messages.push_back({"end-of-call-report", report_msg});

  auto transcript = with_snapshot(webhook_update());
  transcript.event_status = "transcript";
  transcript.initial_status = "in-progress";
  transcript.transcript_line = TranscriptLine{"user", "Hi", ended};
  messages.push_back({"transcript", transcript});

  auto other = with_snapshot(webhook_update());
  other.event_status = "speech-update";
  other.initial_status = "in-progress";
  messages.push_back({"speech-update", other});
  return messages;
}

bool carries_a_status(const Message& message) {
  return message.update.status.has_value();
}

TEST(MergeConvergence, AnyTwoMessagesLeaveAKnownCallTheSameInEitherOrder) {
  const auto messages = one_calls_messages();
  ASSERT_EQ(messages.size(), 9u);
  for (const auto& a : messages) {
    for (const auto& b : messages) {
      const auto ab = delivered_to(known_call("scheduled"), {&a.update, &b.update});
      const auto ba = delivered_to(known_call("scheduled"), {&b.update, &a.update});
      EXPECT_EQ(ab, ba) << a.name << " then " << b.name << ": " << describe(ab) << "\n"
                        << b.name << " then " << a.name << ": " << describe(ba);
    }
  }
}

TEST(MergeConvergence, AnyTwoStatusUpdatesOrReportsCreateTheSameCallInEitherOrder) {
  const auto messages = one_calls_messages();
  int pairs = 0;
  for (const auto& a : messages) {
    if (!carries_a_status(a)) continue;
    for (const auto& b : messages) {
      if (!carries_a_status(b)) continue;
      const auto ab = delivered({&a.update, &b.update});
      const auto ba = delivered({&b.update, &a.update});
      EXPECT_EQ(ab, ba) << a.name << " then " << b.name << ": " << describe(ab) << "\n"
                        << b.name << " then " << a.name << ": " << describe(ba);
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 7 * 7);
}

int rank_of(const Message& message) {  // a message without a status ranks as the known call: scheduled
  if (!message.update.status) return 0;
  return static_cast<int>(std::find(vapi_order.begin(), vapi_order.end(), *message.update.status) -
                          vapi_order.begin());
}

TEST(MergeConvergence, AnyTwoMessagesAgreeOnTheLaterStatus) {
  const auto messages = one_calls_messages();
  for (const auto& a : messages) {
    for (const auto& b : messages) {
      const auto ab = delivered_to(known_call("scheduled"), {&a.update, &b.update});
      EXPECT_EQ(ab.status, vapi_order[static_cast<std::size_t>(std::max(rank_of(a), rank_of(b)))])
          << a.name << " then " << b.name;
    }
  }
}

TEST(MergeConvergence, EveryDeliveryOrderOfAWholeCallLeavesTheSameCall) {
  const auto all = one_calls_messages();
  std::vector<const Message*> call;
  for (const auto& message : all) {
    const auto& name = message.name;
    if (name != "status-update scheduled" && name != "status-update queued") call.push_back(&message);
  }
  ASSERT_EQ(call.size(), 7u);  // ringing, in-progress, forwarding, ended, report, transcript, speech-update

  std::sort(call.begin(), call.end());
  std::optional<Call> first;
  int orders = 0;
  do {
    std::vector<const CallUpdate*> updates;
    std::string names;
    for (const auto* message : call) {
      updates.push_back(&message->update);
      names += message->name + ", ";
    }
    const auto result = delivered(updates);
    if (!first) {
      first = result;
      EXPECT_EQ(result.status, "ended");
      EXPECT_EQ(result.started_at, started);
      EXPECT_EQ(result.ended_at, ended);
      EXPECT_EQ(result.ended_reason, "customer-ended-call");
      EXPECT_EQ(result.cost, 0.0873);
      EXPECT_EQ(result.phone_number, "+14155550142");
    }
    ++orders;
    if (result != *first) {
      ADD_FAILURE() << "delivered as " << names << "the call is " << describe(result)
                    << "\n but the first order left " << describe(*first);
      break;
    }
  } while (std::next_permutation(call.begin(), call.end()));
  EXPECT_EQ(orders, 5040);
}

}  // namespace
}  // namespace vapidash::test
