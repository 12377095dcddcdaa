#include "vapidash/store/database_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vapidash/error.hpp"

namespace vapidash::sqlite {

namespace {

[[noreturn]] void cannot_open(const std::string& path, int error) {
  throw store_error("cannot open the database " + path + ": " + std::strerror(error));
}

}  // namespace

// The lock is flock(2) on the database file itself: it leaves no file behind, never meets SQLite's own
// fcntl(2) byte-range locks, and is released by the kernel when the holder dies. The descriptor stays open
// until every SQLite connection of the store is closed: closing another descriptor of the file earlier would
// drop SQLite's fcntl locks.
DatabaseLock::DatabaseLock(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) cannot_open(path, errno);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    if (error == EWOULDBLOCK) {
      throw store_locked("the database " + path + " is in use: another process holds its lock");
    }
    throw store_error("cannot lock the database " + path + ": " + std::strerror(error));
  }
}

DatabaseLock::~DatabaseLock() {
  ::close(fd_);
}

}  // namespace vapidash::sqlite
