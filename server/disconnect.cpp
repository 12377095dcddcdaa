#include "vapidash/server/disconnect.hpp"

#include "vapidash/net/net.hpp"

namespace vapidash::server {

bool is_disconnect(const boost::system::error_code& ec) noexcept {
  return ec == net::error::operation_aborted || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == beast::error::timeout || ec == http::error::end_of_stream || ec == websocket::error::closed;
}

}  // namespace vapidash::server
