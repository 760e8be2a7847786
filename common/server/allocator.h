#ifndef SEIMBANG_COMMON_SERVER_ALLOCATOR_H_
#define SEIMBANG_COMMON_SERVER_ALLOCATOR_H_

// glibc malloc tuning for long-running services. The services' big requests
// (RunAnalysis, GetStaffing, CreatePlan) allocate tens of MB of small objects
// on whichever gRPC thread serves them; with glibc's default of 8 arenas per
// core each thread's arena keeps its freed pages, so resident memory climbs
// to (arenas x peak) although little is in use (issue #10).

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/time/time.h"

namespace seimbang::server {

// Arenas used when MALLOC_ARENA_MAX is not set in the environment.
inline constexpr int kDefaultMallocArenas = 2;

// The arena limit to apply given the MALLOC_ARENA_MAX environment value (null
// when unset): none when the operator chose one, else kDefaultMallocArenas.
[[nodiscard]] std::optional<int> MallocArenaLimit(const char* env_value);

// Applies MallocArenaLimit(getenv("MALLOC_ARENA_MAX")). Call first in main,
// before any thread exists. A no-op outside glibc.
void ConfigureAllocator();

// Returns the free pages of every arena to the OS (malloc_trim). Its cost grows with the
// number of free chunks, and the pages it returns are faulted in again by the next request
// that needs them: after each of many short requests it costs more than the requests
// themselves (RunAnalysis: 60% of workload-service's CPU, bench/RESULTS.md). Call it after a
// rare request that freed hundreds of MB (CreatePlan); MemoryReleaser covers the rest.
void ReleaseFreeMemory();

// ReleaseFreeMemory, unless a call of this function released memory less than `interval` ago
// (or is releasing it now, on another thread); returns whether this call released. For
// requests that come both alone and by the thousand: RunAnalysis hands its run back at once
// when runs come alone, but trims at most once every 5 s in a pass over every agency.
bool ReleaseFreeMemoryAtMostEvery(absl::Duration interval);

// Calls ReleaseFreeMemory every `period` on a thread of its own until destroyed, so memory
// freed by any request (gRPC buffers, driver result sets, responses) is handed back too, not
// only after the requests that trim themselves. ServiceMain keeps one for the process.
class MemoryReleaser {
 public:
  explicit MemoryReleaser(absl::Duration period);
  ~MemoryReleaser();
  MemoryReleaser(const MemoryReleaser&) = delete;
  MemoryReleaser& operator=(const MemoryReleaser&) = delete;

  // How many times it has released memory so far.
  int rounds() const;

 private:
  const absl::Duration period_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  int rounds_ = 0;
  std::thread thread_;
};

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_ALLOCATOR_H_
