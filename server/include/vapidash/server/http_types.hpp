#pragma once

#include <functional>
#include <string>
#include <utility>

#include "vapidash/net/net.hpp"

namespace vapidash::server {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Replaces `chunk` with the next bytes of a streamed body, or leaves it empty once the body is complete.
// Called on the connection's strand, once per chunk and only after the previous chunk was written, always
// with the same string: a body in memory is never more than one chunk, in one buffer reused for all of them.
using BodySource = std::function<void(std::string& chunk)>;

// What a handler answers: a whole response, or a streamed one whose `source` produces the body while it is
// sent (chunked; to an HTTP/1.0 client as raw bytes ended by closing the connection). A streamed reply's
// `response` carries its status and headers and no body. Its first chunk is read before anything is sent,
// so a source that cannot start is answered as the error it threw, like a handler's; a source that throws
// later aborts the connection, and the client sees a body cut short rather than a wrong one.
struct Reply {
  // Implicit: every handler that answers at once keeps calling respond(json_response(...)).
  Reply(Response whole) : response(std::move(whole)) {}
  Reply(Response head, BodySource body) : response(std::move(head)), source(std::move(body)) {}

  bool streamed() const noexcept { return static_cast<bool>(source); }

  Response response;
  BodySource source;  // empty for a whole response
};

// Delivers a handler's reply. May be called from any thread, exactly once.
using Respond = std::function<void(Reply)>;

}  // namespace vapidash::server
