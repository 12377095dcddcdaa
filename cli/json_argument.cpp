#include "cli/json_argument.hpp"

#include <fstream>
#include <sstream>

#include "vapidash/error.hpp"

namespace vapidash::cli {

json read_json_argument(const std::string& text, const char* what) {
  if (text.empty() || text.front() != '@') return parse_json(text);
  std::ifstream in(text.substr(1));
  if (!in) throw invalid_input("invalid_argument", std::string(what) + ": cannot read " + text.substr(1));
  std::stringstream content;
  content << in.rdbuf();
  try {
    return parse_json(content.str());
  } catch (const invalid_input& e) {
    throw invalid_input("invalid_argument", std::string(what) + " in " + text.substr(1) + ": " + e.what());
  }
}

}  // namespace vapidash::cli
