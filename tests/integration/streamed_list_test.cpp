// The calls list and the timeline are streamed, a page of rows per chunk: the bytes are those of the whole
// document as the server used to build it, whatever the list's length, cursor, status or limit; HTTP/1.0
// clients get the same body unchunked; the connection stays usable; a store failure before the first byte is
// the usual error, and one after it cuts the body short.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "support/decorated_server.hpp"
#include "support/raw_exchange.hpp"
#include "support/seeded_calls.hpp"
#include "support/test_server.hpp"
#include "vapidash/error.hpp"
#include "vapidash/server/list_pages.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::test {
namespace {

using server::calls_per_page;
using server::events_per_page;

RawRequest get_request(const std::string& target, unsigned version = 11) {
  return RawRequest{http::verb::get, target, version};
}

RawAnswer streamed_get(const Endpoint& endpoint, const std::string& target) {
  RawConnection connection(endpoint);
  connection.send(get_request(target));
  return connection.receive();
}

// What the server answered before lists were streamed: the whole list read at once, dumped as one document.
std::string whole_list(Store& store, const CallQuery& query) {
  return dump_json(json(store.list_calls(query)));
}

// Byte-for-byte equality that says where two bodies part instead of printing megabytes of both.
::testing::AssertionResult same_bytes(const std::string& actual, const std::string& expected) {
  if (actual == expected) return ::testing::AssertionSuccess();
  const auto at = static_cast<std::size_t>(
      std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end()).first - actual.begin());
  const auto from = at < 40 ? 0 : at - 40;
  return ::testing::AssertionFailure()
         << "the bodies part at byte " << at << " (sizes " << actual.size() << " and " << expected.size()
         << "): got \"" << actual.substr(from, 80) << "\", expected \"" << expected.substr(from, 80) << "\"";
}

class StreamedListTest : public ServerTest {
 protected:
  // GET `target`, checked to be a 200 JSON answer sent chunked.
  RawAnswer streamed(const std::string& target) {
    auto answer = streamed_get(server_.endpoint(), target);
    EXPECT_EQ(answer.response.result(), http::status::ok) << answer.response.body();
    EXPECT_TRUE(answer.response.chunked()) << target;
    EXPECT_EQ(answer.response.count(http::field::content_length), 0u) << target;
    EXPECT_EQ(answer.response[http::field::content_type], "application/json");
    return answer;
  }

  std::string streamed_body(const std::string& target) { return streamed(target).response.body(); }
};

TEST_F(StreamedListTest, EveryLengthIsTheWholeDocumentByteForByte) {
  for (const std::int64_t count : {std::int64_t{0}, std::int64_t{1}, calls_per_page - 1, calls_per_page,
                                   calls_per_page + 1, 3 * calls_per_page + 7}) {
    const auto client = "len-" + std::to_string(count);
    seed_calls(server_.db_path(), client, count);
    const auto expected = whole_list(server_.store(), CallQuery{client});
    const auto answer = streamed("/api/" + client + "/calls");
    EXPECT_TRUE(same_bytes(answer.response.body(), expected)) << count << " calls";
    EXPECT_EQ(json::parse(expected).size(), static_cast<std::size_t>(count));
    // A chunk per page read; a list that ends on a full page ends with a chunk of its own: "]".
    EXPECT_EQ(answer.chunk_sizes.size(), static_cast<std::size_t>(count / calls_per_page + 1)) << count;
  }
}

TEST_F(StreamedListTest, LimitStatusAndCursorSelectTheSameRowsAsBefore) {
  const std::string client = "mixed";
  const auto count = 3 * calls_per_page + 7;
  seed_calls(server_.db_path(), client, count);
  const auto all = server_.store().list_calls(CallQuery{client});
  // A row in the middle of the third page that shares its created_at with the rows on either side of it.
  const auto& tied = all.at(static_cast<std::size_t>(2 * calls_per_page + 10));
  ASSERT_EQ(tied.created_at, all.at(static_cast<std::size_t>(2 * calls_per_page + 11)).created_at);

  struct Case {
    std::string query_string;
    CallQuery query;
  };
  const std::vector<Case> cases{
      {"?limit=1", CallQuery{client, 1}},
      {"?limit=" + std::to_string(calls_per_page), CallQuery{client, calls_per_page}},
      {"?limit=" + std::to_string(calls_per_page + 1), CallQuery{client, calls_per_page + 1}},
      {"?limit=" + std::to_string(2 * calls_per_page), CallQuery{client, 2 * calls_per_page}},
      {"?limit=10000", CallQuery{client, 10000}},
      {"?status=ringing", CallQuery{client, std::nullopt, "ringing"}},
      {"?status=ringing&limit=" + std::to_string(calls_per_page + 3),
       CallQuery{client, calls_per_page + 3, "ringing"}},
      {"?status=no-such-status", CallQuery{client, std::nullopt, "no-such-status"}},
      {"?before=" + tied.created_at, CallQuery{client, std::nullopt, std::nullopt, tied.created_at}},
      {"?before=" + tied.created_at + "&before_id=" + tied.id,
       CallQuery{client, std::nullopt, std::nullopt, tied.created_at, tied.id}},
      {"?before=" + tied.created_at + "&before_id=" + tied.id +
           "&status=ended&limit=" + std::to_string(calls_per_page - 1),
       CallQuery{client, calls_per_page - 1, "ended", tied.created_at, tied.id}},
  };
  for (const auto& [query_string, query] : cases) {
    const auto expected = whole_list(server_.store(), query);
    EXPECT_TRUE(same_bytes(streamed_body("/api/" + client + "/calls" + query_string), expected))
        << query_string;
  }
}

// Paging through the list with the documented cursor visits every row once, also where pages end on a tie.
TEST_F(StreamedListTest, ThePagesOfAStreamedListJoinUpToTheWholeList) {
  const std::string client = "paged";
  seed_calls(server_.db_path(), client, 2 * calls_per_page + 1);
  const auto whole = json::parse(streamed_body("/api/" + client + "/calls"));
  json walked = json::array();
  std::string cursor;
  for (;;) {
    const auto page = json::parse(streamed_body("/api/" + client + "/calls?limit=7" + cursor));
    for (const auto& row : page) walked.push_back(row);
    if (page.size() < 7) break;
    cursor = "&before=" + page.back().at("created_at").get<std::string>() +
             "&before_id=" + page.back().at("id").get<std::string>();
  }
  EXPECT_EQ(walked, whole);
}

// The list as one document, built with the row serialiser the unit tests hold to dump_json(json(call)) byte
// for byte: dump_json of a json value of 100,000 rows would alone take longer under ASan than this test may.
std::string list_document(const std::vector<Call>& calls) {
  std::string document = "[";
  for (const auto& call : calls) {
    if (document.size() > 1) document += ',';
    append_list_row(document, call);
  }
  return document + "]";
}

TEST_F(StreamedListTest, AHundredThousandCallsStreamInPagesAndEqualTheStoredRows) {
  const std::string client = "large";
  const std::int64_t count = 100000;
  seed_calls(server_.db_path(), client, count);

  const auto answer = streamed("/api/" + client + "/calls");
  EXPECT_EQ(answer.chunk_sizes.size(), static_cast<std::size_t>(count / calls_per_page + 1));
  // Read in one piece, as the server used to: equal bytes mean the body parses and holds exactly these rows.
  const auto stored = server_.store().list_calls(CallQuery{client});
  ASSERT_EQ(stored.size(), static_cast<std::size_t>(count));
  EXPECT_TRUE(same_bytes(answer.response.body(), list_document(stored)));
}

TEST_F(StreamedListTest, AnHttp10ClientGetsTheSameBodyUnchunkedAndTheConnectionCloses) {
  const std::string client = "old-client";
  seed_calls(server_.db_path(), client, calls_per_page + 1);
  RawConnection connection(server_.endpoint());
  connection.send(get_request("/api/" + client + "/calls", 10));
  // A body without a length ends where the connection does: receiving it whole means the server closed it.
  const auto answer = connection.receive();
  EXPECT_EQ(answer.response.result(), http::status::ok);
  EXPECT_EQ(answer.response.version(), 10u);
  EXPECT_FALSE(answer.response.chunked());
  EXPECT_TRUE(answer.chunk_sizes.empty());
  EXPECT_EQ(answer.response.count(http::field::content_length), 0u);
  EXPECT_FALSE(answer.response.keep_alive());
  EXPECT_TRUE(same_bytes(answer.response.body(), whole_list(server_.store(), CallQuery{client})));
}

TEST_F(StreamedListTest, TheConnectionServesTheNextRequestAfterAStreamedAnswer) {
  const std::string client = "kept-alive";
  seed_calls(server_.db_path(), client, calls_per_page + 1);
  RawConnection connection(server_.endpoint());
  connection.send(get_request("/api/" + client + "/calls"));
  const auto first = connection.receive();
  EXPECT_TRUE(first.response.keep_alive());
  EXPECT_TRUE(same_bytes(first.response.body(), whole_list(server_.store(), CallQuery{client})));

  connection.send(get_request("/api/" + client + "/calls?limit=2"));
  const auto second = connection.receive();
  EXPECT_TRUE(same_bytes(second.response.body(), whole_list(server_.store(), CallQuery{client, 2})));
  connection.send(get_request("/healthz"));
  EXPECT_EQ(connection.receive().response.result(), http::status::ok);
}

// Logs `count` entries on one call's timeline, all queued at once so the store commits them in a few batches.
void log_events(Store& store, const std::string& client, const std::string& call, int count) {
  std::mutex mutex;
  std::condition_variable done;
  int stored = 0;
  for (int i = 0; i < count; ++i) {
    store.log_event(
        EventRecord{client, call, "note", json{{"n", i}, {"text", "line \"" + std::to_string(i)}}},
        [&](WriteResult<StatusEvent> result) {
          EXPECT_TRUE(std::holds_alternative<StatusEvent>(result));
          std::lock_guard lock(mutex);
          ++stored;
          done.notify_one();
        });
  }
  std::unique_lock lock(mutex);
  ASSERT_TRUE(done.wait_for(lock, std::chrono::seconds(30), [&] { return stored == count; }));
}

TEST_F(StreamedListTest, ATimelineOfSeveralPagesIsItsEventsInOrder) {
  for (const int count :
       {0, 1, static_cast<int>(events_per_page), static_cast<int>(2 * events_per_page + 5)}) {
    const auto call = "timeline-" + std::to_string(count);
    log_events(server_.store(), "tl", call, count);
    const auto body = streamed_body("/api/debug/status-events/tl/" + call);
    const auto stored = server_.store().list_events(EventQuery{"tl", call});
    ASSERT_EQ(stored.size(), static_cast<std::size_t>(count));
    EXPECT_TRUE(same_bytes(body, dump_json(json(stored)))) << count << " events";
    const auto events = json::parse(body);
    for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].at("payload").at("n"), i);
    for (std::size_t i = 1; i < events.size(); ++i) EXPECT_GT(events[i].at("id"), events[i - 1].at("id"));
  }
}

// A store that lists `pages_before_failing` full pages of made-up calls, then fails.
class FailingListStore : public ForwardingStore {
 public:
  FailingListStore(Store& inner, int pages_before_failing)
      : ForwardingStore(inner), pages_left_(pages_before_failing) {}

  std::vector<Call> list_calls(const CallQuery& query) override {
    if (pages_left_-- == 0) throw store_error("disk I/O error while listing calls");
    std::vector<Call> page(static_cast<std::size_t>(query.limit.value_or(calls_per_page)));
    for (auto& call : page) {
      call.client_id = query.client_id;
      call.id = "made-up";
      call.created_at = call.updated_at = "2025-12-10T07:05:14.195889";
    }
    return page;
  }

 private:
  int pages_left_;
};

StoreDecorator failing_after(int pages) {
  return [pages](Store& real) { return std::make_unique<FailingListStore>(real, pages); };
}

TEST(StreamedListFailure, AStoreFailingBeforeTheFirstByteIsAnsweredAsTheUsualError) {
  DecoratedServer server(failing_after(0));
  const auto answer = streamed_get(server.endpoint(), "/api/demo-client/calls");
  EXPECT_EQ(answer.response.result(), http::status::internal_server_error);
  EXPECT_FALSE(answer.response.chunked());
  EXPECT_EQ(answer.response[http::field::access_control_allow_origin], "*");
  EXPECT_EQ(json::parse(answer.response.body()).at("error").at("code"), "internal_error");
  const auto metrics = raw_exchange(server.endpoint(), get_request("/metrics")).body();
  EXPECT_NE(metrics.find(R"(vapidash_http_requests_total{route="/api/{client_id}/calls",code="500"} 1)"),
            std::string::npos)
      << metrics;
}

TEST(StreamedListFailure, AStoreFailingAfterTheFirstChunkCutsTheBodyShort) {
  DecoratedServer server(failing_after(2));
  RawConnection connection(server.endpoint());
  connection.send(get_request("/api/demo-client/calls"));
  try {
    connection.receive();
    ADD_FAILURE() << "the body must not end as if it were complete";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("partial message"), std::string::npos)
        << "the connection closes in the middle of the body: " << e.what();
  }
  EXPECT_EQ(raw_exchange(server.endpoint(), get_request("/healthz")).result(), http::status::ok);
}

}  // namespace
}  // namespace vapidash::test
