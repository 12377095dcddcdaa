#include <fstream>
#include <set>
#include <sstream>

#include "vapidash/auth/access.hpp"
#include "vapidash/error.hpp"
#include "vapidash/model/identifier.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

namespace {

[[noreturn]] void malformed(const std::string& path, const std::string& what) {
  throw error("tenants file " + path + ": " + what + " (see the README's \"Tenants and secrets\")");
}

// A credential is a non-empty string, or an array of them (several at once, for rotation).
std::vector<std::string> credentials(const std::string& path, const std::string& where, const json& value) {
  std::vector<std::string> out;
  const auto add = [&](const json& item) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      malformed(path, where + " must be a non-empty string or an array of them");
    }
    out.push_back(item.get<std::string>());
  };
  if (value.is_array()) {
    if (value.empty()) malformed(path, where + " must not be an empty list");
    for (const auto& item : value) add(item);
  } else {
    add(value);
  }
  return out;
}

TenantAccess read_tenant(const std::string& path, const std::string& name, const json& entry) {
  if (!entry.is_object()) malformed(path, "tenant \"" + name + "\" must be an object");
  TenantAccess tenant;
  for (const auto& [key, value] : entry.items()) {
    const auto where = "tenants." + name + "." + key;
    if (key == "webhook_secret") {
      tenant.webhook_secrets = credentials(path, where, value);
    } else if (key == "bearer_token") {
      tenant.bearer_tokens = credentials(path, where, value);
    } else if (key == "hmac_secret") {
      tenant.hmac_secrets = credentials(path, where, value);
    } else if (key == "dashboard_token") {
      tenant.dashboard_token = credentials(path, where, value).at(0);
    } else if (key == "webhooks") {
      if (value != "open" && value != "closed") malformed(path, where + " must be \"open\" or \"closed\"");
      tenant.webhooks_closed = value == "closed";
    } else {
      malformed(path,
                "unknown key " + where +
                    "; expected webhook_secret, bearer_token, hmac_secret, dashboard_token or webhooks");
    }
  }
  return tenant;
}

}  // namespace

AccessConfig load_tenants_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) malformed(path, "cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  json root;
  try {
    root = parse_json(text.str());
  } catch (const invalid_input& e) {
    malformed(path, e.what());
  }
  if (!root.is_object()) malformed(path, "must be a JSON object {\"tenants\": {...}}");
  AccessConfig config;
  for (const auto& [key, value] : root.items()) {
    if (key == "admin_token") {
      config.admin_token = credentials(path, "admin_token", value).at(0);
    } else if (key == "tenants") {
      if (!value.is_object()) malformed(path, "\"tenants\" must be an object keyed by client_id");
      for (const auto& [name, entry] : value.items()) {
        if (!is_valid_identifier(name)) malformed(path, "\"" + name + "\" is not a valid client_id");
        config.tenants.emplace(name, read_tenant(path, name, entry));
      }
    } else {
      malformed(path, "unknown key \"" + key + "\"; expected \"tenants\" and optionally \"admin_token\"");
    }
  }
  return config;
}

}  // namespace vapidash
