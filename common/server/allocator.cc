#include "common/server/allocator.h"

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

}  // namespace seimbang::server
