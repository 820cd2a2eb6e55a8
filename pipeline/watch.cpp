#include "pipeline/watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>
#include <stdexcept>

namespace sohoa::pipeline {
namespace fs = std::filesystem;

namespace {

constexpr const char* kDone = "done";
constexpr const char* kFailed = "failed";
// Settle times are checked at least this often even with no file events.
constexpr int kTickMs = 250;

class Inotify {
 public:
  explicit Inotify(const fs::path& dir) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error(std::string("inotify: ") + std::strerror(errno));
    uint32_t events = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ATTRIB;
    if (inotify_add_watch(fd_, dir.c_str(), events) < 0) {
      int err = errno;
      ::close(fd_);
      throw std::runtime_error(dir.string() + ": cannot watch: " + std::strerror(err));
    }
  }
  ~Inotify() { ::close(fd_); }
  Inotify(const Inotify&) = delete;
  Inotify& operator=(const Inotify&) = delete;

  // Waits up to `timeout_ms` for a change in the folder (or a signal), then
  // discards the pending events: the folder is listed afresh anyway.
  void wait(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return;
    alignas(inotify_event) char buffer[4096];
    while (::read(fd_, buffer, sizeof buffer) > 0) {
    }
  }

 private:
  int fd_;
};

bool is_hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

void write_error_note(const fs::path& moved, const std::string& error) {
  std::ofstream note(moved.string() + ".error.txt");
  note << error << "\n";
}

// Moves the file of `outcome` out of the hot folder, into the same subfolder
// of done/ or failed/ it was in; a file that vanished is simply not moved.
// False when it is still there (no permission to move).
bool file_away(const fs::path& dir, const FileOutcome& outcome) {
  fs::path source = outcome.file.empty() ? fs::path(outcome.source) : fs::path(outcome.file);
  std::error_code ec;
  if (!fs::exists(source, ec)) return true;
  bool failed = outcome.status == "failed" || outcome.status == "skipped";
  fs::path sub = source.parent_path().lexically_relative(dir);
  if (sub.empty() || sub == "." || *sub.begin() == "..") sub.clear();
  try {
    fs::path moved = move_into(source, dir / (failed ? kFailed : kDone) / sub);
    if (failed) write_error_note(moved, outcome.error);
    return true;
  } catch (const fs::filesystem_error&) {
    return false;
  }
}

// A station runs for days: each batch is dated the day it is read.
std::string today_iso() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
  return buf;
}

}  // namespace

void SettleTracker::observe(const std::vector<fs::path>& files, Clock::time_point now) {
  std::map<fs::path, Seen> next;
  for (const auto& file : files) {
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    if (ec) continue;
    auto mtime = fs::last_write_time(file, ec);
    if (ec) continue;
    auto old = seen_.find(file);
    if (old != seen_.end() && old->second.size == size && old->second.mtime == mtime) {
      next[file] = old->second;
    } else {
      next[file] = Seen{size, mtime, now};
    }
  }
  seen_ = std::move(next);
}

std::vector<fs::path> SettleTracker::settled(Clock::time_point now) const {
  std::vector<fs::path> out;
  for (const auto& [file, seen] : seen_) {
    if (now - seen.since >= settle_) out.push_back(file);
  }
  return out;
}

std::vector<fs::path> hot_folder_files(const fs::path& dir, bool recursive) {
  std::vector<fs::path> files;
  std::error_code ec;
  auto options = fs::directory_options::skip_permission_denied;
  for (fs::recursive_directory_iterator it(dir, options, ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::path& p = it->path();
    std::error_code type_ec;
    bool folder = it->is_directory(type_ec);
    bool filed = it.depth() == 0 && (p.filename() == kDone || p.filename() == kFailed);
    if (is_hidden(p) || filed || (folder && !recursive)) {
      if (folder) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(type_ec)) files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path move_into(const fs::path& file, const fs::path& folder) {
  fs::create_directories(folder);
  fs::path target = folder / file.filename();
  std::string stem = file.stem().string();
  std::string ext = file.extension().string();
  for (int n = 2; fs::exists(target); ++n) {
    target = folder / (stem + "-" + std::to_string(n) + ext);
  }
  fs::rename(file, target);
  return target;
}

void watch(const WatchOptions& options, const std::function<void(const FileOutcome&)>& on_outcome) {
  if (!fs::is_directory(options.dir)) {
    throw std::runtime_error(options.dir.string() + ": not a folder");
  }
  Inotify inotify(options.dir);
  SettleTracker tracker(std::chrono::milliseconds(static_cast<long>(options.settle_s * 1000)));
  auto stopping = [&] { return options.stop != nullptr && options.stop->load(); };
  // Files read but not movable stay in the folder; they are not read again
  // and again.
  std::set<fs::path> stuck;
  while (!stopping()) {
    auto now = SettleTracker::Clock::now();
    tracker.observe(hot_folder_files(options.dir, options.recursive), now);
    std::vector<fs::path> ready = tracker.settled(now);
    std::erase_if(ready, [&](const fs::path& p) { return stuck.count(p) > 0; });
    // Not scans (a .docx, a CSV): filed away unrecorded, with the reason.
    std::erase_if(ready, [&](const fs::path& p) {
      std::string why = why_not_a_scan(p);
      if (why.empty()) return false;
      FileOutcome skipped;
      skipped.source = skipped.file = p.string();
      skipped.status = "skipped";
      skipped.error = why;
      if (!file_away(options.dir, skipped)) stuck.insert(p);
      tracker.forget(p);
      on_outcome(skipped);
      return true;
    });
    if (ready.empty()) {
      if (options.between_batches) options.between_batches(false);
      inotify.wait(kTickMs);
      continue;
    }
    IngestOptions batch = options.ingest;
    batch.inputs = ready;
    batch.stop = options.stop;
    if (batch.digitized_at.empty()) batch.digitized_at = today_iso();
    ingest(batch, [&](const FileOutcome& outcome) {
      FileOutcome filed = outcome;
      // A stack cut with --split leaves once its last part is stored.
      if (!outcome.file_done) {
        on_outcome(filed);
        return;
      }
      fs::path file = outcome.file.empty() ? fs::path(outcome.source) : fs::path(outcome.file);
      if (!file_away(options.dir, outcome)) {
        stuck.insert(file);
        if (filed.error.empty()) filed.error = "read, but cannot be moved out of the hot folder";
      }
      tracker.forget(file);
      on_outcome(filed);
    });
    if (options.between_batches) options.between_batches(true);
  }
}

}  // namespace sohoa::pipeline
