#include "vapidash/server/list_pages.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vapidash::test {
namespace {

using server::Page;

// Every chunk `pages` make, in order, and the body they add up to.
struct Streamed {
  std::vector<std::string> chunks;
  std::string body;
};

Streamed stream_pages(std::vector<Page<json>> pages) {
  std::size_t next = 0;
  auto source = server::json_array_body<json>([&pages, &next] { return pages.at(next++); });
  Streamed streamed;
  std::string chunk = "left over";
  for (source(chunk); !chunk.empty(); source(chunk)) {
    streamed.chunks.push_back(chunk);
    streamed.body += chunk;
  }
  EXPECT_EQ(next, pages.size()) << "every page is read, none after the last";
  source(chunk);
  EXPECT_EQ(chunk, "") << "an ended body stays ended";
  return streamed;
}

json rows_of(const std::vector<Page<json>>& pages) {
  json rows = json::array();
  for (const auto& page : pages) {
    for (const auto& row : page.rows) rows.push_back(row);
  }
  return rows;
}

Page<json> page(std::vector<json> rows) {
  return Page<json>{std::move(rows), false};
}

Page<json> last_page(std::vector<json> rows) {
  return Page<json>{std::move(rows), true};
}

TEST(JsonArrayBody, IsTheBytesOfTheWholeArrayOneChunkPerPage) {
  const json odd = {{"text", "say \"hi\" \\ caf\u00e9"}, {"n", nullptr}, {"x", 1.5}};
  const std::vector<std::vector<Page<json>>> cases{
      {last_page({})},
      {last_page({odd})},
      {last_page({1, 2, 3})},
      {page({1, 2}), last_page({})},
      {page({1, 2}), page({odd}), last_page({"three", 4})},
  };
  for (const auto& pages : cases) {
    const auto streamed = stream_pages(pages);
    EXPECT_EQ(streamed.body, dump_json(rows_of(pages)));
    EXPECT_EQ(streamed.chunks.size(), pages.size());
  }
}

TEST(JsonArrayBody, ABytePastUtf8IsReplacedAsInTheWholeDocument) {
  const std::vector<Page<json>> pages{last_page({std::string("bad \xff byte")})};
  EXPECT_EQ(stream_pages(pages).body, dump_json(rows_of(pages)));
}

}  // namespace
}  // namespace vapidash::test
