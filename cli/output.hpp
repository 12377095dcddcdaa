#pragma once

#include <string>
#include <vector>

#include "cli/client_options.hpp"
#include "vapidash/model/call.hpp"
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
  // To stderr, unless --quiet: a warning never changes the exit code or what scripts read on stdout.
  void warning(const std::string& text) const;
  void line(const std::string& text) const;
  void table(const std::vector<std::string>& headers,
             const std::vector<std::vector<std::string>>& rows) const;

  bool terminal() const noexcept { return terminal_; }
  void clear_screen() const;  // on a terminal: the cursor home and the screen blank, to redraw

 private:
  std::string paint(const std::string& text, const char* code) const;
  bool terminal_;
  bool color_;
  bool quiet_;
};

// A table printed a batch of rows at a time, as the pages of a long list arrive: the header once, each column
// as wide as its widest cell so far.
class TableStream {
 public:
  TableStream(const Output& out, std::vector<std::string> headers);
  void rows(const std::vector<std::vector<std::string>>& rows);
  bool empty() const noexcept { return !header_printed_; }

 private:
  void print_row(const std::vector<std::string>& cells, bool header) const;

  const Output& out_;
  std::vector<std::string> headers_;
  std::vector<std::size_t> widths_;
  bool header_printed_ = false;
};

// How much of a UTC timestamp a column shows.
enum class TimeShown {
  date_time,     // "2025-12-10 07:05:14"
  time,          // "07:05:14"
  precise_time,  // "07:05:14.195889"
};

// The one formatter of the API's timestamps for the terminal; "-" for none or one that does not parse.
std::string terminal_time(const std::optional<std::string>& timestamp, TimeShown shown);

// One rule per field, for every command that shows a call: "-" for what is not known.
std::string or_dash(const std::optional<std::string>& value);
std::string phone_text(const Call& call);
// The reported duration, else ended - started; "live" only while a started call has not ended.
std::string duration_text(const Call& call);

}  // namespace vapidash::cli
