#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/timeline.hpp"
#include "vapidash/model/call_merge.hpp"
#include "vapidash/model/timestamp.hpp"

namespace vapidash::cli {

namespace {
// Display width of UTF-8 text with colour codes: code points outside escape sequences.
std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  bool in_escape = false;
  for (const char c : text) {
    if (c == '\033') {
      in_escape = true;
    } else if (in_escape) {
      in_escape = c != 'm';
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++width;
    }
  }
  return width;
}
// no-color.org: a NO_COLOR that is present and not empty turns colour off.
bool no_color_requested() {
  const char* value = std::getenv("NO_COLOR");
  return value != nullptr && *value != '\0';
}
}  // namespace

Output::Output(const ClientOptions& options)
    : terminal_(isatty(STDOUT_FILENO) == 1),
      color_(!options.no_color && !no_color_requested() && terminal_),
      quiet_(options.quiet) {}

std::string Output::paint(const std::string& text, const char* code) const {
  return color_ ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}

std::string Output::status(const std::string& status) const {
  if (status == "ended") return paint(status, "2");
  if (status == "in-progress") return paint(status, "32");
  if (status == "ringing" || status == "queued" || status == "scheduled") return paint(status, "33");
  if (status == "forwarding") return paint(status, "36");
  return paint(status, "35");
}

std::string Output::dim(const std::string& text) const {
  return paint(text, "2");
}
std::string Output::bold(const std::string& text) const {
  return paint(text, "1");
}

void Output::json_document(const json& document) const {
  std::printf("%s\n", document.dump(2).c_str());
}

void Output::warning(const std::string& text) const {
  if (!quiet_) std::fprintf(stderr, "vapidash: warning: %s\n", text.c_str());
}

void Output::line(const std::string& text) const {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

void Output::clear_screen() const {
  if (terminal_) std::fputs("\033[H\033[2J", stdout);
}

void Output::table(const std::vector<std::string>& headers,
                   const std::vector<std::vector<std::string>>& rows) const {
  TableStream(*this, headers).rows(rows);
}

TableStream::TableStream(const Output& out, std::vector<std::string> headers)
    : out_(out), headers_(std::move(headers)) {
  for (const auto& header : headers_) widths_.push_back(display_width(header));
}

// Colour codes are not counted in a cell's width.
void TableStream::rows(const std::vector<std::vector<std::string>>& rows) {
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths_.size(); ++i) {
      widths_[i] = std::max(widths_[i], display_width(row[i]));
    }
  }
  if (!header_printed_) print_row(headers_, true);
  header_printed_ = true;
  for (const auto& row : rows) print_row(row, false);
}

void TableStream::print_row(const std::vector<std::string>& cells, bool header) const {
  std::string text;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    text += header ? out_.bold(cells[i]) : cells[i];
    if (i + 1 < cells.size()) text += std::string(widths_[i] - display_width(cells[i]) + 2, ' ');
  }
  out_.line(text);
}

std::string terminal_time(const std::optional<std::string>& timestamp, TimeShown shown) {
  const auto parsed = timestamp ? parse_timestamp(*timestamp) : std::nullopt;
  if (!parsed) return "-";
  // Re-formatted first, so the slices below always fall on "YYYY-MM-DDTHH:MM:SS.ffffff".
  const auto canonical = format_timestamp(*parsed);
  const auto date = canonical.substr(0, 10);
  const auto time = canonical.substr(11, 8);
  switch (shown) {
    case TimeShown::date_time:
      return date + " " + time;
    case TimeShown::time:
      return time;
    case TimeShown::precise_time:
      return canonical.substr(11);
  }
  return "-";
}

std::string or_dash(const std::optional<std::string>& value) {
  return value && !value->empty() ? *value : "-";
}

std::string phone_text(const Call& call) {
  return call.phone_number.empty() ? "-" : call.phone_number;
}

std::string duration_text(const Call& call) {
  if (call.duration_seconds) return format_seconds(*call.duration_seconds);
  if (const auto seconds = elapsed_seconds(call)) return format_seconds(*seconds);
  if (call.started_at && !call.ended_at && call.status != "ended") return "live";
  return "-";
}

}  // namespace vapidash::cli
