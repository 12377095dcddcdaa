#include "cli/json_argument.hpp"

#include <fstream>
#include <sstream>

#include "vapidash/error.hpp"

namespace vapidash::cli {

namespace {
json parse_argument(const std::string& text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw invalid_input("invalid_argument", what + " is not valid JSON " + where_json_breaks(e));
  }
}
}  // namespace

json read_json_argument(const std::string& text, const char* what) {
  if (text.empty() || text.front() != '@') return parse_argument(text, what);
  std::ifstream in(text.substr(1));
  if (!in) throw invalid_input("invalid_argument", std::string(what) + ": cannot read " + text.substr(1));
  std::stringstream content;
  content << in.rdbuf();
  return parse_argument(content.str(), std::string(what) + " file " + text.substr(1));
}

}  // namespace vapidash::cli
