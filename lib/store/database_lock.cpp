#include "vapidash/store/database_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "vapidash/error.hpp"

namespace vapidash::sqlite {

namespace {

std::string directory_of(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

bool exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

[[noreturn]] void cannot_open(const std::string& path, int error) {
  const std::string cause = std::strerror(error);
  const auto directory = directory_of(path);
  if (error == EISDIR) throw store_error("the database " + path + " is a directory, not a database file");
  if (error == ENOENT) {
    throw store_error("cannot create the database " + path + ": its directory " + directory +
                      " does not exist");
  }
  if ((error == EACCES || error == EPERM || error == EROFS) && exists(path)) {
    throw store_error("the database " + path + " is read-only (" + cause +
                      "): vapidash writes every call to it, so it must be writable by this user");
  }
  if (error == EACCES || error == EPERM || error == EROFS) {
    throw store_error("cannot create the database " + path + ": its directory " + directory +
                      " is not writable (" + cause + ")");
  }
  throw store_error("cannot open the database " + path + ": " + cause);
}

// SQLite in WAL mode keeps PATH-wal and PATH-shm next to the database, and creates them on every start.
void require_writable_directory(const std::string& path) {
  const auto directory = directory_of(path);
  if (::faccessat(AT_FDCWD, directory.c_str(), W_OK, AT_EACCESS) == 0) return;
  throw store_error("the directory " + directory + " of the database " + path + " is not writable (" +
                    std::strerror(errno) + "): SQLite keeps " + path + "-wal and " + path +
                    "-shm next to the database");
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
  try {
    require_writable_directory(path);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

DatabaseLock::~DatabaseLock() {
  ::close(fd_);
}

}  // namespace vapidash::sqlite
