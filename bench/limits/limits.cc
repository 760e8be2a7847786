#include "bench/limits/limits.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace seimbang::bench {

namespace {

// A figure and limit that can be compared: both finite, the value not negative, the limit
// positive. Anything else means nothing was measured.
bool Measured(double value, double limit) {
  return std::isfinite(value) && std::isfinite(limit) && value >= 0 && limit > 0;
}

}  // namespace

bool MeetsLimit(double value, Bound bound, double limit) {
  if (!Measured(value, limit)) return false;
  return bound == Bound::kAtMost ? value <= limit : value >= limit;
}

std::string LimitLine(int item, std::string_view what, double value, Bound bound, double limit) {
  const char* op = bound == Bound::kAtMost ? "<=" : ">=";
  if (!Measured(value, limit)) {
    return absl::StrFormat("%s | item %d | %s | - | %s %.2f | ratio - | NOT MEASURED", kLimitPrefix,
                           item, what, op, limit);
  }
  return absl::StrFormat("%s | item %d | %s | %.2f | %s %.2f | ratio %.2f | %s", kLimitPrefix, item,
                         what, value, op, limit, value / limit,
                         MeetsLimit(value, bound, limit) ? "met" : "MISSED");
}

}  // namespace seimbang::bench
