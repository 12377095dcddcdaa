#include "vapidash/client/webhook_builder.hpp"

#include "vapidash/crypto/digest.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/call_update.hpp"

namespace vapidash {

namespace {

const std::string monitor_host = "phone-call-websocket.vapi.example/";

std::int64_t epoch_ms(timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string iso(timestamp t) {
  return format_timestamp(t) + "Z";
}

json call_object(const std::string& call_id, const std::string& status, timestamp now) {
  return json{{"id", call_id},
              {"type", "inboundPhoneCall"},
              {"status", status},
              {"phoneCallProvider", "twilio"},
              {"customer", {{"number", default_phone_number}}},
              {"createdAt", iso(now)},
              {"monitor",
               {{"listenUrl", "wss://" + monitor_host + call_id + "/listen"},
                {"controlUrl", "https://" + monitor_host + call_id + "/control"}}}};
}

void add_type_defaults(json& message, const WebhookSpec& spec, timestamp now) {
  const auto& type = spec.type;
  if (type == "status-update") {
    message["status"] = spec.status.value_or("ringing");
    message["call"]["status"] = message["status"];
    if (message["status"] == "ended") message["endedReason"] = "customer-ended-call";
  } else if (type == "end-of-call-report") {
    const auto started = now - std::chrono::seconds(42);
    message["endedReason"] = "customer-ended-call";
    message["startedAt"] = iso(started);
    message["endedAt"] = iso(now);
    message["cost"] = 0.05;
    message["durationSeconds"] = 42;
    message["artifact"] = {
        {"transcript", "AI: Hello, how can I help?\nUser: Just testing the dashboard."},
        {"messages",
         json::array({{{"role", "bot"}, {"message", "Hello, how can I help?"}, {"time", epoch_ms(started)}},
                      {{"role", "user"},
                       {"message", "Just testing the dashboard."},
                       {"time", epoch_ms(started) + 3000}}})},
        {"recordingUrl", "https://storage.vapi.example/" + spec.call_id + "-mono.wav"}};
    message["analysis"] = {{"summary", "A test call sent by vapidash webhook."}};
    message["call"]["status"] = "ended";
  } else if (type == "transcript") {
    message["role"] = "user";
    message["transcriptType"] = "final";
    message["transcript"] = "Hello, this is a test call.";
  } else if (type == "speech-update") {
    message["status"] = "started";
    message["role"] = "assistant";
  } else if (type == "conversation-update") {
    message["messages"] = json::array({{{"role", "bot"}, {"message", "Hello, how can I help?"}}});
  } else if (type == "tool-calls") {
    message["toolCallList"] =
        json::array({{{"id", "tool-1"},
                      {"type", "function"},
                      {"function", {{"name", "lookup"}, {"arguments", json::object()}}}}});
  }
}

}  // namespace

const std::vector<std::string>& known_webhook_types() {
  static const std::vector<std::string> types = {
      "status-update",   "end-of-call-report",  "transcript",
      "speech-update",   "conversation-update", "hang",
      "tool-calls",      "assistant-request",   "transfer-destination-request",
      "user-interrupted"};
  return types;
}

void set_path(json& root, std::string_view path, std::string_view value) {
  if (path.empty()) throw invalid_input("invalid_argument", "--set needs a path before '='");
  json parsed;
  try {
    parsed = json::parse(value);
  } catch (const json::parse_error&) {
    parsed = std::string(value);
  }
  json* node = &root;
  while (true) {
    const auto dot = path.find('.');
    const auto key = std::string(path.substr(0, dot));
    if (key.empty())
      throw invalid_input("invalid_argument", "--set path has an empty segment: " + std::string(path));
    if (!node->is_object()) *node = json::object();
    if (dot == std::string_view::npos) {
      (*node)[key] = std::move(parsed);
      return;
    }
    node = &(*node)[key];
    path.remove_prefix(dot + 1);
  }
}

json build_webhook(const WebhookSpec& spec, timestamp now) {
  json envelope = spec.file ? *spec.file : json{{"message", json::object()}};
  if (!envelope.is_object()) throw invalid_input("invalid_argument", "--file must hold a JSON object");
  auto& message = envelope["message"];
  if (!spec.file) {
    message["type"] = spec.type;
    message["timestamp"] = epoch_ms(now);
    message["call"] = call_object(spec.call_id, "in-progress", now);
    message["customer"] = {{"number", default_phone_number}};
    add_type_defaults(message, spec, now);
  }
  for (const auto& assignment : spec.sets) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos) {
      throw invalid_input("invalid_argument", "--set wants path=value, got \"" + assignment + "\"");
    }
    auto path = std::string_view(assignment).substr(0, equals);
    if (path.rfind("message.", 0) == 0) path.remove_prefix(8);
    set_path(message, path, std::string_view(assignment).substr(equals + 1));
  }
  return envelope;
}

HeaderList webhook_secret_headers(const std::string& secret) {
  return {{"x-vapi-secret", secret}};
}

HeaderList webhook_hmac_headers(const std::string& hmac_secret, const std::string& body, timestamp now) {
  const auto stamp = std::to_string(unix_seconds(now));
  return {{"x-timestamp", stamp},
          {"x-signature", "sha256=" + hmac_sha256_hex(hmac_secret, stamp + "." + body)}};
}

}  // namespace vapidash
