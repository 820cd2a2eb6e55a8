#include "web/work_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sohoa::web {
namespace {

void wait_until(const std::function<bool()>& done) {
  while (!done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(WorkGate, AdmitsNoMoreThanItsSlots) {
  WorkGate gate(2);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        WorkGate::Pass pass(gate);
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 2);
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(WorkGate, QueuedWorkEntersInArrivalOrder) {
  WorkGate gate(1);
  std::mutex mutex;
  std::vector<int> order;
  auto first = std::make_unique<WorkGate::Pass>(gate);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      WorkGate::Pass pass(gate);
      std::lock_guard lock(mutex);
      order.push_back(t);
    });
    // The next one arrives only once this one waits.
    wait_until([&] { return gate.waiting() == static_cast<uint64_t>(t + 1); });
  }
  EXPECT_TRUE(order.empty());
  first.reset();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST(WorkGate, ZeroSlotsStillAdmitsOne) {
  WorkGate gate(0);
  WorkGate::Pass pass(gate);
  EXPECT_EQ(gate.waiting(), 0u);
}

}  // namespace
}  // namespace sohoa::web
