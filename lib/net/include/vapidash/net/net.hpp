#pragma once

// The one place that names the Boost namespaces.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

// Declared so it can be named here; only code that uses TLS includes its headers
// (vapidash/net/client_stream.hpp).
namespace boost::asio::ssl {}

namespace vapidash {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
}  // namespace vapidash
