// At most `slots` computations at a time, admitted first come first served.
// The server's request threads (one per keep-alive connection, 24) would
// otherwise all run their searches at once on a machine of a few cores: each
// is slowed by every other, and a costly search (a common name, walked
// through the index until 20 hits) takes as long as the time slices of all
// the others. Queued in order, a request waits for those ahead of it and
// then runs at full speed, so the slow end of the latencies comes in
// (serve_bench, 1M documents, 20 clients: see README).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace sohoa::web {

class WorkGate {
 public:
  explicit WorkGate(int slots) : slots_(slots < 1 ? 1 : slots) {}

  // Holds a slot for its lifetime.
  class Pass {
   public:
    explicit Pass(WorkGate& gate) : gate_(gate) { gate_.enter(); }
    ~Pass() { gate_.leave(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    WorkGate& gate_;
  };

  // Computations waiting for a slot.
  uint64_t waiting() {
    std::lock_guard lock(mutex_);
    uint64_t admitted = left_ + static_cast<uint64_t>(slots_);
    return next_ticket_ > admitted ? next_ticket_ - admitted : 0;
  }

 private:
  void enter() {
    std::unique_lock lock(mutex_);
    uint64_t ticket = next_ticket_++;
    changed_.wait(lock, [&] { return ticket < left_ + static_cast<uint64_t>(slots_); });
  }
  void leave() {
    {
      std::lock_guard lock(mutex_);
      ++left_;
    }
    changed_.notify_all();
  }

  int slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t next_ticket_ = 0;  // tickets handed out
  uint64_t left_ = 0;         // passes given back
};

}  // namespace sohoa::web
