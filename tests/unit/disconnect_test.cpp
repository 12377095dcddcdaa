#include "vapidash/server/disconnect.hpp"

#include <gtest/gtest.h>

#include "vapidash/net/net.hpp"

namespace vapidash::test {
namespace {

TEST(DisconnectTest, EveryWayAPeerNormallyLeavesIsADisconnect) {
  for (const boost::system::error_code ec :
       {make_error_code(net::error::eof), make_error_code(net::error::connection_reset),
        make_error_code(net::error::connection_aborted), make_error_code(net::error::not_connected),
        make_error_code(net::error::broken_pipe), make_error_code(net::error::operation_aborted),
        make_error_code(beast::error::timeout), make_error_code(http::error::end_of_stream),
        make_error_code(websocket::error::closed)}) {
    EXPECT_TRUE(server::is_disconnect(ec)) << ec.message();
  }
}

TEST(DisconnectTest, RealFailuresAreNot) {
  for (const boost::system::error_code ec :
       {make_error_code(net::error::no_buffer_space), make_error_code(net::error::access_denied),
        make_error_code(websocket::error::bad_opcode), make_error_code(http::error::bad_target)}) {
    EXPECT_FALSE(server::is_disconnect(ec)) << ec.message();
  }
}

}  // namespace
}  // namespace vapidash::test
