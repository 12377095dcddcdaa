#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "vapidash/store/pg_connection.hpp"
#include "vapidash/store/store.hpp"

namespace vapidash::pg {

// The channel every server NOTIFYs its committed changes on and LISTENs to.
inline constexpr const char* changes_channel = "vapidash_changes";

// One server's LISTEN connection: tells its sink every announcement, in commit order, reading back the ones
// too large for a NOTIFY. When the connection breaks, the sink hears that changes were missed, and again
// once a new connection listens (dashboards that joined meanwhile missed them too); it reconnects every
// `reconnect_delay` until it can.
class ChangeListener {
 public:
  // Connects and LISTENs before it returns, so no change committed afterwards is missed; throws as
  // Connection does.
  ChangeListener(const ConnectionTarget& target, std::chrono::milliseconds reconnect_delay);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  // Where announcements go from now on; returns once no announcement is being told to the previous sink.
  void tell(ChangeSink* sink);
  void stop();

  // "ok", or why it is not listening.
  std::string state() const;
  bool up() const noexcept { return up_; }
  std::uint64_t received() const noexcept { return received_; }
  std::uint64_t reconnects() const noexcept { return reconnects_; }

 private:
  std::unique_ptr<Connection> listen();
  void run();
  // Waits for the connection's socket or a stop; false once the connection broke.
  bool wait_and_drain(Connection& connection);
  void tell_all(Connection& connection);
  // One announcement, read back from the database when it came by reference.
  void tell(Connection& connection, const std::string& payload, ChangeSink& sink);
  void lost(const std::string& why);
  void tell_missed(const std::string& why);
  bool sleep_unless_stopped(std::chrono::milliseconds delay);

  const ConnectionTarget& target_;
  const std::chrono::milliseconds reconnect_delay_;
  std::unique_ptr<Connection> connection_;
  std::mutex sink_mutex_;  // held while the sink hears something, so tell() is a barrier
  ChangeSink* sink_ = nullptr;
  std::atomic<bool> up_{false};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> reconnects_{0};

  mutable std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::string down_reason_;
  int wake_[2] = {-1, -1};  // a pipe whose write end wakes the thread's poll()
  std::thread thread_;
};

}  // namespace vapidash::pg
