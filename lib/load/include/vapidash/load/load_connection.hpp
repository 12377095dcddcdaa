#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "vapidash/net/net.hpp"

namespace vapidash {

// Reads an HTTP answer's status and body into a buffer that lives on, and nothing else: no header is
// stored, so reading an answer allocates nothing once the buffer has grown.
class AnswerParser : public http::basic_parser<false> {
 public:
  explicit AnswerParser(std::string& body) : body_(body) { body_.clear(); }
  unsigned status() const noexcept { return status_; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int, beast::error_code&) override {
  }
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(http::field, beast::string_view, beast::string_view, beast::error_code&) override {}
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, beast::error_code&) override {}
  std::size_t on_body_impl(beast::string_view text, beast::error_code&) override {
    body_.append(text.data(), text.size());
    return text.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view text, beast::error_code&) override {
    return on_body_impl(text, ignored_);
  }
  void on_finish_impl(beast::error_code&) override {}

  std::string& body_;
  unsigned status_ = 0;
  beast::error_code ignored_;
};

// One keep-alive HTTP/1.1 connection of the load generator, one request at a time. It connects on first
// use and again after the server closes it; a request that fails is reported, never sent again.
class LoadConnection {
 public:
  // Told when an exchange ends: the status, or an error and 0.
  class Sink {
   public:
    virtual void answered(LoadConnection& connection, beast::error_code ec, unsigned status) = 0;

    virtual ~Sink() = default;
  };

  LoadConnection(net::io_context& ioc, const std::vector<tcp::endpoint>& endpoints,
                 std::chrono::milliseconds timeout);
  LoadConnection(const LoadConnection&) = delete;
  LoadConnection& operator=(const LoadConnection&) = delete;

  // The next request, written whole (request line, headers, body) by the caller before exchange().
  std::string& request() noexcept { return request_; }
  // The body of the last answer.
  const std::string& body() const noexcept { return body_; }
  void exchange(Sink& sink);

 private:
  void write();
  void read();
  void finish(beast::error_code ec, unsigned status);
  void close();

  beast::tcp_stream stream_;
  const std::vector<tcp::endpoint>& endpoints_;
  std::chrono::milliseconds timeout_;
  std::string request_;
  std::string body_;
  beast::flat_buffer buffer_;
  std::optional<AnswerParser> parser_;
  Sink* sink_ = nullptr;
  bool open_ = false;
};

}  // namespace vapidash
