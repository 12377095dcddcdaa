#pragma once

#include <string>

namespace vapidash::sqlite {

// Claims a database file for one store before SQLite opens it: creates the file if missing, names the path
// and the cause when it cannot be used (read-only file or directory, missing directory, a directory in its
// place), and holds an exclusive lock on it until destroyed, so a second store on the same file, in this
// process or another, throws store_locked instead of silently writing past the first one's dashboards.
class DatabaseLock {
 public:
  explicit DatabaseLock(const std::string& path);
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace vapidash::sqlite
