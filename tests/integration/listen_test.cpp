// GET /ws/listen/{client_id}/{call_id} against a real server and a fake VAPI listen stream over real sockets:
// frames relayed exactly both ways over ws and wss, the tenant's token, the close codes of docs/api.md, the
// bounds on listeners, and the listen URL never reaching the listener.
#include <gtest/gtest.h>

#include <fstream>

#include "support/fake_listen_upstream.hpp"
#include "support/temp_dir.hpp"
#include "support/test_server.hpp"
#include "support/test_tls.hpp"
#include "vapidash/client/server_error.hpp"
#include "vapidash/client/webhook_builder.hpp"
#include "vapidash/error.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

const std::string listened_call = "c-listen-1";

// Stereo s16le: `frames` sample frames whose customer and assistant samples differ, so a swap shows.
std::string listen_stereo_pcm(int frames, int seed) {
  std::string pcm;
  for (int i = 0; i < frames; ++i) {
    for (const int sample : {seed + i, -(seed + i) * 3}) {
      pcm += static_cast<char>(sample & 0xFF);
      pcm += static_cast<char>((sample >> 8) & 0xFF);
    }
  }
  return pcm;
}

const std::vector<FeedMessage> listen_greeting = {{listen_stereo_pcm(320, 7), true},
                                                  {R"({"type":"speech-update","role":"assistant"})", false},
                                                  {listen_stereo_pcm(160, 1000), true}};

AccessConfig listen_test_access() {
  AccessConfig config;
  config.admin_token = "admin-token";
  config.tenants["tenant-a"].dashboard_token = "token-a";
  config.tenants["tenant-b"].dashboard_token = "token-b";
  return config;
}

std::string listen_ca_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::string listen_close_text(const websocket::close_reason& reason) {
  return std::string(reason.reason.data(), reason.reason.size());
}

// What the listener was told when its stream ended.
struct ListenEnding {
  std::vector<FeedMessage> messages;  // everything received before the close
  websocket::close_reason reason;
};

class ListenTest : public ::testing::Test {
 protected:
  static server::ServerOptions listen_options(const std::string& cacert) {
    server::ServerOptions options;
    options.max_listeners_per_call = 2;
    options.upstream_tls.ca_file = cacert;
    return options;
  }

  // A call of `client` that VAPI reported with `listen_url` (none: without call.monitor).
  void report_call(const std::string& client, const std::string& call_id,
                   const std::optional<std::string>& listen_url, const std::string& status = "in-progress") {
    WebhookSpec spec;
    spec.type = "status-update";
    spec.call_id = call_id;
    spec.status = status;
    if (listen_url) spec.sets.push_back("call.monitor.listenUrl=" + *listen_url);
    const auto response = http_.post("/webhooks/vapi/" + client, dump_json(build_webhook(spec, now_utc())));
    ASSERT_EQ(response.status, 200u) << response.body;
  }

  std::unique_ptr<FeedClient> listener(const std::string& client, const std::string& call_id,
                                       const std::optional<std::string>& token = std::string("token-a")) {
    auto feed = std::make_unique<FeedClient>(server_.endpoint(), listen_target(client, call_id, token), 10s);
    feed->connect();
    return feed;
  }

  std::vector<FeedMessage> read_messages(FeedClient& feed, std::size_t count) {
    std::vector<FeedMessage> messages;
    while (messages.size() < count) {
      auto message = feed.read_message(10s);
      if (!message) throw std::runtime_error("no message from the listen relay within 10 s");
      messages.push_back(std::move(*message));
    }
    return messages;
  }

  // Reads until the server closes the stream; what the listener sees must never carry the listen URL.
  ListenEnding ending_of(FeedClient& feed) {
    ListenEnding ending;
    for (;;) {
      try {
        auto message = feed.read_message(10s);
        if (!message) throw std::runtime_error("the listen relay neither sent nor closed within 10 s");
        ending.messages.push_back(std::move(*message));
      } catch (const connection_error&) {
        ending.reason = feed.close_reason();
        break;
      }
    }
    expect_no_listen_url(listen_close_text(ending.reason));
    for (const auto& message : ending.messages) {
      if (!message.binary) expect_no_listen_url(message.data);
    }
    return ending;
  }

  static void expect_no_listen_url(const std::string& text) {
    EXPECT_EQ(text.find("listen-capability"), std::string::npos) << text;
  }

  void expect_closed_with(const std::string& call_id, std::uint16_t code, const std::string& reason_part) {
    auto feed = listener("tenant-a", call_id);
    const auto ending = ending_of(*feed);
    EXPECT_TRUE(ending.messages.empty());
    EXPECT_EQ(ending.reason.code, code) << listen_close_text(ending.reason);
    EXPECT_NE(listen_close_text(ending.reason).find(reason_part), std::string::npos)
        << listen_close_text(ending.reason);
  }

  // Counters move when a write completes, which may be just after the listener read it: wait for the line.
  bool metrics_show(const std::string& line) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (http_.get("/metrics").body.find(line + "\n") != std::string::npos) return true;
    }
    ADD_FAILURE() << "/metrics never showed " << line << ":\n" << http_.get("/metrics").body;
    return false;
  }

  TestCa ca_;
  TempDir dir_;
  std::string ca_file_ = listen_ca_file(dir_.file("ca.pem"), ca_.cert_pem());
  TestServer server_{listen_options(ca_file_), SyncMode::full, listen_test_access()};
  HttpClient http_ = server_.client();
};

void expect_same_relayed(const std::vector<FeedMessage>& actual, const std::vector<FeedMessage>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].binary, expected[i].binary) << "message " << i;
    EXPECT_EQ(actual[i].data, expected[i].data) << "message " << i;
  }
}

TEST_F(ListenTest, RelaysTheStreamsFramesExactlyBothWays) {
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", listened_call, upstream.url());
  auto feed = listener("tenant-a", listened_call);
  expect_same_relayed(read_messages(*feed, listen_greeting.size()), listen_greeting);

  const std::vector<FeedMessage> sent = {{std::string("\x00\x01\xff\x7f", 4), true},
                                         {R"({"type":"hello"})", false}};
  for (const auto& message : sent) feed->write(message.data, message.binary);
  ASSERT_TRUE(upstream.wait_for_received(sent.size()));
  expect_same_relayed(upstream.received(), sent);
  EXPECT_EQ(upstream.targets(), std::vector<std::string>{FakeListenUpstream::secret_path});
}

TEST_F(ListenTest, RelaysAWssStreamWhoseCertificateTheUpstreamCaVouchesFor) {
  FakeListenUpstream upstream({listen_greeting, ca_.issue({"localhost"})});
  report_call("tenant-a", listened_call, upstream.url("localhost"));
  auto feed = listener("tenant-a", listened_call);
  expect_same_relayed(read_messages(*feed, listen_greeting.size()), listen_greeting);
}

TEST_F(ListenTest, AWssStreamWithACertificateForAnotherHostIsNotRelayed) {
  FakeListenUpstream upstream({listen_greeting, ca_.issue({"vapidash.test"})});
  report_call("tenant-a", listened_call, upstream.url("localhost"));
  expect_closed_with(listened_call, 4502, "TLS certificate");
  EXPECT_TRUE(upstream.targets().empty()) << "the upgrade went to an unverified server";
}

TEST_F(ListenTest, AnotherTenantsTokenOrNoneIsRefusedLikeTheFeed) {
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", listened_call, upstream.url());
  for (const auto& token : {std::optional<std::string>("token-b"), std::optional<std::string>()}) {
    FeedClient feed(server_.endpoint(), listen_target("tenant-a", listened_call, token), 10s);
    try {
      feed.connect();
      ADD_FAILURE() << "the upgrade was accepted with " << token.value_or("no token");
    } catch (const server_error& e) {
      EXPECT_EQ(e.status(), 401u) << e.what();
      EXPECT_EQ(e.body().at("error").at("code"), "unauthorized");
      expect_no_listen_url(e.what());
    }
  }
  EXPECT_TRUE(upstream.targets().empty());
  auto admin = listener("tenant-a", listened_call, "admin-token");
  expect_same_relayed(read_messages(*admin, listen_greeting.size()), listen_greeting);
}

TEST_F(ListenTest, CallsThatCannotBeHeardAreClosedWithTheirCodes) {
  report_call("tenant-a", "no-monitor", std::nullopt);
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", "over", upstream.url(), "ended");
  expect_closed_with("nobody", 4404, "no such call");
  expect_closed_with("over", 4409, "ended");
  expect_closed_with("no-monitor", 4412, "no listen URL");
  EXPECT_TRUE(upstream.targets().empty());
}

TEST_F(ListenTest, AnUnreachableOrRefusingStreamIsClosedWith4502) {
  std::uint16_t closed_port = 0;
  {
    FakeListenUpstream gone({});
    closed_port = gone.port();
  }
  report_call("tenant-a", "unreachable",
              "ws://127.0.0.1:" + std::to_string(closed_port) + FakeListenUpstream::secret_path);
  expect_closed_with("unreachable", 4502, "cannot reach");

  FakeListenUpstream refusing({listen_greeting, std::nullopt, 403});
  report_call("tenant-a", "refused", refusing.url());
  expect_closed_with("refused", 4502, "HTTP 403");
}

TEST_F(ListenTest, TheStreamEndingEndsTheListenerAfterEveryFrame) {
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", listened_call, upstream.url());
  auto feed = listener("tenant-a", listened_call);
  ASSERT_TRUE(upstream.wait_for_open_connections(1));
  upstream.close_all(1000);
  const auto ending = ending_of(*feed);
  expect_same_relayed(ending.messages, listen_greeting);
  EXPECT_EQ(ending.reason.code, 1000);
  EXPECT_EQ(listen_close_text(ending.reason), "the call's audio stream ended");
}

TEST_F(ListenTest, TheStreamFailingClosesTheListenerWith1011) {
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", "abnormal", upstream.url());
  report_call("tenant-a", "cut", upstream.url());
  auto abnormal = listener("tenant-a", "abnormal");
  ASSERT_TRUE(upstream.wait_for_open_connections(1));
  upstream.close_all(4000);
  EXPECT_EQ(ending_of(*abnormal).reason.code, 1011);
  ASSERT_TRUE(upstream.wait_for_open_connections(0));

  auto cut = listener("tenant-a", "cut");
  ASSERT_TRUE(upstream.wait_for_open_connections(1));
  upstream.cut_off_all();
  const auto ending = ending_of(*cut);
  EXPECT_EQ(ending.reason.code, 1011);
  EXPECT_EQ(listen_close_text(ending.reason), "the call's audio stream broke off");
}

TEST_F(ListenTest, TheListenerLeavingClosesTheStream) {
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", listened_call, upstream.url());
  auto feed = listener("tenant-a", listened_call);
  read_messages(*feed, listen_greeting.size());
  ASSERT_TRUE(upstream.wait_for_open_connections(1));
  feed->close();
  EXPECT_TRUE(upstream.wait_for_open_connections(0));
}

TEST_F(ListenTest, ACallTakesAtMostItsListenersAndMetricsCountThem) {
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", listened_call, upstream.url());
  report_call("tenant-a", "other", upstream.url());
  auto first = listener("tenant-a", listened_call);
  auto second = listener("tenant-a", listened_call);
  read_messages(*first, listen_greeting.size());
  read_messages(*second, listen_greeting.size());
  expect_closed_with(listened_call, 4429, "maximum of 2 listeners");
  auto other_call = listener("tenant-a", "other");
  read_messages(*other_call, listen_greeting.size());

  EXPECT_TRUE(metrics_show("vapidash_listeners_active 3"));
  std::size_t listen_greeting_bytes = 0;
  for (const auto& message : listen_greeting) listen_greeting_bytes += message.data.size();
  EXPECT_TRUE(metrics_show("vapidash_listen_relayed_bytes_total{direction=\"to_listener\"} " +
                           std::to_string(3 * listen_greeting_bytes)));
}

TEST_F(ListenTest, StoppingTheServerClosesListenersWith1001) {
  FakeListenUpstream upstream({listen_greeting});
  report_call("tenant-a", listened_call, upstream.url());
  auto feed = listener("tenant-a", listened_call);
  read_messages(*feed, listen_greeting.size());
  server_.server().stop();
  EXPECT_EQ(ending_of(*feed).reason.code, 1001);
  EXPECT_TRUE(upstream.wait_for_open_connections(0));
}

}  // namespace
}  // namespace vapidash::test
