#include "vapidash/model/timestamp.hpp"

#include <charconv>
#include <cstdio>

namespace vapidash {

namespace {

using namespace std::chrono;

// Exactly `digits` decimal digits: no sign, no space.
bool read_int(std::string_view& text, std::size_t digits, int& out) {
  if (text.size() < digits) return false;
  for (std::size_t i = 0; i < digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const auto* end = text.data() + digits;
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec != std::errc{} || ptr != end) return false;
  text.remove_prefix(digits);
  return true;
}

bool expect(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

// Reads ".ffffff" (any number of digits, truncated to microseconds).
microseconds read_fraction(std::string_view& text) {
  if (text.empty() || text.front() != '.') return microseconds{0};
  text.remove_prefix(1);
  std::int64_t value = 0;
  int digits = 0;
  while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
    if (digits < 6) {
      value = value * 10 + (text.front() - '0');
      ++digits;
    }
    text.remove_prefix(1);
  }
  for (; digits < 6; ++digits) value *= 10;
  return microseconds{value};
}

// Reads "", "Z", or "+HH:MM" / "-HH:MM" up to 23:59; returns the offset east of UTC.
std::optional<minutes> read_offset(std::string_view& text) {
  if (text.empty()) return minutes{0};
  if (text == "Z" || text == "z") return minutes{0};
  const char sign = text.front();
  if (sign != '+' && sign != '-') return std::nullopt;
  text.remove_prefix(1);
  int hh = 0;
  int mm = 0;
  if (!read_int(text, 2, hh) || !expect(text, ':') || !read_int(text, 2, mm) || !text.empty() || hh > 23 ||
      mm > 59) {
    return std::nullopt;
  }
  const minutes offset = hours{hh} + minutes{mm};
  return sign == '+' ? offset : -offset;
}

}  // namespace

timestamp now_utc() {
  return floor<microseconds>(clock_type::now());
}

std::string format_timestamp(timestamp t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> time{t - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%06lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<long long>(time.subseconds().count()));
  return buffer;
}

std::optional<timestamp> parse_timestamp(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_int(text, 4, y) || !expect(text, '-') || !read_int(text, 2, mo) || !expect(text, '-') ||
      !read_int(text, 2, d)) {
    return std::nullopt;
  }
  if (text.empty() || (text.front() != 'T' && text.front() != ' ')) return std::nullopt;
  text.remove_prefix(1);
  if (!read_int(text, 2, h) || !expect(text, ':') || !read_int(text, 2, mi) || !expect(text, ':') ||
      !read_int(text, 2, s)) {
    return std::nullopt;
  }
  const auto fraction = read_fraction(text);
  const auto offset = read_offset(text);
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!offset || !ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const timestamp utc = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + fraction - *offset;
  // An offset can carry a time out of the four-digit years that format_timestamp writes.
  const auto utc_year = year_month_day{floor<days>(utc)}.year();
  if (utc_year < year{0} || utc_year > year{9999}) return std::nullopt;
  return utc;
}

std::int64_t unix_seconds(timestamp t) {
  return floor<seconds>(t).time_since_epoch().count();
}

}  // namespace vapidash
