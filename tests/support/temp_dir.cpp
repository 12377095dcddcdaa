#include "support/temp_dir.hpp"

#include <cstdlib>
#include <stdexcept>

namespace vapidash::test {

TempDir::TempDir() {
  auto pattern = (std::filesystem::temp_directory_path() / "vapidash-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace vapidash::test
