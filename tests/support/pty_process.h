// A program run on a pseudo-terminal, as a person at a terminal runs it:
// stdin, stderr (and stdout, unless it is sent to a file) are the terminal,
// so Ctrl+C typed into it reaches the program as SIGINT through the line
// discipline, and what it draws can be read back in order.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace sohoa::testing {

class PtyProcess {
 public:
  // Starts `argv` (argv[0] a path). `stdout_file` non-empty: stdout goes to
  // that file instead of the terminal. Throws std::runtime_error.
  explicit PtyProcess(const std::vector<std::string>& argv,
                      const std::filesystem::path& stdout_file = {}) {
    pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ < 0) throw std::runtime_error("forkpty failed");
    if (pid_ == 0) {
      if (!stdout_file.empty()) {
        int fd = open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) _exit(126);
        dup2(fd, STDOUT_FILENO);
        close(fd);
      }
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~PtyProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  // Types `keys` into the terminal ("\x03" is Ctrl+C).
  void type(const std::string& keys) {
    if (write(master_, keys.data(), keys.size()) != static_cast<ssize_t>(keys.size()))
      throw std::runtime_error("cannot write to the terminal");
  }

  // Reads what the terminal shows until it holds `wanted` or `limit` passes;
  // true when it does.
  bool wait_for(const std::string& wanted, std::chrono::milliseconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (screen_.find(wanted) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return false;
    }
    return true;
  }

  // Waits up to `limit` for the program to end, reading the terminal to the
  // end; its exit code (128 + signal when killed, -1 on timeout: then it is
  // killed).
  int wait_exit(std::chrono::milliseconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        while (read_some(200)) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      read_some(100);
    }
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    exited_ = true;
    return -1;
  }

  // Everything the terminal received so far.
  const std::string& screen() const { return screen_; }
  pid_t pid() const { return pid_; }

 private:
  // Appends what arrives within `timeout_ms`; false when nothing more can.
  bool read_some(int timeout_ms) {
    pollfd fd = {master_, POLLIN, 0};
    if (poll(&fd, 1, timeout_ms) <= 0) return false;
    char buf[4096];
    ssize_t n = read(master_, buf, sizeof buf);
    if (n <= 0) return false;  // EIO once the program and its terminal are gone
    screen_.append(buf, static_cast<size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int master_ = -1;
  bool exited_ = false;
  std::string screen_;
};

}  // namespace sohoa::testing
