// A small seeded random source whose sequence is the same on every platform
// and standard library (std:: distributions are implementation-defined).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sohoa::samples {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  // A generator for a named sub-stream, so that adding draws in one place
  // does not change what another document or page gets.
  Random fork(std::uint64_t salt) const { return Random(mix(state_ ^ mix(salt + 0x51ed2701))); }

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix(state_);
  }
  // Uniform in [lo, hi], both inclusive.
  int between(int lo, int hi) {
    if (hi < lo) throw std::invalid_argument("Random::between: empty range");
    auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<int>(next() % span);
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double real(double lo, double hi) { return lo + (hi - lo) * unit(); }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    if (items.empty()) throw std::invalid_argument("Random::pick: no items");
    return items[static_cast<std::size_t>(between(0, static_cast<int>(items.size()) - 1))];
  }
  std::string digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) out += static_cast<char>('0' + between(0, 9));
    return out;
  }

 private:
  // splitmix64 finalizer.
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

}  // namespace sohoa::samples
