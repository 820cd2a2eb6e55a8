// The archive of original files: content-addressed, written atomically so a
// crash never leaves a half file under a final name.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string_view>
#include <utility>

#include "storage/database.h"
#include "storage/file_hash.h"

namespace sohoa::storage {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw StorageError(path.string() + ": " + what + ": " + std::strerror(errno));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Copies `from` to `to` and returns the SHA-256 of the bytes copied.
std::string copy_all(int from, int to, const std::filesystem::path& source,
                     const std::filesystem::path& target) {
  char buffer[1 << 16];
  Sha256 sha;
  for (;;) {
    ssize_t n = ::read(from, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(source, "cannot read");
    if (n == 0) return sha.hex();
    sha.update(std::string_view(buffer, static_cast<size_t>(n)));
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(to, buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) fail(target, "cannot write");
      done += w;
    }
  }
}

void sync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

constexpr std::string_view kTempMark = ".tmp.";

std::string temp_suffix() {
  std::random_device rd;
  return std::string(kTempMark) + std::to_string(::getpid()) + "." + std::to_string(rd());
}

// The process that wrote a temp file "<sha>.tmp.<pid>.<n>", or 0.
pid_t temp_writer(const std::string& name, const std::string& sha256) {
  std::string prefix = sha256 + std::string(kTempMark);
  if (!name.starts_with(prefix)) return 0;
  size_t end = name.find('.', prefix.size());
  try {
    return static_cast<pid_t>(std::stol(name.substr(prefix.size(), end - prefix.size())));
  } catch (const std::exception&) {
    return 0;
  }
}

// A process killed while copying leaves its temp file behind; the rerun that
// copies the same file removes it. Temps of living processes (a concurrent
// ingest) are theirs to finish.
void remove_dead_temps(const std::filesystem::path& dir, const std::string& sha256) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    pid_t writer = temp_writer(entry.path().filename().string(), sha256);
    if (writer > 0 && ::kill(writer, 0) != 0 && errno == ESRCH) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

}  // namespace

Archive Archive::beside(const std::filesystem::path& db_path) {
  return Archive(std::filesystem::path(db_path.string() + ".files"));
}

std::filesystem::path Archive::path_of(const std::string& sha256) const {
  return dir_ / sha256.substr(0, 2) / sha256;
}

bool Archive::contains(const std::string& sha256) const {
  std::error_code ec;
  std::filesystem::path path = path_of(sha256);
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  try {
    return sha256_of_file(path) == sha256;
  } catch (const std::exception&) {
    return false;
  }
}

std::filesystem::path Archive::put(const std::filesystem::path& file,
                                   const std::string& sha256) const {
  if (sha256.size() < 2) throw StorageError("archive: invalid hash \"" + sha256 + "\"");
  std::filesystem::path target = path_of(sha256);
  remove_dead_temps(target.parent_path(), sha256);
  // A damaged copy (disk error, someone's editor) is replaced, not trusted.
  if (contains(sha256)) return target;
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) throw StorageError(target.parent_path().string() + ": cannot create: " + ec.message());

  Fd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) fail(file, "cannot open");
  std::filesystem::path temp = target.string() + temp_suffix();
  Fd out(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (out.get() < 0) fail(temp, "cannot create");
  try {
    std::string copied = copy_all(in.get(), out.get(), file, temp);
    if (copied != sha256) {
      throw SourceChanged(file.string() +
                          ": file changed while it was being ingested (its bytes no longer have "
                          "the SHA-256 read before); ingest it again once it is complete");
    }
    if (::fsync(out.get()) != 0) fail(temp, "cannot sync");
    if (::close(out.release()) != 0) fail(temp, "cannot close");
    if (::rename(temp.c_str(), target.c_str()) != 0) fail(target, "cannot rename into place");
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  sync_directory(target.parent_path());
  return target;
}

}  // namespace sohoa::storage

namespace sohoa::storage {

bool Archive::remove(const std::string& sha256) const {
  if (sha256.size() < 2) return false;
  std::error_code ec;
  bool removed = std::filesystem::remove(path_of(sha256), ec);
  if (ec) throw StorageError(path_of(sha256).string() + ": cannot remove: " + ec.message());
  return removed;
}

}  // namespace sohoa::storage
