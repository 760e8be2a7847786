#include "common/server/allocator.h"

#include <chrono>
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
