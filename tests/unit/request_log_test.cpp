#include <gtest/gtest.h>

#include "vapidash/server/request_log.hpp"

namespace vapidash::test {
namespace {

using server::RequestNotes;
using server::RequestRecord;
using server::WebhookNote;

TEST(RequestLogLineTest, NamesMethodTargetStatusBytesAndDuration) {
  const RequestRecord record{"GET", "/api/demo-client/calls?limit=5", 200, 57,
                             std::chrono::microseconds(1250)};
  EXPECT_EQ(server::request_log_line(record), "GET /api/demo-client/calls?limit=5 200 57B 1.2ms");
  EXPECT_EQ(server::request_log_level(record), spdlog::level::debug);
}

TEST(RequestLogLineTest, CredentialLikeQueryValuesAreRedacted) {
  EXPECT_EQ(server::redacted_target("/ws/dashboard?client_id=acme&token=t0p-s3cret"),
            "/ws/dashboard?client_id=acme&token=REDACTED");
  EXPECT_EQ(server::redacted_target("/x?api_key=k&Secret=s&access_token=a&password=p&sig=1&flag"),
            "/x?api_key=REDACTED&Secret=REDACTED&access_token=REDACTED&password=REDACTED&sig=1&flag");
  EXPECT_EQ(server::redacted_target("/x?%74oken=t"), "/x?%74oken=REDACTED");
  EXPECT_EQ(server::redacted_target("/x?token=%zz"), "/x?REDACTED");
  EXPECT_EQ(server::redacted_target("/api/demo/calls"), "/api/demo/calls");
}

TEST(RequestLogLineTest, AWebhookSaysWhatBecameOfItAndARejectionIsInfo) {
  RequestNotes notes;
  notes.webhook = WebhookNote{"status-update", "c1", "stored", ""};
  RequestRecord record{"POST", "/webhooks/vapi/acme", 200, 61, std::chrono::microseconds(3000)};
  record.notes = &notes;
  EXPECT_EQ(server::request_log_line(record),
            "POST /webhooks/vapi/acme 200 61B 3.0ms webhook status-update call=c1 stored");
  EXPECT_EQ(server::request_log_level(record), spdlog::level::debug);

  notes.webhook = WebhookNote{"unknown", "", "rejected", "the credential is not valid"};
  record.status = 401;
  EXPECT_EQ(server::request_log_line(record),
            "POST /webhooks/vapi/acme 401 61B 3.0ms webhook unknown rejected: the credential is not valid");
  EXPECT_EQ(server::request_log_level(record), spdlog::level::info);
}

TEST(RequestLogLineTest, SenderTextCannotForgeALine) {
  RequestNotes notes;
  notes.webhook = WebhookNote{"x\n2026-01-01 info forged", "c1", "stored", ""};
  RequestRecord record{"POST", "/webhooks/vapi/acme", 200, 1, std::chrono::microseconds(0)};
  record.notes = &notes;
  const auto line = server::request_log_line(record);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_NE(line.find("x\\x0a2026"), std::string::npos) << line;
}

TEST(RequestLogLineTest, ARequestRefusedUnreadIsInfo) {
  RequestRecord record{"-", "-", 400, 90, std::chrono::microseconds(10)};
  record.refused_unread = true;
  EXPECT_EQ(server::request_log_level(record), spdlog::level::info);
}

}  // namespace
}  // namespace vapidash::test
