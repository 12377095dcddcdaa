#include "vapidash/vapi/control_request.hpp"

#include <gtest/gtest.h>

#include "vapidash/error.hpp"
#include "vapidash/wire/annotation_request.hpp"

namespace vapidash::test {
namespace {

TEST(ControlRequest, EachOfVapisControlBodiesIsAcceptedAsSentAndNamedForTheTimeline) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"type": "say", "content": "Hi", "endCallAfterSpoken": true})", "say"},
      {R"({"type": "end-call"})", "end-call"},
      {R"({"type": "transfer", "destination": {"type": "number", "number": "+15551234567"}, "content": "One moment"})",
       "transfer"},
      {R"({"type": "transfer", "destination": {"type": "sip", "sipUri": "sip:agent@example.com"}})",
       "transfer"},
      {R"({"type": "add-message", "message": {"role": "system", "content": "VIP"}, "triggerResponseEnabled": false})",
       "add-message"},
      {R"({"type": "control", "control": "mute-assistant"})", "mute-assistant"},
      {R"({"type": "control", "control": "unmute-assistant"})", "unmute-assistant"},
  };
  for (const auto& [body, action] : cases) {
    const auto request = parse_control_request(body);
    EXPECT_EQ(request.action, action) << body;
    EXPECT_EQ(request.body, json::parse(body)) << body;
  }
}

TEST(ControlRequest, AnythingElseIsRefusedNamingWhatIsWrong) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"content": "Hi"})", "\"type\""},
      {R"({"type": "say", "content": "   "})", "\"content\""},
      {R"({"type": "say", "content": "Hi", "voice": "x"})", "\"voice\""},
      {R"({"type": "transfer", "destination": {"type": "number", "number": "15551234567"}})", "E.164"},
      {R"({"type": "transfer", "destination": {"type": "carrier-pigeon"}})", "destination.type"},
      {R"({"type": "add-message", "message": "hello"})", "\"message\""},
      {R"({"type": "control", "control": "mute-customer"})", "mute-assistant"},
  };
  for (const auto& [body, named] : cases) {
    try {
      parse_control_request(body);
      ADD_FAILURE() << "accepted " << body;
    } catch (const invalid_input& e) {
      EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << body << ": " << e.what();
    }
  }
}

TEST(ControlRequest, AForceTransferBecomesATransferToTheAgentsNumber) {
  const auto request =
      parse_force_transfer(R"({"agent_phone_number": "+15550001111", "content": "Hold on"})");
  EXPECT_EQ(request.action, "transfer");
  EXPECT_EQ(request.body, json::parse(R"({"type": "transfer", "destination": {"type": "number",
      "number": "+15550001111"}, "content": "Hold on"})"));
  EXPECT_THROW(parse_force_transfer(R"({"agent_phone_number": "tomorrow"})"), invalid_input);
}

TEST(CallAnnotations, PresentFieldsChangeAndNullOrEmptyClears) {
  const auto annotations = parse_call_annotations(R"({"notes": null, "tags": ["a", "b"]})");
  EXPECT_EQ(annotations.notes, "");
  EXPECT_FALSE(annotations.disposition.has_value());
  EXPECT_EQ(annotations.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse_call_annotations(R"({"tags": []})").tags, std::vector<std::string>{});
  EXPECT_THROW(parse_call_annotations("{}"), invalid_input);
}

}  // namespace
}  // namespace vapidash::test
