#include "common/server/allocator.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace seimbang::server {

std::optional<int> MallocArenaLimit(const char* env_value) {
  if (env_value != nullptr && env_value[0] != '\0') return std::nullopt;  // glibc reads it
  return kDefaultMallocArenas;
}

void ConfigureAllocator() {
#if defined(__GLIBC__)
  if (std::optional<int> arenas = MallocArenaLimit(std::getenv("MALLOC_ARENA_MAX"))) {
    mallopt(M_ARENA_MAX, *arenas);
  }
#endif
}

void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

bool ReleaseFreeMemoryAtMostEvery(absl::Duration interval) {
  // The monotonic time, in ns, from which the next release may run; 0: at once.
  static std::atomic<int64_t> next_allowed{0};
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  int64_t allowed = next_allowed.load(std::memory_order_relaxed);
  const int64_t next = now + absl::ToInt64Nanoseconds(interval);
  if (now < allowed ||
      !next_allowed.compare_exchange_strong(allowed, next, std::memory_order_relaxed)) {
    return false;
  }
  ReleaseFreeMemory();
  return true;
}

MemoryReleaser::MemoryReleaser(absl::Duration period) : period_(period) {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, absl::ToChronoNanoseconds(period_), [this] { return stop_; })) {
      lock.unlock();
      ReleaseFreeMemory();
      lock.lock();
      ++rounds_;
    }
  });
}

MemoryReleaser::~MemoryReleaser() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

int MemoryReleaser::rounds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rounds_;
}

}  // namespace seimbang::server
