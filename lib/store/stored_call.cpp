#include "vapidash/store/stored_call.hpp"

#include "vapidash/wire/json.hpp"

namespace vapidash {

std::optional<std::string> stored_tags(const Call& call) {
  if (call.tags.empty()) return std::nullopt;
  return dump_json(json(call.tags));
}

std::vector<std::string> tags_from_stored(const std::optional<std::string>& stored) {
  if (!stored) return {};
  return json::parse(*stored).get<std::vector<std::string>>();
}

PayloadForm payload_form_from_stored(std::int64_t column) {
  switch (column) {
    case static_cast<std::int64_t>(PayloadForm::compact):
      return PayloadForm::compact;
    case static_cast<std::int64_t>(PayloadForm::none):
      return PayloadForm::none;
    default:
      return PayloadForm::full;
  }
}

}  // namespace vapidash
