#include "vapidash/server/disconnect.hpp"

#include "vapidash/net/net.hpp"

namespace vapidash::server {

// A peer that leaves mid-exchange shows up as whichever error the next socket call meets: EOF or a reset on a
// read, a broken pipe on a write, or ENOTCONN when Beast's close handshake shuts down a socket the peer has
// already torn down (a browser closing its tab).
bool is_disconnect(const boost::system::error_code& ec) noexcept {
  return ec == net::error::operation_aborted || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::connection_aborted || ec == net::error::not_connected ||
         ec == net::error::broken_pipe || ec == beast::error::timeout || ec == http::error::end_of_stream ||
         ec == websocket::error::closed;
}

}  // namespace vapidash::server
