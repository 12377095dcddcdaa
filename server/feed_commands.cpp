#include "vapidash/server/feed_commands.hpp"

#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::server {

namespace {

struct WatchRequest {
  std::string type;
  std::string client_id;
  std::string call_id;
};

std::string text_field(const json& request, const char* name) {
  const auto found = request.find(name);
  if (found == request.end() || found->is_null()) return {};
  if (!found->is_string())
    throw invalid_input("invalid_field", std::string("\"") + name + "\" must be a string");
  return found->get<std::string>();
}

// The tenant of a request: the feed's own, or on the all-tenants feed the one the request names.
std::string tenant_of(const json& request, const FeedScope& scope) {
  auto client_id = text_field(request, "clientId");
  if (scope.client_id) {
    if (!client_id.empty() && client_id != *scope.client_id) {
      throw access_denied(403, "forbidden",
                          "this feed shows tenant " + *scope.client_id + ": it cannot watch tenant " +
                              client_id + "'s calls");
    }
    return *scope.client_id;
  }
  if (client_id.empty()) {
    throw invalid_input("missing_field", "\"clientId\" is required on the all-tenants feed");
  }
  require_identifier("clientId", client_id);
  return client_id;
}

WatchRequest read_request(std::string_view text, const FeedScope& scope) {
  json request;
  try {
    request = parse_json(text);
  } catch (const error&) {
    throw invalid_input("invalid_json",
                        "a feed request must be a JSON object like "
                        "{\"type\": \"subscribe\", \"callId\": \"...\"}");
  }
  if (!request.is_object()) throw invalid_input("invalid_json", "a feed request must be a JSON object");
  auto type = text_field(request, "type");
  if (type != "subscribe" && type != "unsubscribe") {
    throw invalid_input("invalid_field",
                        "\"type\" must be \"subscribe\" or \"unsubscribe\", got \"" + type + "\"");
  }
  auto call_id = text_field(request, "callId");
  if (call_id.empty()) throw invalid_input("missing_field", "\"callId\" is required");
  require_identifier("callId", call_id);
  return WatchRequest{std::move(type), tenant_of(request, scope), std::move(call_id)};
}

json final_lines(const std::vector<TranscriptLine>& lines) {
  auto out = json::array();
  for (const auto& line : lines) {
    auto entry = json(line);
    entry["final"] = true;
    out.push_back(std::move(entry));
  }
  return out;
}

// Watching starts before the stored lines are read, so no line committed meanwhile is missed; one may come
// twice, which fullTranscript (the whole text each time) makes harmless.
json subscribe(AppContext& app, const Subscriber& feed, const WatchRequest& request) {
  if (!app.store.find_call(request.client_id, request.call_id)) {
    throw invalid_input("not_found", "tenant " + request.client_id + " has no call " + request.call_id);
  }
  if (!app.hub.watch(&feed, request.client_id, request.call_id)) {
    throw invalid_input("too_many_subscriptions", "a feed may watch at most " +
                                                      std::to_string(BroadcastHub::max_watched_calls) +
                                                      " calls: unsubscribe from one first");
  }
  const auto detail = app.store.find_call_detail(request.client_id, request.call_id);
  const auto lines = detail ? detail->transcript : std::vector<TranscriptLine>{};
  return json{{"type", "subscribed"},
              {"clientId", request.client_id},
              {"callId", request.call_id},
              {"fullTranscript", full_transcript_text(lines)},
              {"transcript", final_lines(lines)}};
}

json refusal(const std::string& code, const std::string& message) {
  return json{{"type", "error"}, {"error", code}, {"message", message}};
}

}  // namespace

std::string answer_feed_request(AppContext& app, const Subscriber& feed, const FeedScope& scope,
                                std::string_view text) {
  try {
    const auto request = read_request(text, scope);
    if (request.type == "unsubscribe") {
      app.hub.unwatch(&feed, request.client_id, request.call_id);
      return dump_json(
          json{{"type", "unsubscribed"}, {"clientId", request.client_id}, {"callId", request.call_id}});
    }
    return dump_json(subscribe(app, feed, request));
  } catch (const invalid_input& e) {
    return dump_json(refusal(e.code(), e.what()));
  } catch (const access_denied& e) {
    return dump_json(refusal(e.code(), e.what()));
  }
}

}  // namespace vapidash::server
