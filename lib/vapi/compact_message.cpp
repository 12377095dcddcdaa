#include "vapidash/vapi/compact_message.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace vapidash {

namespace {

using json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 4> configuration_keys{"assistant", "squad", "phoneNumber",
                                                             "inboundPhoneCallDebuggingArtifacts"};
constexpr std::array<std::string_view, 2> conversation_so_far{"messages", "messagesOpenAIFormatted"};

template <std::size_t N>
bool is_one_of(std::string_view key, const std::array<std::string_view, N>& keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool is_type(const json& message, std::string_view type) {
  const auto it = message.find("type");
  return it != message.end() && it->is_string() && it->get_ref<const std::string&>() == type;
}

json call_identity(const json& call) {
  if (!call.is_object()) return call;
  json identity = json::object();
  if (const auto id = call.find("id"); id != call.end()) identity["id"] = *id;
  return identity;
}

json artifact_without_conversation(const json& artifact) {
  if (!artifact.is_object()) return artifact;
  json kept = json::object();
  for (const auto& [key, value] : artifact.items()) {
    if (!is_one_of(key, conversation_so_far)) kept[key] = value;
  }
  return kept;
}

json last_entry_only(const json& list) {
  if (!list.is_array() || list.size() <= 1) return list;
  return json::array({list.back()});
}

// Copies one field of a message into its compact form, shortened or not at all.
void keep_compact(json& compact, const std::string& key, const json& value, bool end_of_call_report,
                  bool conversation_update) {
  if (is_one_of(key, configuration_keys)) return;
  if (key == "call") {
    compact[key] = call_identity(value);
  } else if (key == "artifact" && !end_of_call_report) {
    auto artifact = artifact_without_conversation(value);
    if (!artifact.is_object() || !artifact.empty()) compact[key] = std::move(artifact);
  } else if (conversation_update && key == "messagesOpenAIFormatted") {
    return;
  } else if (conversation_update && (key == "messages" || key == "conversation")) {
    compact[key] = last_entry_only(value);
  } else {
    compact[key] = value;
  }
}

}  // namespace

json compact_message(const json& message) {
  if (!message.is_object()) return message;
  const bool end_of_call_report = is_type(message, "end-of-call-report");
  const bool conversation_update = is_type(message, "conversation-update");
  json compact = json::object();
  for (const auto& [key, value] : message.items()) {
    keep_compact(compact, key, value, end_of_call_report, conversation_update);
  }
  return compact;
}

json message_type_only(const json& message) {
  json only = json::object();
  if (message.is_object()) {
    if (const auto type = message.find("type"); type != message.end()) only["type"] = *type;
  }
  return only;
}

}  // namespace vapidash
