#include "vapidash/wire/error_body.hpp"

namespace vapidash {

json error_body(std::string_view code, std::string_view message) {
  return json{{"ok", false}, {"error", {{"code", code}, {"message", message}}}};
}

}  // namespace vapidash
