#pragma once

#include <boost/system/error_code.hpp>

namespace vapidash::server {

// True for the ways a connection normally ends (the peer left or went quiet, the server cancelled or
// closed): logged at debug, never answered, and never worth a warning.
bool is_disconnect(const boost::system::error_code& ec) noexcept;

}  // namespace vapidash::server
