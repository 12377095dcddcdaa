#include "store/wal_syncer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vapidash::sqlite {

namespace {

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// A new file's directory entry must be durable too, or the whole WAL could vanish on power loss.
std::optional<std::string> sync_parent_directory(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_text("cannot open " + parent.string());
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return errno_text("cannot fsync " + parent.string());
  return std::nullopt;
}

}  // namespace

WalSyncer::WalSyncer(std::string wal_path) : wal_path_(std::move(wal_path)), thread_([this] { run(); }) {}

WalSyncer::~WalSyncer() {
  close();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

void WalSyncer::submit(Completion on_durable) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(on_durable));
  }
  ready_.notify_one();
}

void WalSyncer::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void WalSyncer::run() {
  std::vector<Completion> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return closing_ || !pending_.empty(); });
      if (pending_.empty()) return;
      batch.swap(pending_);
    }
    const auto failure = sync_wal();
    for (auto& complete : batch) complete(failure);
    batch.clear();
  }
}

// fdatasync works on the file, not the descriptor: our own descriptor flushes what SQLite's wrote.
std::optional<std::string> WalSyncer::sync_wal() {
  if (wal_fd_ < 0) {
    wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) return errno_text("cannot open " + wal_path_);
    if (auto failure = sync_parent_directory(wal_path_)) return failure;
  }
  if (::fdatasync(wal_fd_) != 0) return errno_text("cannot fdatasync " + wal_path_);
  return std::nullopt;
}

}  // namespace vapidash::sqlite
