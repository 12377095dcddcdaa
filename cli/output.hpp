#pragma once

#include <string>
#include <vector>

#include "cli/client_options.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::cli {

// Terminal presentation shared by the client subcommands.
class Output {
 public:
  explicit Output(const ClientOptions& options);

  bool color() const noexcept { return color_; }
  std::string status(const std::string& status) const;  // coloured by what it means
  std::string dim(const std::string& text) const;
  std::string bold(const std::string& text) const;

  void json_document(const json& document) const;
  void line(const std::string& text) const;
  void table(const std::vector<std::string>& headers,
             const std::vector<std::vector<std::string>>& rows) const;

 private:
  std::string paint(const std::string& text, const char* code) const;
  bool color_;
};

// "2025-12-10T07:05:14.195889" → "07:05:14" (today) for narrow columns; "-" for none.
std::string short_time(const std::optional<std::string>& timestamp);

}  // namespace vapidash::cli
