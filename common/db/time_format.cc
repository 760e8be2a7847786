#include "common/db/time_format.h"

#include "absl/time/clock.h"

namespace seimbang::db {

int64_t NowUnixMillis() { return absl::ToUnixMillis(absl::Now()); }

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string NowUtc() { return FormatUtc(absl::Now()); }

}  // namespace seimbang::db
