#include "vapidash/model/timestamp.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace vapidash::test {
namespace {

using namespace std::chrono;

// 2025-12-10T07:05:14.195889 UTC, docs/api.md's example timestamp.
constexpr timestamp example_time =
    sys_days{year{2025} / 12 / 10} + hours{7} + minutes{5} + seconds{14} + microseconds{195889};

TEST(FormatTimestamp, WritesTheClientsFormatExactly) {
  EXPECT_EQ(format_timestamp(example_time), "2025-12-10T07:05:14.195889");
}

TEST(FormatTimestamp, PadsEveryFieldAndKeepsZeroMicroseconds) {
  EXPECT_EQ(format_timestamp(timestamp{}), "1970-01-01T00:00:00.000000");
  EXPECT_EQ(
      format_timestamp(sys_days{year{2024} / 2 / 3} + hours{4} + minutes{5} + seconds{6} + microseconds{7}),
      "2024-02-03T04:05:06.000007");
  EXPECT_EQ(format_timestamp(sys_days{year{1999} / 12 / 31} + hours{23} + minutes{59} + seconds{59} +
                             microseconds{999999}),
            "1999-12-31T23:59:59.999999");
}

TEST(FormatTimestamp, NowIsInTheFormat) {
  const auto text = format_timestamp(now_utc());
  ASSERT_EQ(text.size(), 26u) << text;
  EXPECT_EQ(text[10], 'T') << text;
  EXPECT_EQ(text[19], '.') << text;
  EXPECT_EQ(text.find_first_of("Z+"), std::string::npos) << text;
}

TEST(ParseTimestamp, ReadsTheClientsFormat) {
  EXPECT_EQ(parse_timestamp("2025-12-10T07:05:14.195889"), example_time);
}

TEST(ParseTimestamp, ReadsVapiMillisecondsWithZ) {
  const timestamp expected =
      sys_days{year{2026} / 11 / 20} + hours{15} + minutes{43} + seconds{16} + milliseconds{145};
  EXPECT_EQ(parse_timestamp("2026-11-20T15:43:16.145Z"), expected);
  EXPECT_EQ(parse_timestamp("2026-11-20T15:43:16.145z"), expected);
}

TEST(ParseTimestamp, ReadsSecondsWithoutAFraction) {
  const timestamp expected = sys_days{year{2025} / 12 / 10} + hours{7} + minutes{5} + seconds{14};
  EXPECT_EQ(parse_timestamp("2025-12-10T07:05:14"), expected);
  EXPECT_EQ(parse_timestamp("2025-12-10T07:05:14Z"), expected);
}

TEST(ParseTimestamp, AppliesOffsetsToGetUtc) {
  EXPECT_EQ(parse_timestamp("2025-12-10T09:05:14.195889+02:00"), example_time);
  EXPECT_EQ(parse_timestamp("2025-12-10T07:05:14.195889+00:00"), example_time);
  EXPECT_EQ(parse_timestamp("2025-12-10T01:35:14.195889-05:30"), example_time);
  // An offset can move the date across midnight.
  EXPECT_EQ(parse_timestamp("2025-12-11T01:05:14.195889+18:00"), example_time);
}

TEST(ParseTimestamp, TruncatesFractionsBeyondMicroseconds) {
  EXPECT_EQ(parse_timestamp("2025-12-10T07:05:14.1958899Z"), example_time);
  EXPECT_EQ(parse_timestamp("2025-12-10T07:05:14.195889123"), example_time);
}

TEST(ParseTimestamp, AcceptsLeapDayOnlyInLeapYears) {
  EXPECT_TRUE(parse_timestamp("2024-02-29T12:00:00.000000"));
  EXPECT_FALSE(parse_timestamp("2025-02-29T12:00:00.000000"));
  EXPECT_FALSE(parse_timestamp("1900-02-29T12:00:00.000000"));
  EXPECT_TRUE(parse_timestamp("2000-02-29T12:00:00.000000"));
}

TEST(ParseTimestamp, RejectsGarbage) {
  for (const char* text :
       {"", "garbage", "2025", "2025-12-10", "2025-12-10T", "2025-12-10T07:05", "2025/12/10T07:05:14.195889",
        "2025-12-10X07:05:14.195889", "25-12-10T07:05:14", "2025-1-10T07:05:14", "2025-12-10T7:05:14",
        "2025-12-10T07:05:14.195889junk", "2025-12-10T07:05:14.195889Zjunk", "2025-12-10T07:05:14+02",
        "2025-12-10T07:05:14+0x:00", "2025-12-10T07:05:14.195889+02:00junk", " 2025-12-10T07:05:14",
        "abcd-ef-ghTij:kl:mn"}) {
    EXPECT_FALSE(parse_timestamp(text)) << '"' << text << '"';
  }
}

TEST(ParseTimestamp, RejectsImpossibleDatesAndTimes) {
  for (const char* text : {"2025-00-10T07:05:14", "2025-13-10T07:05:14", "2025-12-00T07:05:14",
                           "2025-12-32T07:05:14", "2025-04-31T07:05:14", "2025-12-10T24:00:00",
                           "2025-12-10T07:60:14", "2025-12-10T07:05:61", "2025-12-10T99:99:99"}) {
    EXPECT_FALSE(parse_timestamp(text)) << '"' << text << '"';
  }
}

TEST(ParseTimestamp, RejectsOffsetsPast23Hours59Minutes) {
  for (const char* text :
       {"2025-12-10T07:05:14+24:00", "2025-12-10T07:05:14+05:60", "9999-12-31T23:59:59-99:99"}) {
    EXPECT_FALSE(parse_timestamp(text)) << '"' << text << '"';
  }
  EXPECT_EQ(parse_timestamp("2025-12-11T06:05:14.195889+23:00"), example_time);
}

TEST(ParseTimestamp, RejectsATimeAnOffsetCarriesOutOfTheFourDigitYears) {
  // format_timestamp writes four-digit years: a time it cannot write is no time.
  for (const char* text :
       {"9999-12-31T23:30:00-01:00", "0000-01-01T00:00:00+23:59", "0000-01-01T00:00:00+00:01"}) {
    EXPECT_FALSE(parse_timestamp(text)) << '"' << text << '"';
  }
  for (const char* text : {"9999-12-31T23:59:59.999999", "0000-01-01T00:00:00.000000"}) {
    const auto parsed = parse_timestamp(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(format_timestamp(*parsed), text);
  }
}

TEST(ParseTimestamp, RejectsSignedFields) {
  // Every field is a fixed number of digits; a sign is not a digit.
  for (const char* text : {"2025-12-10T-1:05:14", "2025-12-10T07:-5:14", "2025-12-10T07:05:-4",
                           "2025--1-10T07:05:14", "2025-12--1T07:05:14", "-025-12-10T07:05:14"}) {
    EXPECT_FALSE(parse_timestamp(text)) << '"' << text << '"';
  }
}

TEST(Timestamp, FormatThenParseRoundTrips) {
  for (const timestamp t : {example_time, timestamp{}, now_utc(),
                            timestamp{sys_days{year{2038} / 1 / 19} + hours{3} + minutes{14} + seconds{8}}}) {
    const auto parsed = parse_timestamp(format_timestamp(t));
    ASSERT_TRUE(parsed) << format_timestamp(t);
    EXPECT_EQ(*parsed, t) << format_timestamp(t);
  }
}

TEST(Timestamp, ParseThenFormatNormalisesToUtc) {
  for (const char* text :
       {"2025-12-10T07:05:14.195889", "2000-01-01T00:00:00.000000", "2024-02-29T23:59:59.999999"}) {
    const auto parsed = parse_timestamp(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(format_timestamp(*parsed), text);
  }
  const auto vapi = parse_timestamp("2026-11-20T17:43:16.145+02:00");
  ASSERT_TRUE(vapi);
  EXPECT_EQ(format_timestamp(*vapi), "2026-11-20T15:43:16.145000");
}

TEST(UnixSeconds, CountsWholeSecondsSinceTheEpoch) {
  EXPECT_EQ(unix_seconds(timestamp{}), 0);
  EXPECT_EQ(unix_seconds(example_time), 1765350314);
  EXPECT_EQ(unix_seconds(*parse_timestamp("2026-11-20T15:43:16.145Z")), 1795189396);
  EXPECT_EQ(unix_seconds(*parse_timestamp("1970-01-01T00:00:01.999999")), 1);
}

TEST(UnixSeconds, RoundsDownBeforeTheEpoch) {
  EXPECT_EQ(unix_seconds(timestamp{} - microseconds{1}), -1);
  EXPECT_EQ(unix_seconds(timestamp{} - seconds{1}), -1);
}

TEST(UnixSeconds, AgreesWithTheSystemClock) {
  const auto before = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  const auto now = unix_seconds(now_utc());
  const auto after = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace vapidash::test
