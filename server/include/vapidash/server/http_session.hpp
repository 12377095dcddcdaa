#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "vapidash/server/http_types.hpp"
#include "vapidash/server/request_log.hpp"
#include "vapidash/server/session_context.hpp"

namespace vapidash::server {

// One HTTP/1.1 connection: reads a request (bounded in size and time), lets the router answer it, writes the
// response (a streamed one chunk by chunk, one chunk in flight), and loops while the connection is kept
// alive. Hands WebSocket upgrades to a WebsocketSession (dashboard feed) or a ListenSession (call audio).
class HttpSession final : public Session, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, SessionContext& context);
  ~HttpSession() override;

  void run();
  void shut_down() override;

 private:
  void do_read();
  void on_read_header(beast::error_code ec);
  void do_read_body();
  void on_read_body(beast::error_code ec);
  void handle_request();
  void start_upgrade();
  void answer(Reply reply);
  void send(Response response);
  void on_write(bool keep_alive, beast::error_code ec);
  void send_streamed(Reply reply);
  void write_next_chunk();
  void on_chunk_written(beast::error_code ec);
  void end_stream(bool complete);
  void finish_answer(bool keep_alive, unsigned status, std::size_t body_bytes);
  void log_answer(unsigned status, std::size_t body_bytes);
  void reject(http::status status, std::string_view code, std::string_view message);
  void reject_oversize();
  void do_close();
  void drain();

  beast::tcp_stream stream_;
  SessionContext& context_;
  const ServerOptions& options_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  struct StreamedAnswer;
  std::unique_ptr<StreamedAnswer> streamed_;  // the streamed answer being written, if any
  std::shared_ptr<RequestNotes> notes_;       // the routed request's, for its log line
  std::chrono::steady_clock::time_point started_;
  bool busy_ = false;
  bool stopping_ = false;
  bool closed_ = false;
  bool rejected_ = false;
  unsigned request_version_ = 11;
  bool request_keep_alive_ = false;
};

}  // namespace vapidash::server
