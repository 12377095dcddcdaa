#include <gtest/gtest.h>

#include "vapidash/error.hpp"
#include "vapidash/server/cors.hpp"

namespace vapidash::test {
namespace {

using server::CorsPolicy;
using server::parse_cors_origins;

TEST(CorsPolicyTest, StarIsAnyOriginAndNoneTurnsCorsOff) {
  EXPECT_EQ(parse_cors_origins("*").mode, CorsPolicy::Mode::any);
  EXPECT_EQ(parse_cors_origins(" * ").mode, CorsPolicy::Mode::any);
  EXPECT_EQ(parse_cors_origins("none").mode, CorsPolicy::Mode::off);
  EXPECT_EQ(parse_cors_origins("NONE").mode, CorsPolicy::Mode::off);
}

TEST(CorsPolicyTest, AListIsNormalisedAsBrowsersSendOrigin) {
  const auto policy =
      parse_cors_origins("HTTPS://Dash.Example.com/, http://localhost:5173,https://a.test:443");
  EXPECT_EQ(policy.mode, CorsPolicy::Mode::listed);
  EXPECT_EQ(policy.origins, (std::vector<std::string>{"https://dash.example.com", "http://localhost:5173",
                                                      "https://a.test"}));
  EXPECT_EQ(server::describe(policy), "https://dash.example.com, http://localhost:5173, https://a.test");
}

TEST(CorsPolicyTest, AnythingButOriginsIsRefusedNamingTheEntry) {
  for (const char* bad :
       {"", "dash.example.com", "ftp://files.example.com", "https://a.test/app", "https://a.test?x=1",
        "https://a.test,,https://b.test", "https://a.test,*", "null"}) {
    try {
      parse_cors_origins(bad);
      ADD_FAILURE() << "\"" << bad << "\" was accepted";
    } catch (const invalid_input& e) {
      EXPECT_EQ(e.code(), "invalid_cors_origins");
      EXPECT_NE(std::string(e.what()).find("--cors-origins"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace vapidash::test
