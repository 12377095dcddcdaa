#include "vapidash/store/pg_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <unistd.h>
#include <array>
#include <cerrno>

#include "vapidash/store/announcement.hpp"

namespace vapidash::pg {

ChangeListener::ChangeListener(const ConnectionTarget& target, std::chrono::milliseconds reconnect_delay)
    : target_(target), reconnect_delay_(reconnect_delay), connection_(listen()) {
  if (::pipe(wake_) != 0) throw store_error("cannot create the listener's wake-up pipe");
  up_ = true;
  thread_ = std::thread([this] { run(); });
}

ChangeListener::~ChangeListener() {
  stop();
  for (const int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

void ChangeListener::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_requested_.notify_all();
  const char wake = 1;
  [[maybe_unused]] const auto written = ::write(wake_[1], &wake, 1);
  if (thread_.joinable()) thread_.join();
}

std::string ChangeListener::state() const {
  std::lock_guard lock(mutex_);
  return up_ ? "ok" : down_reason_;
}

std::unique_ptr<Connection> ChangeListener::listen() {
  auto connection = std::make_unique<Connection>(target_);
  connection->exec(std::string("LISTEN ") + changes_channel);
  return connection;
}

void ChangeListener::run() {
  for (;;) {
    if (connection_ && wait_and_drain(*connection_)) return;  // stopped
    connection_.reset();
    if (!sleep_unless_stopped(reconnect_delay_)) return;
    try {
      connection_ = listen();
    } catch (const store_error& e) {
      std::lock_guard lock(mutex_);
      down_reason_ = std::string("reconnecting: ") + e.what();
      continue;
    }
    ++reconnects_;
    // Before it says it is up: a dashboard that sees a healthy server afterwards is not closed again.
    tell_missed(
        "the change stream from PostgreSQL is back; feeds that joined while it was down missed changes");
    up_ = true;
  }
}

// True when asked to stop; false when the connection broke (the sink has heard so).
bool ChangeListener::wait_and_drain(Connection& connection) {
  try {
    tell_all(connection);  // what arrived with the answer to LISTEN, before any new data wakes poll()
  } catch (const store_unavailable& e) {
    lost(e.what());
    return false;
  }
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{PQsocket(connection.handle()), POLLIN, 0}, pollfd{wake_[0], POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
      lost("poll() failed on the listening connection");
      return false;
    }
    if (fds[1].revents != 0) return true;
    if (PQconsumeInput(connection.handle()) == 0 || connection.broken()) {
      lost(connection.last_error());
      return false;
    }
    try {
      tell_all(connection);
    } catch (const store_unavailable& e) {
      lost(e.what());
      return false;
    }
  }
}

void ChangeListener::tell_all(Connection& connection) {
  while (PGnotify* notify = PQnotifies(connection.handle())) {
    const std::string payload = notify->extra;
    PQfreemem(notify);
    ++received_;
    const std::lock_guard telling(sink_mutex_);
    if (sink_ == nullptr) continue;
    try {
      tell(connection, payload, *sink_);
    } catch (const store_unavailable&) {
      throw;
    } catch (const store_error& e) {
      // Not a connection problem: this one change cannot be told, so the feeds start over without it.
      sink_->changes_missed(e.what());
    }
  }
}

void ChangeListener::tell(Connection& connection, const std::string& payload, ChangeSink& sink) {
  const auto reference = tell_announcement(payload, sink);
  if (!reference) return;
  auto stored = connection.run("SELECT payload FROM announcements WHERE id = $1", {param(*reference)});
  if (stored.rows() == 0) throw store_error("announcement " + std::to_string(*reference) + " is gone");
  tell_announcement(stored.text(0, 0), sink);
}

void ChangeListener::lost(const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    up_ = false;
    down_reason_ = "lost: " + why;
  }
  tell_missed("the change stream from PostgreSQL broke off (" + why + ")");
}

void ChangeListener::tell(ChangeSink* sink) {
  const std::lock_guard telling(sink_mutex_);
  sink_ = sink;
}

void ChangeListener::tell_missed(const std::string& why) {
  const std::lock_guard telling(sink_mutex_);
  if (sink_ != nullptr) sink_->changes_missed(why);
}

bool ChangeListener::sleep_unless_stopped(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, delay, [this] { return stopping_; });
}

}  // namespace vapidash::pg
