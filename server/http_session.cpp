#include "vapidash/server/http_session.hpp"

#include <array>
#include <thread>

#include "vapidash/server/disconnect.hpp"
#include "vapidash/server/listen_session.hpp"
#include "vapidash/server/log.hpp"
#include "vapidash/server/request_log.hpp"
#include "vapidash/server/responses.hpp"
#include "vapidash/server/session_registry.hpp"
#include "vapidash/server/websocket_session.hpp"

namespace vapidash::server {

namespace {
void fail(beast::error_code ec, const char* what) {
  if (is_disconnect(ec)) {
    log().debug("http {}: {}", what, ec.message());
  } else {
    log().warn("http {}: {}", what, ec.message());
  }
}
}  // namespace

// A streamed answer's header, written first, and the chunk in flight.
struct HttpSession::StreamedAnswer {
  StreamedAnswer(Reply reply, bool is_chunked, bool keep)
      : head(std::move(reply.response.base())),
        serializer(head),
        source(std::move(reply.source)),
        chunked(is_chunked),
        keep_alive(keep) {}

  http::response<http::empty_body> head;
  http::response_serializer<http::empty_body> serializer;  // refers to head
  BodySource source;
  std::string chunk;
  std::size_t body_bytes = 0;  // written so far, without the chunked framing
  const bool chunked;          // HTTP/1.1; an HTTP/1.0 body ends where the connection closes
  const bool keep_alive;
};

HttpSession::HttpSession(tcp::socket&& socket, SessionContext& context)
    : stream_(std::move(socket)), context_(context), options_(context.options) {}

HttpSession::~HttpSession() = default;

void HttpSession::run() {
  context_.registry.add(shared_from_this());
  // Everything after this runs on the session's strand.
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::shut_down() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (!self->busy_) self->do_close();
  });
}

void HttpSession::do_read() {
  if (stopping_) return do_close();
  parser_.emplace();
  parser_->body_limit(options_.body_limit);
  stream_.expires_after(options_.read_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read_header(ec); });
}

void HttpSession::on_read_header(beast::error_code ec) {
  started_ = std::chrono::steady_clock::now();
  if (ec == http::error::body_limit) return reject_oversize();
  if (ec == http::error::header_limit) {
    return reject(http::status::request_header_fields_too_large, "headers_too_large",
                  "the request headers are larger than 8 KiB");
  }
  if (ec) {
    if (!is_disconnect(ec)) {
      return reject(http::status::bad_request, "bad_request",
                    "the request is not valid HTTP/1.1: " + ec.message());
    }
    // A client hanging up between requests is how keep-alive connections normally end: not worth a line.
    if (ec != http::error::end_of_stream) fail(ec, "read");
    return do_close();
  }
  busy_ = true;
  const auto& header = parser_->get();
  request_version_ = header.version();
  request_keep_alive_ = header.keep_alive();
  if (websocket::is_upgrade(header)) return start_upgrade();
  if (beast::iequals(header[http::field::expect], "100-continue")) {
    // curl and others wait for this before sending a body larger than 1 KiB.
    auto proceed =
        std::make_shared<http::response<http::empty_body>>(http::status::continue_, request_version_);
    return http::async_write(stream_, *proceed,
                             [self = shared_from_this(), proceed](beast::error_code e, std::size_t) {
                               if (e) return fail(e, "write 100-continue");
                               self->do_read_body();
                             });
  }
  do_read_body();
}

void HttpSession::do_read_body() {
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read_body(ec); });
}

void HttpSession::on_read_body(beast::error_code ec) {
  if (ec == http::error::body_limit) return reject_oversize();
  if (ec) {
    fail(ec, "read body");
    return do_close();
  }
  handle_request();
}

// Handlers that answer at once do so on this strand and thread: send directly. Answers from the store's
// thread are posted back onto the strand.
void HttpSession::handle_request() {
  // The work guard keeps the io_context running while the store finishes this request on its own thread.
  notes_ = std::make_shared<RequestNotes>();
  context_.router.handle(
      parser_->get(),
      [self = shared_from_this(), handler_thread = std::this_thread::get_id(),
       work = net::make_work_guard(stream_.get_executor())](Reply reply) mutable {
        if (std::this_thread::get_id() == handler_thread) return self->answer(std::move(reply));
        net::post(self->stream_.get_executor(),
                  [self, reply = std::move(reply)]() mutable { self->answer(std::move(reply)); });
      },
      notes_);
}

void HttpSession::start_upgrade() {
  auto admission = context_.router.admit(parser_->get());
  if (auto* refusal = std::get_if<Response>(&admission)) return send(std::move(*refusal));
  log_answer(static_cast<unsigned>(http::status::switching_protocols), 0);
  context_.registry.remove(this);
  if (auto* listen = std::get_if<ListenScope>(&admission)) {
    return std::make_shared<ListenSession>(std::move(stream_), context_, std::move(*listen))
        ->run(parser_->release());
  }
  std::make_shared<WebsocketSession>(std::move(stream_), context_.app, context_.registry, options_,
                                     std::get<FeedScope>(admission))
      ->run(parser_->release());
}

void HttpSession::answer(Reply reply) {
  if (reply.streamed()) return send_streamed(std::move(reply));
  send(std::move(reply.response));
}

void HttpSession::send(Response response) {
  const bool keep_alive = request_keep_alive_ && !stopping_;
  response.version(request_version_);
  response.keep_alive(keep_alive);
  response_ = std::make_shared<Response>(std::move(response));
  stream_.expires_after(options_.read_timeout);
  http::async_write(stream_, *response_,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                      self->on_write(keep_alive, ec);
                    });
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec) {
  const auto status = response_->result_int();
  const auto body_bytes = response_->body().size();
  response_.reset();
  if (ec) fail(ec, "write");
  finish_answer(keep_alive && !ec, status, body_bytes);
}

// The header says nothing of the length: chunked for HTTP/1.1, and for HTTP/1.0 the body ends with the
// connection, which therefore closes.
void HttpSession::send_streamed(Reply reply) {
  const bool chunked = request_version_ >= 11;
  const bool keep_alive = chunked && request_keep_alive_ && !stopping_;
  auto& head = reply.response;
  head.version(request_version_);
  head.keep_alive(keep_alive);
  head.chunked(chunked);
  streamed_ = std::make_unique<StreamedAnswer>(std::move(reply), chunked, keep_alive);
  stream_.expires_after(options_.read_timeout);
  http::async_write_header(
      stream_, streamed_->serializer,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_chunk_written(ec); });
}

void HttpSession::on_chunk_written(beast::error_code ec) {
  if (ec) {
    fail(ec, "write");
    return end_stream(false);
  }
  streamed_->body_bytes += streamed_->chunk.size();
  write_next_chunk();
}

// A source that fails now closes the connection without the last chunk: the client sees a body cut short,
// never one that looks complete.
void HttpSession::write_next_chunk() {
  auto& answer = *streamed_;
  try {
    answer.source(answer.chunk);
  } catch (const std::exception& e) {
    const auto& request = parser_->get();
    log().error(
        "{} {}: the streamed answer failed after {} bytes of its body, so the connection is closed: {}",
        request.method_string(), redacted_target(request.target()), answer.body_bytes, e.what());
    return end_stream(false);
  }
  stream_.expires_after(options_.read_timeout);
  auto written = [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_chunk_written(ec);
  };
  if (!answer.chunk.empty()) {
    if (!answer.chunked) return net::async_write(stream_, net::buffer(answer.chunk), std::move(written));
    return net::async_write(stream_, http::make_chunk(net::buffer(answer.chunk)), std::move(written));
  }
  if (!answer.chunked) return end_stream(true);
  net::async_write(stream_, http::make_chunk_last(),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (ec) fail(ec, "write");
                     self->end_stream(!ec);
                   });
}

void HttpSession::end_stream(bool complete) {
  const auto answer = std::move(streamed_);
  finish_answer(complete && answer->keep_alive, answer->head.result_int(), answer->body_bytes);
}

void HttpSession::finish_answer(bool keep_alive, unsigned status, std::size_t body_bytes) {
  busy_ = false;
  log_answer(status, body_bytes);
  if (!keep_alive) return do_close();
  do_read();
}

// A request refused while its header was read may have no request line yet: "-" stands in for it.
void HttpSession::log_answer(unsigned status, std::size_t body_bytes) {
  const auto& request = parser_->get();
  const bool has_line = !request.method_string().empty();
  log_request(RequestRecord{
      has_line ? request.method_string() : "-", has_line ? request.target() : "-", status, body_bytes,
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_),
      rejected_, notes_.get()});
  notes_.reset();
}

// A request we refuse before reading its body: answer and close, since the rest of the stream is unread.
void HttpSession::reject(http::status status, std::string_view code, std::string_view message) {
  busy_ = true;
  rejected_ = true;
  request_keep_alive_ = false;
  send(error_response(status, code, message));
}

void HttpSession::reject_oversize() {
  reject(http::status::payload_too_large, "body_too_large",
         "the body is larger than the limit of " + std::to_string(options_.body_limit) + " bytes");
}

// Runs once: a stop that was already on its way when the session closed itself must not start a second
// drain while the first one's read is pending.
void HttpSession::do_close() {
  if (closed_) return;
  closed_ = true;
  context_.registry.remove(this);
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (!rejected_) return stream_.close();
  // The client may still be sending the body we refused; closing with unread data would reset the
  // connection and destroy our error response in flight, so drain briefly first.
  stream_.expires_after(std::chrono::seconds(2));
  drain();
}

void HttpSession::drain() {
  auto scratch = std::make_shared<std::array<char, 16384>>();
  stream_.async_read_some(net::buffer(*scratch),
                          [self = shared_from_this(), scratch](beast::error_code ec, std::size_t) {
                            if (ec) return self->stream_.close();
                            self->drain();
                          });
}

}  // namespace vapidash::server
