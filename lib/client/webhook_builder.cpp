#include "vapidash/client/webhook_builder.hpp"

#include "vapidash/crypto/digest.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/status.hpp"
#include "vapidash/spelling.hpp"

#include <algorithm>

namespace vapidash {

namespace {

std::int64_t epoch_ms(timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Only what the type needs: anything more (a phone number, a start time) would overwrite what the call has.
void add_type_defaults(json& message, const std::string& type, const WebhookSpec& spec, timestamp now) {
  if (type == "status-update") {
    message["status"] = spec.status.value_or("ringing");
    message["call"]["status"] = message["status"];
    if (message["status"] == "ended") message["endedReason"] = "customer-ended-call";
  } else if (type == "end-of-call-report") {
    const auto spoken = now - std::chrono::seconds(5);
    message["endedReason"] = "customer-ended-call";
    message["artifact"] = {
        {"transcript", "AI: Hello, how can I help?\nUser: Just testing the dashboard."},
        {"messages",
         json::array({{{"role", "bot"}, {"message", "Hello, how can I help?"}, {"time", epoch_ms(spoken)}},
                      {{"role", "user"},
                       {"message", "Just testing the dashboard."},
                       {"time", epoch_ms(spoken) + 3000}}})}};
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

// The type the message will have: the one asked for, else the file's.
std::string effective_type(const WebhookSpec& spec) {
  if (spec.type) return *spec.type;
  if (spec.file && spec.file->is_object()) {
    const auto message = spec.file->find("message");
    if (message != spec.file->end() && message->is_object()) return message->value("type", "");
  }
  throw invalid_input("invalid_argument", "a message type is required (or a --file that has one); known: " +
                                              comma_list(known_webhook_types()));
}

void check_type_and_status(const WebhookSpec& spec) {
  if (spec.type && std::find(known_webhook_types().begin(), known_webhook_types().end(), *spec.type) ==
                       known_webhook_types().end()) {
    throw invalid_input("invalid_argument",
                        unknown_word_message("message type", *spec.type, known_webhook_types()));
  }
  const auto type = effective_type(spec);
  if (!spec.status) return;
  if (type != "status-update") {
    throw invalid_input("invalid_argument", "--status only applies to status-update, not " + type);
  }
  if (!status_rank(*spec.status)) {
    throw invalid_input("invalid_argument", unknown_word_message("status", *spec.status, known_statuses()));
  }
}

json generated_envelope(const WebhookSpec& spec, timestamp now) {
  if (!spec.call_id) throw invalid_input("invalid_argument", "a generated message needs a call id");
  json message = {{"type", *spec.type}, {"timestamp", epoch_ms(now)}, {"call", {{"id", *spec.call_id}}}};
  add_type_defaults(message, *spec.type, spec, now);
  return json{{"message", std::move(message)}};
}

// The file's message, with the type, call id and status asked for in place of its own.
json file_envelope(const WebhookSpec& spec) {
  json envelope = *spec.file;
  if (!envelope.is_object() || (envelope.contains("message") && !envelope["message"].is_object())) {
    throw invalid_input("invalid_argument", "--file must hold a {\"message\": {...}} JSON object");
  }
  auto& message = envelope["message"];
  if (spec.type) message["type"] = *spec.type;
  if (spec.call_id) set_path(message, "call.id", dump_json(json(*spec.call_id)));
  if (spec.status) {
    message["status"] = *spec.status;
    if (message.contains("call") && message["call"].is_object()) message["call"]["status"] = *spec.status;
  }
  return envelope;
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
  check_type_and_status(spec);
  json envelope = spec.file ? file_envelope(spec) : generated_envelope(spec, now);
  auto& message = envelope["message"];
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
