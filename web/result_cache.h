// A small cache of computed answers (search results, progress reports)
// shared by the server's request threads. Each entry is stamped with the
// database's data_generation when it was computed and is used only while the
// database still has that generation, so a write by any process makes it
// recompute. Requests for one key that arrive while it is being computed wait
// for that computation instead of repeating it. At most `capacity` entries
// (least recently used go first), so memory stays bounded.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace sohoa::web {

template <typename Value>
class ResultCache {
 public:
  explicit ResultCache(size_t capacity) : capacity_(capacity) {}

  // The value for `key` at `generation`: cached, or made by `compute` (whose
  // exception, if any, reaches every waiting caller and is not cached).
  std::shared_ptr<const Value> get(const std::string& key, int64_t generation,
                                   const std::function<Value()>& compute) {
    std::promise<std::shared_ptr<const Value>> promise;
    std::shared_future<std::shared_ptr<const Value>> future;
    bool mine = false;
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second.generation == generation) {
        lru_.splice(lru_.begin(), lru_, it->second.position);
        future = it->second.value;
      } else {
        if (it != entries_.end()) {
          lru_.erase(it->second.position);
          entries_.erase(it);
        }
        future = promise.get_future().share();
        lru_.push_front(key);
        entries_[key] = {generation, future, lru_.begin()};
        mine = true;
        while (entries_.size() > capacity_) {
          entries_.erase(lru_.back());
          lru_.pop_back();
        }
      }
    }
    if (mine) {
      try {
        promise.set_value(std::make_shared<const Value>(compute()));
      } catch (...) {
        promise.set_exception(std::current_exception());
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second.generation == generation) {
          lru_.erase(it->second.position);
          entries_.erase(it);
        }
      }
    }
    return future.get();
  }

 private:
  struct Entry {
    int64_t generation = 0;
    std::shared_future<std::shared_ptr<const Value>> value;
    std::list<std::string>::iterator position;
  };
  size_t capacity_;
  std::mutex mutex_;
  std::list<std::string> lru_;  // most recently used first
  std::map<std::string, Entry> entries_;
};

}  // namespace sohoa::web
