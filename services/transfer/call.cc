#include "services/transfer/call.h"

#include <cstdint>
#include <random>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace seimbang::transfer {

std::string NewId(const char* prefix) {
  static std::mt19937_64 rng(std::random_device{}() ^
                             static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
  static absl::Mutex mu;
  absl::MutexLock lock(&mu);
  return absl::StrFormat("%s%012x", prefix, rng() & 0xffffffffffffULL);
}

}  // namespace seimbang::transfer
