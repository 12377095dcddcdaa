#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vapidash/error.hpp"
#include "vapidash/load/threshold.hpp"

namespace vapidash::test {
namespace {

// The invalid_threshold message parse_threshold throws for `text`, or "" when it parses.
std::string threshold_rejection(const std::string& text) {
  try {
    parse_threshold(text);
  } catch (const invalid_input& e) {
    EXPECT_EQ(e.code(), "invalid_threshold") << text;
    return e.what();
  }
  return "";
}

std::vector<Threshold> thresholds_of(const std::vector<std::string>& texts) {
  std::vector<Threshold> thresholds;
  for (const auto& text : texts) thresholds.push_back(parse_threshold(text));
  return thresholds;
}

// ---- parsing

TEST(ThresholdParseTest, MetricOperatorAndValue) {
  const auto threshold = parse_threshold("http.p99<20ms");
  EXPECT_EQ(threshold.text, "http.p99<20ms");
  EXPECT_EQ(threshold.metric, "http.p99");
  EXPECT_EQ(threshold.op, "<");
  EXPECT_EQ(threshold.value, 20);
}

TEST(ThresholdParseTest, EveryOperator) {
  for (const std::string op : {"<", "<=", ">", ">=", "==", "!="}) {
    const auto threshold = parse_threshold("errors" + op + "3");
    EXPECT_EQ(threshold.op, op);
    EXPECT_EQ(threshold.metric, "errors");
    EXPECT_EQ(threshold.value, 3);
  }
}

TEST(ThresholdParseTest, SpacesAroundTheOperatorAndTheWholeAreAllowed) {
  const auto threshold = parse_threshold("  delivery.p99 <= 10 ms ");
  EXPECT_EQ(threshold.text, "delivery.p99 <= 10 ms");
  EXPECT_EQ(threshold.metric, "delivery.p99");
  EXPECT_EQ(threshold.op, "<=");
  EXPECT_EQ(threshold.value, 10);
  EXPECT_EQ(parse_threshold("lost\t==\t0").op, "==");
}

TEST(ThresholdParseTest, LatenciesAreStoredInMilliseconds) {
  EXPECT_EQ(parse_threshold("http.p50<250us").value, 0.25);
  EXPECT_EQ(parse_threshold("http.p50<250\u00b5s").value, 0.25);  // micro sign
  EXPECT_EQ(parse_threshold("http.p50<250\u03bcs").value, 0.25);  // Greek mu
  EXPECT_EQ(parse_threshold("http.p90<1.5s").value, 1500);
  EXPECT_EQ(parse_threshold("http.max<7ms").value, 7);
  EXPECT_EQ(parse_threshold("delivery.p999<7").value, 7) << "no unit means ms";
  EXPECT_EQ(parse_threshold("delivery.max < 0.5 s").value, 500);
}

TEST(ThresholdParseTest, ErrorRateIsAFractionOrAPercentage) {
  EXPECT_EQ(parse_threshold("error_rate<1%").value, 0.01);
  EXPECT_EQ(parse_threshold("error_rate<0.01").value, 0.01);
  EXPECT_EQ(parse_threshold("error_rate <= 7 %").value, 0.07);
  EXPECT_EQ(parse_threshold("error_rate<100%").value, 1);
}

TEST(ThresholdParseTest, CountsAndRates) {
  EXPECT_EQ(parse_threshold("rate_achieved>=900").value, 900);
  EXPECT_EQ(parse_threshold("rate_achieved>=899.5").value, 899.5);
  for (const std::string count :
       {"requests", "errors", "dropped", "lost", "duplicated", "reordered", "failed_feeds"}) {
    EXPECT_EQ(parse_threshold(count + "==0").metric, count);
  }
}

TEST(ThresholdParseTest, AnUnknownMetricIsNamedWithTheKnownOnes) {
  const auto message = threshold_rejection("http.p95<20ms");
  EXPECT_NE(message.find("unknown metric \"http.p95\""), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean http.p90?"), std::string::npos) << message;
  for (const char* known : {"requests", "failed_feeds", "rate_achieved", "error_rate", "http.p50",
                            "http.p999", "http.max", "delivery.p99", "delivery.max"}) {
    EXPECT_NE(message.find(known), std::string::npos) << known << " in " << message;
  }
  EXPECT_NE(threshold_rejection("latency<20ms").find("unknown metric \"latency\""), std::string::npos);
}

TEST(ThresholdParseTest, AMissingMetricOperatorOrValueIsNamed) {
  EXPECT_NE(threshold_rejection("<20ms").find("no metric"), std::string::npos);
  EXPECT_NE(threshold_rejection("").find("no metric"), std::string::npos);
  EXPECT_NE(threshold_rejection("errors").find("no operator"), std::string::npos);
  EXPECT_NE(threshold_rejection("errors 0").find("no operator"), std::string::npos);
  EXPECT_NE(threshold_rejection("errors==").find("no value after =="), std::string::npos);
  EXPECT_NE(threshold_rejection("errors <=  ").find("no value after <="), std::string::npos);
}

TEST(ThresholdParseTest, AnOperatorThatIsNotOneIsNamed) {
  for (const char* text : {"errors=0", "errors=<0", "errors=>0", "errors<>0", "errors!0", "errors===0"}) {
    EXPECT_NE(threshold_rejection(text).find("is not an operator"), std::string::npos) << text;
  }
}

TEST(ThresholdParseTest, AMalformedNumberIsNamed) {
  for (const char* text : {"errors==abc", "http.p99<ms", "http.p99<.ms", "errors==+1", "http.p99<nan",
                           "http.p99<inf", "rate_achieved>=1e400"}) {
    EXPECT_NE(threshold_rejection(text).find("is not a number"), std::string::npos) << text;
  }
}

TEST(ThresholdParseTest, NegativeValuesAreRejected) {
  EXPECT_NE(threshold_rejection("errors>-1").find("no measurement is negative"), std::string::npos);
  EXPECT_NE(threshold_rejection("http.p99<-5ms").find("no measurement is negative"), std::string::npos);
}

TEST(ThresholdParseTest, UnitsMustFitTheMetric) {
  EXPECT_NE(threshold_rejection("errors==0ms").find("errors is not a latency"), std::string::npos);
  EXPECT_NE(threshold_rejection("rate_achieved>=900s").find("rate_achieved is not a latency"),
            std::string::npos);
  EXPECT_NE(threshold_rejection("error_rate<1ms").find("error_rate is not a latency"), std::string::npos);
  EXPECT_NE(threshold_rejection("errors<1%").find("only error_rate takes a %"), std::string::npos);
  EXPECT_NE(threshold_rejection("rate_achieved>=90%").find("only error_rate takes a %"), std::string::npos);
  EXPECT_NE(threshold_rejection("http.p99<1%").find("\"%\" is not a unit of time"), std::string::npos);
  EXPECT_NE(threshold_rejection("http.p99<20min").find("\"min\" is not a unit of time"), std::string::npos);
  EXPECT_NE(threshold_rejection("http.p99<20MS").find("\"MS\" is not a unit of time"), std::string::npos);
}

TEST(ThresholdParseTest, TrailingJunkIsRejected) {
  EXPECT_NE(threshold_rejection("errors==0 and more").find("unexpected \"and more\""), std::string::npos);
  EXPECT_NE(threshold_rejection("error_rate<1%%").find("unexpected \"%%\""), std::string::npos);
  EXPECT_NE(threshold_rejection("errors==0x10").find("unexpected \"x10\""), std::string::npos);
  EXPECT_NE(threshold_rejection("http.p99<20ms!").find("\"ms!\" is not a unit of time"), std::string::npos);
}

TEST(ThresholdParseTest, CountsAreWholeAndErrorRateAtMostOne) {
  EXPECT_NE(threshold_rejection("errors<0.5").find("0.5 is not a whole number"), std::string::npos);
  EXPECT_NE(threshold_rejection("error_rate<5").find("at most 1"), std::string::npos);
  EXPECT_NE(threshold_rejection("error_rate<101%").find("at most 1"), std::string::npos);
}

TEST(ThresholdParseTest, EveryRejectionQuotesTheThresholdAndShowsACorrectOne) {
  const std::vector<std::pair<std::string, std::string>> rejected_with_example{
      {"errors", "errors==0"},
      {"errors=0", "errors==0"},
      {"errors==", "errors==0"},
      {"errors==abc", "errors==0"},
      {"errors==0ms", "errors==0"},
      {"rate_achieved>=90%", "rate_achieved>=900"},
      {"error_rate<1ms", "error_rate<1%"},
      {"http.p99<20min", "http.p99<20ms"},
      {"delivery.p50<x", "delivery.p50<20ms"},
      {"<20ms", "http.p99<20ms"},
  };
  for (const auto& [text, example] : rejected_with_example) {
    const auto message = threshold_rejection(text);
    EXPECT_EQ(message.rfind("threshold \"" + text + "\": ", 0), 0u) << message;
    EXPECT_NE(message.find("write it like " + example), std::string::npos) << message;
  }
}

// ---- evaluation

const json load_summary_for_tests{
    {"requests", 1000},
    {"errors", 3},
    {"dropped", 0},
    {"lost", 0},
    {"duplicated", 0},
    {"reordered", 0},
    {"failed_feeds", 0},
    {"rate_achieved", 897.25},
    {"error_rate", 0.003},
    {"http", {{"p50", 4.2}, {"p90", 9.87}, {"p99", 31.4}, {"p999", 120.55}, {"max", 1234.6}}},
    {"delivery", nullptr},
};

TEST(ThresholdEvaluationTest, ThresholdsThatHoldReportNothing) {
  const auto thresholds = thresholds_of({"http.p99<40ms", "http.p99<=31.4", "http.max<2s", "errors<=3",
                                         "errors!=0", "lost==0", "rate_achieved>=897", "error_rate<1%",
                                         "error_rate>0", "requests>999", "http.p50>=4200us"});
  EXPECT_EQ(violated(thresholds, load_summary_for_tests), std::vector<std::string>{});
}

TEST(ThresholdEvaluationTest, AViolationSaysWhatWasMeasured) {
  const auto thresholds =
      thresholds_of({"http.p99<20ms", "errors==0", "rate_achieved >= 900", "error_rate<0.1%", "http.max<1s",
                     "http.p50<4ms", "http.p999<=0.1s", "requests!=1000", "lost>0"});
  EXPECT_EQ(violated(thresholds, load_summary_for_tests), (std::vector<std::string>{
                                                              "http.p99<20ms: measured 31.4 ms",
                                                              "errors==0: measured 3",
                                                              "rate_achieved >= 900: measured 897/s",
                                                              "error_rate<0.1%: measured 0.003 (0.3%)",
                                                              "http.max<1s: measured 1235 ms",
                                                              "http.p50<4ms: measured 4.2 ms",
                                                              "http.p999<=0.1s: measured 121 ms",
                                                              "requests!=1000: measured 1000",
                                                              "lost>0: measured 0",
                                                          }));
}

TEST(ThresholdEvaluationTest, SmallLatenciesKeepThreeSignificantDigits) {
  const json summary{{"http", {{"p99", 0.0523}, {"p50", 0.5}, {"max", 20.0}}}};
  EXPECT_EQ(violated(thresholds_of({"http.p99<10us", "http.p50<100us", "http.max<5ms"}), summary),
            (std::vector<std::string>{"http.p99<10us: measured 0.0523 ms", "http.p50<100us: measured 0.5 ms",
                                      "http.max<5ms: measured 20 ms"}));
}

TEST(ThresholdEvaluationTest, AMetricAbsentOrNullWasNotMeasuredAndFails) {
  const json summary{{"errors", 0}, {"delivery", nullptr}, {"http", {{"p99", nullptr}}}};
  const auto thresholds =
      thresholds_of({"delivery.p99<10ms", "http.p99<20ms", "http.p50<20ms", "lost==0", "errors==0"});
  EXPECT_EQ(violated(thresholds, summary),
            (std::vector<std::string>{
                "delivery.p99<10ms: not measured (were no dashboards connected?)",
                "http.p99<20ms: not measured (did no request complete?)",
                "http.p50<20ms: not measured (did no request complete?)",
                "lost==0: not measured (not in the summary)",
            }));
  EXPECT_EQ(violated(thresholds_of({"errors==0"}), json::object()).size(), 1u);
}

TEST(ThresholdEvaluationTest, NoThresholdsNothingViolated) {
  EXPECT_TRUE(violated({}, load_summary_for_tests).empty());
}

}  // namespace
}  // namespace vapidash::test
