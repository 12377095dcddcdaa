#include "support/files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vapidash::test {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace vapidash::test
