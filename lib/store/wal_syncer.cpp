#include "vapidash/store/wal_syncer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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

// Opened on first use: the WAL may not exist yet when the store starts.
class WalSyncer::WalHandle {
 public:
  WalHandle(const std::string& path, const DataSync& data_sync) : path_(path), data_sync_(data_sync) {}
  ~WalHandle() {
    if (fd_ >= 0) ::close(fd_);
  }
  WalHandle(const WalHandle&) = delete;
  WalHandle& operator=(const WalHandle&) = delete;

  // fdatasync works on the file, not the descriptor: this descriptor flushes what SQLite's wrote.
  std::optional<std::string> sync() {
    if (fd_ < 0) {
      fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) return errno_text("cannot open " + path_);
      if (auto failure = sync_parent_directory(path_)) return failure;
    }
    if (data_sync_(fd_) != 0) return errno_text("cannot fdatasync " + path_);
    return std::nullopt;
  }

 private:
  const std::string& path_;
  const DataSync& data_sync_;
  int fd_ = -1;
};

WalSyncer::WalSyncer(std::string wal_path, std::size_t sync_threads, DataSync data_sync)
    : wal_path_(std::move(wal_path)), data_sync_(std::move(data_sync)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(sync_threads, 1); ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

WalSyncer::~WalSyncer() {
  close();
}

void WalSyncer::submit(Completion on_durable) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(Pending{++submitted_, std::move(on_durable)});
  }
  work_.notify_one();
}

void WalSyncer::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  work_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

// Each round claims every batch submitted so far: one fdatasync begun now covers them all.
void WalSyncer::run() {
  WalHandle wal(wal_path_, data_sync_);
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return closing_ || claimed_ < submitted_; });
    if (claimed_ == submitted_) return;  // closing, and the thread that claimed each batch completes it
    const auto target = submitted_;
    claimed_ = target;
    lock.unlock();
    auto failure = wal.sync();
    lock.lock();
    record_sync(target, std::move(failure));
    run_completions(lock);
  }
}

void WalSyncer::record_sync(std::uint64_t target, std::optional<std::string> failure) {
  if (failure_) return;
  if (failure) {
    failure_ = std::move(failure);
  } else {
    durable_ = std::max(durable_, target);
  }
}

// Runs every completion whose fate is known, oldest first, with the lock released around each group.
void WalSyncer::run_completions(std::unique_lock<std::mutex>& lock) {
  if (completing_) return;
  completing_ = true;
  std::vector<Pending> ready;
  for (;;) {
    while (!pending_.empty() && (failure_ || pending_.front().sequence <= durable_)) {
      ready.push_back(std::move(pending_.front()));
      pending_.pop_front();
    }
    if (ready.empty()) break;
    const auto durable = durable_;
    const auto failure = failure_;
    lock.unlock();
    for (auto& batch : ready) {
      batch.on_durable(batch.sequence <= durable ? std::nullopt : failure);
    }
    ready.clear();
    lock.lock();
  }
  completing_ = false;
}

}  // namespace vapidash::sqlite
