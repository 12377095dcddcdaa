#include "vapidash/net/endpoint.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

template <class Parsed>
::testing::AssertionResult throws_code(const std::string& code, Parsed (*parse)(std::string_view),
                                       std::string_view text) {
  try {
    const auto endpoint = parse(text);
    return ::testing::AssertionFailure()
           << '"' << text << "\" was accepted as " << endpoint.host << " port " << endpoint.port;
  } catch (const invalid_input& e) {
    if (e.code() == code) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << '"' << text << "\" gave code " << e.code() << ", expected " << code;
  }
}

TEST(Endpoint, DefaultsToTheDocumentedBaseUrl) {
  EXPECT_EQ(Endpoint{}.url(), "http://127.0.0.1:8000");
}

TEST(Endpoint, UrlJoinsHostAndPort) {
  EXPECT_EQ((Endpoint{"localhost", 9000}.url()), "http://localhost:9000");
  EXPECT_EQ((Endpoint{"0.0.0.0", 0}.url()), "http://0.0.0.0:0");
  EXPECT_EQ((Endpoint{"example.com", 65535}.url()), "http://example.com:65535");
}

TEST(Endpoint, UrlBracketsAnIpv6Host) {
  EXPECT_EQ((Endpoint{"::1", 8080}.url()), "http://[::1]:8080");
}

TEST(ParseServerUrl, ReadsTheDefaultBaseUrl) {
  const auto endpoint = parse_server_url("http://127.0.0.1:8000");
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.port, 8000);
}

TEST(ParseServerUrl, AcceptsATrailingSlash) {
  const auto endpoint = parse_server_url("http://localhost:9000/");
  EXPECT_EQ(endpoint.host, "localhost");
  EXPECT_EQ(endpoint.port, 9000);
}

TEST(ParseServerUrl, AcceptsHostAndPortWithoutAScheme) {
  const auto endpoint = parse_server_url("localhost:9000");
  EXPECT_EQ(endpoint.host, "localhost");
  EXPECT_EQ(endpoint.port, 9000);
}

TEST(ParseServerUrl, DefaultsThePortTo80) {
  const auto endpoint = parse_server_url("http://example.com");
  EXPECT_EQ(endpoint.host, "example.com");
  EXPECT_EQ(endpoint.port, 80);
}

TEST(ParseServerUrl, ReadsAnIpv6Host) {
  const auto endpoint = parse_server_url("http://[::1]:8080");
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, 8080);
}

TEST(ParseServerUrl, AcceptsTheWholePortRange) {
  EXPECT_EQ(parse_server_url("http://127.0.0.1:0").port, 0);
  EXPECT_EQ(parse_server_url("http://127.0.0.1:65535").port, 65535);
}

TEST(ParseServerUrl, RoundTripsThroughUrl) {
  for (const Endpoint& endpoint :
       {Endpoint{}, Endpoint{"localhost", 9000}, Endpoint{"::1", 8080}, Endpoint{"10.1.2.3", 1}}) {
    const auto back = parse_server_url(endpoint.url());
    EXPECT_EQ(back.host, endpoint.host) << endpoint.url();
    EXPECT_EQ(back.port, endpoint.port) << endpoint.url();
  }
}

TEST(ParseServerUrl, PlainHttpHasNoTlsAndNoPrefix) {
  const auto server = parse_server_url("http://127.0.0.1:8000/");
  EXPECT_FALSE(server.tls);
  EXPECT_EQ(server.prefix, "");
  EXPECT_EQ(server.url(), "http://127.0.0.1:8000");
}

TEST(ParseServerUrl, ReadsHttpsWithItsDefaultPort443) {
  const auto server = parse_server_url("https://dash.example.com");
  EXPECT_TRUE(server.tls);
  EXPECT_EQ(server.host, "dash.example.com");
  EXPECT_EQ(server.port, 443);
  EXPECT_EQ(server.url(), "https://dash.example.com:443");
}

TEST(ParseServerUrl, SchemesAreCaseInsensitive) {
  EXPECT_TRUE(parse_server_url("HTTPS://dash.example.com:8443").tls);
  EXPECT_FALSE(parse_server_url("Http://dash.example.com").tls);
}

TEST(ParseServerUrl, APathIsThePrefixOfEveryTarget) {
  const auto server = parse_server_url("https://example.com/team/vapidash/");
  EXPECT_EQ(server.prefix, "/team/vapidash");
  EXPECT_EQ(server.target("/api/demo/calls"), "/team/vapidash/api/demo/calls");
  EXPECT_EQ(server.url(), "https://example.com:443/team/vapidash");
  EXPECT_EQ(parse_server_url("http://localhost:9000/vapidash").target("/ws/dashboard"),
            "/vapidash/ws/dashboard");
  EXPECT_EQ(parse_server_url("localhost:9000/x").prefix, "/x");
}

TEST(ParseServerUrl, APrefixKeepsItsPercentEncoding) {
  EXPECT_EQ(parse_server_url("http://example.com/a%20b").prefix, "/a%20b");
}

TEST(ParseServerUrl, RoundTripsAnHttpsUrlWithAPrefix) {
  const auto back = parse_server_url(parse_server_url("https://[::1]:8443/p/q").url());
  EXPECT_TRUE(back.tls);
  EXPECT_EQ(back.host, "::1");
  EXPECT_EQ(back.port, 8443);
  EXPECT_EQ(back.prefix, "/p/q");
}

TEST(ParseServerUrl, RejectsQueriesFragmentsAndCredentials) {
  for (const char* text :
       {"https://example.com/?x=1", "http://example.com/p#top", "https://user:pw@example.com"}) {
    EXPECT_TRUE(throws_code("invalid_url", parse_server_url, text));
  }
}

TEST(ServerUrl, HostHeaderOmitsTheSchemesDefaultPort) {
  EXPECT_EQ(parse_server_url("https://example.com").host_header(), "example.com");
  EXPECT_EQ(parse_server_url("http://example.com").host_header(), "example.com");
  EXPECT_EQ(parse_server_url("https://example.com:80").host_header(), "example.com:80");
  EXPECT_EQ(parse_server_url("http://[::1]:8000").host_header(), "[::1]:8000");
}

TEST(ServerUrl, FromAnEndpointIsPlainHttpThere) {
  const ServerUrl server(Endpoint{"::1", 8080});
  EXPECT_FALSE(server.tls);
  EXPECT_EQ(server.url(), Endpoint({"::1", 8080}).url());
}

TEST(ParseServerUrl, RejectsOtherSchemes) {
  EXPECT_TRUE(throws_code("invalid_url", parse_server_url, "ftp://x"));
  EXPECT_TRUE(throws_code("invalid_url", parse_server_url, "ftp://127.0.0.1:8000"));
  EXPECT_TRUE(throws_code("invalid_url", parse_server_url, "ws://127.0.0.1:8000"));
  EXPECT_TRUE(throws_code("invalid_url", parse_server_url, "wss://127.0.0.1:8000"));
}

TEST(ParseServerUrl, RejectsGarbage) {
  for (const char* text : {"", "http://", "http://:8000", "not a url", "http://local host:8000", "://x",
                           "http://127.0.0.1:port", "http://127.0.0.1:-1"}) {
    EXPECT_TRUE(throws_code("invalid_url", parse_server_url, text));
  }
}

TEST(ParseServerUrl, RejectsCharactersGluedToThePort) {
  // A typo in the port must not silently connect to another port ("8o" is not port 8).
  for (const char* text : {"http://127.0.0.1:80x", "http://127.0.0.1:8o", "localhost:9000abc"}) {
    EXPECT_TRUE(throws_code("invalid_url", parse_server_url, text));
  }
}

TEST(ParseServerUrl, RejectsPortsAbove65535) {
  EXPECT_TRUE(throws_code("invalid_url", parse_server_url, "http://127.0.0.1:65536"));
  EXPECT_TRUE(throws_code("invalid_url", parse_server_url, "http://127.0.0.1:99999999999"));
  EXPECT_TRUE(throws_code("invalid_url", parse_server_url, "localhost:70000"));
}

TEST(ParseListenAddress, ReadsHostAndPort) {
  const auto endpoint = parse_listen_address("127.0.0.1:8000");
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.port, 8000);
}

TEST(ParseListenAddress, AcceptsPortZeroForAnEphemeralPort) {
  const auto endpoint = parse_listen_address("0.0.0.0:0");
  EXPECT_EQ(endpoint.host, "0.0.0.0");
  EXPECT_EQ(endpoint.port, 0);
}

TEST(ParseListenAddress, ReadsABracketedIpv6Host) {
  const auto endpoint = parse_listen_address("[::1]:8080");
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, 8080);
  EXPECT_EQ(endpoint.url(), "http://[::1]:8080");
}

TEST(ParseListenAddress, RejectsAMissingPort) {
  for (const char* text : {"127.0.0.1", "localhost", "", "127.0.0.1:", "[::1]", "[::1]:"}) {
    EXPECT_TRUE(throws_code("invalid_listen", parse_listen_address, text));
  }
}

TEST(ParseListenAddress, RejectsAMissingHost) {
  EXPECT_TRUE(throws_code("invalid_listen", parse_listen_address, ":8000"));
}

TEST(ParseListenAddress, RejectsABadPort) {
  for (const char* text :
       {"127.0.0.1:65536", "127.0.0.1:http", "127.0.0.1:-1", "127.0.0.1:80 ", "127.0.0.1:8o"}) {
    EXPECT_TRUE(throws_code("invalid_listen", parse_listen_address, text));
  }
}

TEST(WebSocketUrl, ReadsWsAndWssWithTheirDefaultPortsAndTheTargetAsSent) {
  const auto plain = parse_websocket_url("ws://127.0.0.1:9000/abc/listen?x=1");
  EXPECT_FALSE(plain.server.tls);
  EXPECT_EQ(plain.server.host, "127.0.0.1");
  EXPECT_EQ(plain.server.port, 9000);
  EXPECT_EQ(plain.target, "/abc/listen?x=1");
  const auto secure = parse_websocket_url("wss://phone-call-websocket.example.test/abc/listen");
  EXPECT_TRUE(secure.server.tls);
  EXPECT_EQ(secure.server.port, 443);
  EXPECT_EQ(secure.target, "/abc/listen");
  EXPECT_EQ(parse_websocket_url("ws://example.test").target, "/");
  EXPECT_EQ(parse_websocket_url("ws://example.test").server.port, 80);
}

TEST(WebSocketUrl, RefusesOtherUrlsWithoutRepeatingThem) {
  for (const auto* text :
       {"https://example.test/secret-path", "ws://", "ws://example.test:0/secret-path",
        "ws://example.test:99999/secret-path", "ws://user@example.test/secret-path", "secret-path"}) {
    try {
      parse_websocket_url(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const invalid_input& e) {
      EXPECT_EQ(e.code(), "invalid_url");
      EXPECT_EQ(std::string(e.what()).find("secret-path"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace vapidash::test
