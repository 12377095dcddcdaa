#include "support/serve_banner.hpp"

#include <regex>
#include <stdexcept>

namespace vapidash::test {

Endpoint served_endpoint(const std::string& banner_line) {
  std::smatch match;
  if (!std::regex_search(banner_line, match, std::regex(R"(http://([0-9.]+):(\d+))"))) {
    throw std::runtime_error("no address in: " + banner_line);
  }
  return Endpoint{match[1], static_cast<std::uint16_t>(std::stoi(match[2]))};
}

}  // namespace vapidash::test
