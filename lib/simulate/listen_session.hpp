#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "vapidash/net/net.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash {

class ListenSession;

// A control message's answer: the status, the JSON body, and what the simulator's log says it did.
struct ControlAnswer {
  unsigned status = 200;
  json body;
  std::string outcome;
};

// What the HTTP side needs of the simulated calls; called on the I/O thread only.
class CallDirectory {
 public:
  virtual ~CallDirectory() = default;
  // Why the call cannot be listened to ("not_found", "call_ended"), or nullopt when it can.
  virtual std::optional<std::string> listen_refusal(const std::string& call_id) = 0;
  virtual void add_listener(const std::string& call_id, std::shared_ptr<ListenSession> session) = 0;
  virtual void remove_listener(const std::string& call_id, const ListenSession* session) = 0;
  virtual ControlAnswer control(const std::string& call_id, const std::string& body) = 0;
  // How long a control URL waits before it acts and answers (a slow VAPI).
  virtual std::chrono::milliseconds control_delay() const = 0;
};

// Serves one accepted connection: a control POST (answered, then closed), or the upgrade of a listen URL.
void serve_http(tcp::socket socket, CallDirectory& calls);

// A listen URL's WebSocket: the start frame, then the call's audio frames, then a normal close (1000) at the
// call's end. What the client sends is read and dropped. A client that falls more than 10 s of audio behind
// is closed (1008) rather than buffered without bound.
class ListenSession : public std::enable_shared_from_this<ListenSession> {
 public:
  ListenSession(beast::tcp_stream stream, std::string call_id, CallDirectory& calls);

  void accept(http::request<http::string_body> request);
  void send(std::shared_ptr<const std::string> data, bool text);
  // Closes with `code` once what is queued is sent.
  void finish(websocket::close_code code = websocket::close_code::normal);

 private:
  struct Outgoing {
    std::shared_ptr<const std::string> data;
    bool text = false;
  };
  void write_next();
  void close();
  void read_next();

  websocket::stream<beast::tcp_stream> ws_;
  std::string call_id_;
  CallDirectory& calls_;
  beast::flat_buffer incoming_;
  std::deque<Outgoing> queue_;
  bool open_ = false;
  bool writing_ = false;
  bool finishing_ = false;
  bool closed_ = false;
  websocket::close_code close_code_ = websocket::close_code::normal;
};

}  // namespace vapidash
