// Keeps docs/api.md true: every example in it (an ```http request followed by a ```json answer) is sent, in
// the document's order, to one fresh in-process server, and the answer must match the example's.
#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "support/files.hpp"
#include "support/test_server.hpp"
#include "vapidash/wire/json.hpp"

#ifndef VAPIDASH_SOURCE_DIR
#error "VAPIDASH_SOURCE_DIR must be defined to the source tree (it holds docs/api.md)"
#endif

namespace vapidash::test {
namespace {

const std::string api_doc = std::string(VAPIDASH_SOURCE_DIR) + "/docs/api.md";

// In an expected answer, "<any>" matches whatever the server sends there (timestamps, generated ids).
const std::string any_value = "<any>";

// One example: the request of an ```http block and the answer of the ```json block after it.
struct DocExample {
  std::size_t line = 0;  // of the request line, 1-based
  std::string method;
  std::string target;
  HeaderList headers;
  std::string body;
  unsigned status = 0;
  json expected;

  std::string name() const {
    return method + " " + target + " (docs/api.md line " + std::to_string(line) + ")";
  }
};

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

[[noreturn]] void malformed(std::size_t line, const std::string& what) {
  throw std::runtime_error("line " + std::to_string(line) + ": " + what);
}

// The lines of the fenced block whose opening fence is at `open`; `close` gets the closing fence's index.
std::vector<std::string> block_at(const std::vector<std::string>& lines, std::size_t open,
                                  std::size_t& close) {
  for (close = open + 1; close < lines.size(); ++close) {
    if (trim(lines[close]) == "```") {
      return std::vector<std::string>(lines.begin() + static_cast<std::ptrdiff_t>(open) + 1,
                                      lines.begin() + static_cast<std::ptrdiff_t>(close));
    }
  }
  malformed(open + 1, "the " + trim(lines[open]) + " block is never closed");
}

std::string joined(const std::vector<std::string>& lines, std::size_t from) {
  std::string text;
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (i > from) text += '\n';
    text += lines[i];
  }
  return text;
}

// "METHOD TARGET [HTTP/1.1]", then "Name: value" headers, then a blank line and the body.
void read_request(const std::vector<std::string>& request, std::size_t line, DocExample& example) {
  if (request.empty()) malformed(line, "an empty ```http block");
  const auto request_line = trim(request.front());
  const auto space = request_line.find(' ');
  if (space == std::string::npos) malformed(line, "expected \"METHOD TARGET\", got \"" + request_line + "\"");
  example.method = request_line.substr(0, space);
  example.target = trim(request_line.substr(space + 1));
  if (const auto version = example.target.find(" HTTP/"); version != std::string::npos) {
    example.target.erase(version);
  }
  std::size_t i = 1;
  for (; i < request.size() && !trim(request[i]).empty(); ++i) {
    const auto colon = request[i].find(':');
    if (colon == std::string::npos) {
      malformed(line + i, "expected a header \"Name: value\", got \"" + request[i] + "\"");
    }
    example.headers.emplace_back(trim(request[i].substr(0, colon)), trim(request[i].substr(colon + 1)));
  }
  auto body_lines = std::vector<std::string>(request.begin() + static_cast<std::ptrdiff_t>(i), request.end());
  while (!body_lines.empty() && trim(body_lines.back()).empty()) body_lines.pop_back();
  example.body = body_lines.empty() ? std::string() : joined(body_lines, 1);
}

// "HTTP <status>", then a JSON value.
void read_answer(const std::vector<std::string>& answer, std::size_t line, DocExample& example) {
  const auto status_line = answer.empty() ? std::string() : trim(answer.front());
  if (status_line.rfind("HTTP ", 0) != 0) {
    malformed(line, "a ```json answer must start with \"HTTP <status>\"");
  }
  try {
    example.status = static_cast<unsigned>(std::stoul(status_line.substr(5)));
  } catch (const std::exception&) {
    malformed(line, "no status code in \"" + status_line + "\"");
  }
  const auto text = joined(answer, 1);
  if (trim(text).empty()) malformed(line, "the answer has no JSON value after \"" + status_line + "\"");
  example.expected = json::parse(text, nullptr, false);
  if (example.expected.is_discarded()) malformed(line, "the answer is not valid JSON:\n" + text);
}

// Every ```http block and the ```json block right after it (blank lines between are allowed). A ```json
// block without an ```http block before it is an illustration, not an example.
std::vector<DocExample> parse_examples(const std::string& markdown) {
  const auto lines = lines_of(markdown);
  std::vector<DocExample> examples;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]) != "```http") continue;
    DocExample example;
    example.line = i + 2;
    std::size_t close = 0;
    read_request(block_at(lines, i, close), example.line, example);
    std::size_t next = close + 1;
    while (next < lines.size() && trim(lines[next]).empty()) ++next;
    if (next == lines.size() || trim(lines[next]) != "```json") {
      malformed(example.line, "the example " + example.method + " " + example.target +
                                  " has no ```json answer right after it");
    }
    read_answer(block_at(lines, next, close), next + 2, example);
    examples.push_back(std::move(example));
    i = close;
  }
  return examples;
}

// Where `actual` breaks the subset rule, or nullopt when it holds: every key of an expected object is in the
// actual one with a matching value, arrays have the same length and match element by element, "<any>"
// matches anything, and every other value must be equal.
std::optional<std::string> mismatch(const json& expected, const json& actual, const std::string& path = "$") {
  if (expected.is_string() && expected.get_ref<const std::string&>() == any_value) return std::nullopt;
  if (expected.is_object()) {
    if (!actual.is_object()) return path + ": expected an object, got " + dump_json(actual);
    for (const auto& [key, value] : expected.items()) {
      const auto it = actual.find(key);
      if (it == actual.end()) return path + "." + key + ": missing";
      if (auto found = mismatch(value, *it, path + "." + key)) return found;
    }
    return std::nullopt;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      return path + ": expected an array of " + std::to_string(expected.size()) + ", got " +
             dump_json(actual);
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto at = path + "[" + std::to_string(i) + "]";
      if (auto found = mismatch(expected.at(i), actual.at(i), at)) return found;
    }
    return std::nullopt;
  }
  if (expected != actual) return path + ": expected " + dump_json(expected) + ", got " + dump_json(actual);
  return std::nullopt;
}

// Sends the example and reports, naming it, how the answer differs from the documented one.
void check_example(HttpClient& client, const DocExample& example) {
  const auto verb = http::string_to_verb(example.method);
  if (verb == http::verb::unknown) {
    ADD_FAILURE() << example.name() << ": \"" << example.method << "\" is not an HTTP method";
    return;
  }
  HttpResponse response;
  try {
    response = client.request(verb, example.target, example.body, example.headers);
  } catch (const std::exception& e) {
    ADD_FAILURE() << example.name() << ": no answer: " << e.what();
    return;
  }
  std::optional<std::string> problem;
  if (response.status != example.status) {
    problem = "status " + std::to_string(response.status) + ", documented " + std::to_string(example.status);
  } else if (response.content_type != "application/json") {
    problem = "Content-Type \"" + response.content_type + "\", documented application/json";
  } else {
    const auto actual = json::parse(response.body, nullptr, false);
    problem = actual.is_discarded() ? std::optional<std::string>("the body is not JSON")
                                    : mismatch(example.expected, actual);
  }
  if (problem) {
    ADD_FAILURE() << "docs/api.md example " << example.name() << " no longer holds: " << *problem
                  << "\n  expected: HTTP " << example.status << " " << dump_json(example.expected)
                  << "\n  actual:   HTTP " << response.status << " " << response.body;
  }
}

TEST(ApiDocTest, EveryExampleOfTheApiReferenceHoldsAgainstTheServer) {
  std::vector<DocExample> examples;
  try {
    examples = parse_examples(read_text(api_doc));
  } catch (const std::exception& e) {
    FAIL() << api_doc << ": " << e.what();
  }
  ASSERT_FALSE(examples.empty()) << api_doc << " has no example (an ```http block followed by a ```json one)";
  TestServer server;
  auto client = server.client();
  for (const auto& example : examples) check_example(client, example);
}

TEST(ApiDocTest, TheParserReadsRequestLineHeadersBodyAndAnswer) {
  const auto examples = parse_examples(
      "Some text.\n"
      "```http\n"
      "POST /api/debug/create-test-call/demo-client HTTP/1.1\r\n"
      "Content-Type: application/json\n"
      "X-Trace:  abc \n"
      "\n"
      "{\"call_id\":\n"
      "  \"c1\"}\n"
      "```\n"
      "\n"
      "```json\n"
      "HTTP 200\n"
      "{\"ok\": true,\n"
      " \"call_id\": \"<any>\"}\n"
      "```\n"
      "```json\n"
      "{\"an\": \"illustration\"}\n"
      "```\n"
      "```http\n"
      "GET /healthz\n"
      "```\n"
      "```json\n"
      "HTTP 200\n"
      "{\"ok\": true}\n"
      "```\n");
  ASSERT_EQ(examples.size(), 2u);
  const auto& create = examples.at(0);
  EXPECT_EQ(create.line, 3u);
  EXPECT_EQ(create.method, "POST");
  EXPECT_EQ(create.target, "/api/debug/create-test-call/demo-client");
  EXPECT_EQ(create.headers, (HeaderList{{"Content-Type", "application/json"}, {"X-Trace", "abc"}}));
  EXPECT_EQ(create.body, "{\"call_id\":\n  \"c1\"}");
  EXPECT_EQ(create.status, 200u);
  EXPECT_EQ(create.expected, json::parse(R"({"ok": true, "call_id": "<any>"})"));
  const auto& health = examples.at(1);
  EXPECT_EQ(health.method, "GET");
  EXPECT_EQ(health.target, "/healthz");
  EXPECT_TRUE(health.headers.empty());
  EXPECT_EQ(health.body, "");
}

TEST(ApiDocTest, AMalformedExampleIsAnErrorNotASkip) {
  const std::vector<std::string> malformed_docs = {
      "```http\nGET /healthz\n```\nno answer\n",                          // no answer block
      "```http\nGET /healthz\n```\n```json\n{\"ok\": true}\n```\n",       // no status line
      "```http\nGET /healthz\n```\n```json\nHTTP 200\n```\n",             // no JSON value
      "```http\nGET /healthz\n```\n```json\nHTTP 200\n{\"ok\": \n```\n",  // invalid JSON
      "```http\nGET /healthz\n```\n```json\nHTTP 200\n{}\n",              // unclosed answer
      "```http\nGET /healthz\n",                                          // unclosed request
      "```http\n\n```\n```json\nHTTP 200\n{}\n```\n",                     // no request line
      "```http\nGET\n```\n```json\nHTTP 200\n{}\n```\n",                  // no target
  };
  for (const auto& markdown : malformed_docs) {
    EXPECT_THROW(parse_examples(markdown), std::runtime_error) << markdown;
  }
}

TEST(ApiDocTest, AnAnswerMatchesWhenItHoldsEveryDocumentedKeyAndElement) {
  const auto actual = json::parse(R"({"ok": true, "id": 7, "cost": 0.05, "at": "2025-12-10T07:05:14.195889",
                                      "rows": [{"a": 1, "b": null}, {"a": 2, "b": [1, 2]}]})");
  const auto matches = [&](const char* expected) { return !mismatch(json::parse(expected), actual); };
  EXPECT_TRUE(matches(R"({})"));
  EXPECT_TRUE(matches(R"({"ok": true, "cost": 0.05})"));
  EXPECT_TRUE(matches(R"({"id": 7.0})")) << "numbers compare by value";
  EXPECT_TRUE(matches(R"({"at": "<any>", "rows": "<any>"})"));
  EXPECT_TRUE(matches(R"({"rows": [{"a": 1}, {"b": [1, 2]}]})"));
  EXPECT_FALSE(matches(R"({"ok": false})"));
  EXPECT_FALSE(matches(R"({"ok": 1})")) << "true is not 1";
  EXPECT_FALSE(matches(R"({"id": "7"})"));
  EXPECT_FALSE(matches(R"({"missing": null})"));
  EXPECT_FALSE(matches(R"({"rows": []})")) << "arrays must have the same length";
  EXPECT_FALSE(matches(R"({"rows": [{"a": 1}]})"));
  EXPECT_FALSE(matches(R"({"rows": [{"a": 2}, {"a": 1}]})")) << "arrays match in order";
  EXPECT_FALSE(matches(R"({"rows": [{"b": "<any>"}, {"c": "<any>"}]})"));
  EXPECT_FALSE(matches(R"([])"));
  EXPECT_EQ(mismatch(json::parse(R"({"rows": [{"a": 1}, {"a": 3}]})"), actual),
            "$.rows[1].a: expected 3, got 2");
}

}  // namespace
}  // namespace vapidash::test
