#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <variant>

#include "vapidash/net/client_stream.hpp"
#include "vapidash/net/endpoint.hpp"
#include "vapidash/server/metrics.hpp"

namespace vapidash::server {

// The close codes of GET /ws/listen/{client_id}/{call_id} after its upgrade (docs/api.md lists them).
namespace listen_close {
inline constexpr std::uint16_t audio_ended = 1000;           // the call's audio stream ended normally
inline constexpr std::uint16_t server_stopping = 1001;       // the server is shutting down
inline constexpr std::uint16_t upstream_failed = 1011;       // the audio stream broke off mid-call
inline constexpr std::uint16_t upstream_unreachable = 4502;  // cannot connect, or the stream refused us
inline constexpr std::uint16_t unknown_call = 4404;
inline constexpr std::uint16_t call_ended = 4409;
inline constexpr std::uint16_t no_listen_url = 4412;
inline constexpr std::uint16_t too_many_listeners = 4429;
}  // namespace listen_close

class ListenRelays;

// One listener's place within the per-call and per-server bounds, given back when destroyed.
class ListenSeat {
 public:
  ListenSeat(ListenRelays& relays, std::pair<std::string, std::string> call);
  ~ListenSeat();
  ListenSeat(ListenSeat&& other) noexcept;
  ListenSeat& operator=(ListenSeat&&) = delete;
  ListenSeat(const ListenSeat&) = delete;
  ListenSeat& operator=(const ListenSeat&) = delete;

 private:
  ListenRelays* relays_;  // null once moved from
  std::pair<std::string, std::string> call_;
};

// Why a listener is closed right after its upgrade, as its close frame says.
struct ListenRefusal {
  std::uint16_t code;
  std::string reason;  // never the listen URL
};

// Where an admitted listener's audio comes from.
struct ListenUpstream {
  WebSocketUrl url;
  ListenSeat seat;
};

// What the gate of GET /ws/listen/{client_id}/{call_id} decides once the token is accepted: the upgrade
// always completes, then either relays the call's audio or closes at once with the refusal.
struct ListenScope {
  std::string client_id;
  std::string call_id;
  std::variant<ListenUpstream, ListenRefusal> outcome;
};

// What every listen relay of a server shares: the bounds on listeners, the TLS settings for upstream
// connections, and the metrics they count into. Thread-safe.
class ListenRelays {
 public:
  ListenRelays(std::size_t max_per_call, std::size_t max_total, std::shared_ptr<ssl::context> upstream_tls,
               Metrics& metrics);

  // A seat for one more listener of the call, or the refusal that says which bound is full.
  std::variant<ListenSeat, ListenRefusal> take_seat(const std::string& client_id, const std::string& call_id);

  const std::shared_ptr<ssl::context>& upstream_tls() const noexcept { return upstream_tls_; }
  Metrics& metrics() noexcept { return metrics_; }

 private:
  friend class ListenSeat;
  void release(const std::pair<std::string, std::string>& call);

  const std::size_t max_per_call_;
  const std::size_t max_total_;
  const std::shared_ptr<ssl::context> upstream_tls_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::size_t> per_call_;
  std::size_t total_ = 0;
};

}  // namespace vapidash::server
