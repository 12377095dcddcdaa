#include <charconv>

#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/model/timestamp.hpp"
#include "vapidash/server/handlers.hpp"
#include "vapidash/server/list_pages.hpp"
#include "vapidash/server/request_fields.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/server/store_responses.hpp"
#include "vapidash/wire/annotation_request.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::server {

namespace {

std::optional<std::int64_t> limit_param(const RouteContext& ctx) {
  const auto text = query_param(ctx.url, "limit");
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || ptr != text->data() + text->size() || value < 1 || value > 10000) {
    throw invalid_input("invalid_field",
                        "\"limit\" must be an integer from 1 to 10000, got \"" + *text + "\"");
  }
  return value;
}

// `before` is a created_at cursor; any ISO-8601 form is accepted and compared in the stored format.
std::optional<std::string> before_param(const RouteContext& ctx) {
  const auto text = query_param(ctx.url, "before");
  if (!text) return std::nullopt;
  const auto parsed = parse_timestamp(*text);
  if (!parsed) {
    throw invalid_input(
        "invalid_field",
        "\"before\" must be a timestamp like 2025-12-10T07:05:14.195889, got \"" + *text + "\"");
  }
  return format_timestamp(*parsed);
}

// Breaks ties on `before`: calls created in the same microsecond are paged in list order, after this call.
std::optional<std::string> before_id_param(const RouteContext& ctx,
                                           const std::optional<std::string>& before) {
  auto before_id = query_param(ctx.url, "before_id");
  if (!before_id) return std::nullopt;
  if (!before) {
    throw invalid_input("invalid_field",
                        "\"before_id\" needs \"before\": pass the last row's created_at and id");
  }
  require_identifier("before_id", *before_id);
  return before_id;
}

std::optional<std::string> status_param(const RouteContext& ctx) {
  auto status = query_param(ctx.url, "status");
  if (status && status->empty()) throw invalid_input("invalid_field", "\"status\" must not be empty");
  return status;
}

Response no_such_call(const std::string& client_id, const std::string& call_id) {
  return error_response(http::status::not_found, "not_found",
                        "tenant " + client_id + " has no call " + call_id);
}

// What an annotation changed, for its timeline entry.
json annotation_changes(const CallAnnotations& annotations) {
  auto changes = json::object();
  if (annotations.notes) changes["notes"] = *annotations.notes;
  if (annotations.disposition) changes["disposition"] = *annotations.disposition;
  if (annotations.tags) changes["tags"] = *annotations.tags;
  return changes;
}

json annotated_body(const CallUpdateOutcome& outcome) {
  const auto& call = outcome.call;
  if (outcome.call_missing) return json{{"ok", false}, {"call_id", call.id}, {"missing", true}};
  return json{{"ok", true},
              {"call_id", call.id},
              {"notes", nullable(call.notes)},
              {"disposition", nullable(call.disposition)},
              {"tags", call.tags},
              {"status_event_id", outcome.status_event_id}};
}

}  // namespace

void list_calls(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  CallQuery query{ctx.param("client_id"), limit_param(ctx), status_param(ctx), before_param(ctx)};
  query.before_id = before_id_param(ctx, query.before);
  respond(streamed_response(http::status::ok, "application/json",
                            json_array_body(call_pages(app.store, std::move(query)))));
}

void call_detail(AppContext& app, const RouteContext& ctx, Respond respond) {
  require_tenant_access(app, ctx);
  const auto& client_id = ctx.param("client_id");
  const auto& call_id = ctx.param("call_id");
  const auto detail = app.store.find_call_detail(client_id, call_id);
  if (!detail) return respond(no_such_call(client_id, call_id));
  respond(json_response(http::status::ok, json(*detail)));
}

void annotate_call(AppContext& app, const RouteContext& ctx, Respond respond) {
  const auto reader = require_tenant_access(app, ctx);
  const auto& client_id = ctx.param("client_id");
  const auto& call_id = ctx.param("call_id");
  auto annotations = parse_call_annotations(ctx.request.body());
  if (!app.store.find_call(client_id, call_id)) return respond(no_such_call(client_id, call_id));
  CallUpdate update;
  update.client_id = client_id;
  update.call_id = call_id;
  update.source = UpdateSource::annotation;
  update.event_payload =
      json{{"by", reader_name(reader, client_id)}, {"changes", annotation_changes(annotations)}};
  update.annotations = std::move(annotations);
  store_call_update(app, std::move(update), "annotation", annotated_body, std::move(respond));
}

}  // namespace vapidash::server
