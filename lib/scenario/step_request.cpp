#include "vapidash/scenario/step_request.hpp"

#include "vapidash/client/webhook_builder.hpp"

namespace vapidash {

json webhook_envelope(const Scenario& scenario, const json& spec, const std::string& call, timestamp now) {
  WebhookSpec webhook;
  if (spec.contains("type")) webhook.type = spec["type"].get<std::string>();
  if (spec.contains("status")) webhook.status = spec["status"].get<std::string>();
  if (spec.contains("file")) webhook.file = scenario.payloads.at(spec["file"].get<std::string>());
  webhook.call_id = spec.value("call", call);
  auto envelope = build_webhook(webhook, now);
  const auto sets = spec.value("set", json::object());
  for (const auto& [path, value] : sets.items()) set_path(envelope["message"], path, dump_json(value));
  return envelope;
}

WebhookCredential webhook_credential(const json& spec, const Credentials& credentials) {
  using Kind = WebhookCredential::Kind;
  if (spec.contains("secret")) return {Kind::secret, spec["secret"].get<std::string>()};
  if (spec.contains("hmac_secret")) return {Kind::hmac, spec["hmac_secret"].get<std::string>()};
  if (credentials.hmac_secret) return {Kind::hmac, *credentials.hmac_secret};
  if (credentials.secret) return {Kind::secret, *credentials.secret};
  return {};
}

HeaderList credential_headers(const WebhookCredential& credential, const std::string& body, timestamp now) {
  switch (credential.kind) {
    case WebhookCredential::Kind::secret:
      return webhook_secret_headers(credential.value);
    case WebhookCredential::Kind::hmac:
      return webhook_hmac_headers(credential.value, body, now);
    case WebhookCredential::Kind::none:
      break;
  }
  return {};
}

std::string step_target(const std::string& action, const json& spec, const std::string& client,
                        const std::string& call) {
  const auto tenant = spec.value("client", client);
  if (action == "webhook") return "/webhooks/vapi/" + tenant;
  if (action == "debug_call") return "/api/debug/create-test-call/" + tenant;
  const auto call_id = spec.value("call", call);
  if (action == "control") return "/api/" + tenant + "/calls/" + call_id + "/control";
  if (action == "annotate") return "/api/" + tenant + "/calls/" + call_id;
  return "/api/debug/log-status-event/" + tenant + "/" + call_id;
}

StepRequest step_request(const Scenario& scenario, const std::string& action, const json& spec,
                         const std::string& client, const std::string& call, const Credentials& credentials,
                         timestamp now) {
  StepRequest request;
  request.target = step_target(action, spec, client, call);
  if (action == "annotate") request.method = http::verb::patch;
  if (action == "webhook") {
    request.body = dump_json(webhook_envelope(scenario, spec, call, now));
    request.headers = credential_headers(webhook_credential(spec, credentials), request.body, now);
    return request;
  }
  request.body = dump_json(spec.value("body", json::object()));
  if (credentials.token) request.headers.emplace_back("authorization", "Bearer " + *credentials.token);
  return request;
}

}  // namespace vapidash
