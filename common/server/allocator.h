#ifndef SEIMBANG_COMMON_SERVER_ALLOCATOR_H_
#define SEIMBANG_COMMON_SERVER_ALLOCATOR_H_

// glibc malloc tuning for long-running services. The services' big requests
// (RunAnalysis, GetStaffing, CreatePlan) allocate tens of MB of small objects
// on whichever gRPC thread serves them; with glibc's default of 8 arenas per
// core each thread's arena keeps its freed pages, so resident memory climbs
// to (arenas x peak) although little is in use (issue #10).

#include <optional>

namespace seimbang::server {

// Arenas used when MALLOC_ARENA_MAX is not set in the environment.
inline constexpr int kDefaultMallocArenas = 2;

// The arena limit to apply given the MALLOC_ARENA_MAX environment value (null
// when unset): none when the operator chose one, else kDefaultMallocArenas.
[[nodiscard]] std::optional<int> MallocArenaLimit(const char* env_value);

// Applies MallocArenaLimit(getenv("MALLOC_ARENA_MAX")). Call first in main,
// before any thread exists. A no-op outside glibc.
void ConfigureAllocator();

// Returns the free pages of every arena to the OS (malloc_trim). Call after a
// request that allocated a large transient working set; costs a few ms.
void ReleaseFreeMemory();

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_ALLOCATOR_H_
