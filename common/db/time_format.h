#ifndef SEIMBANG_COMMON_DB_TIME_FORMAT_H_
#define SEIMBANG_COMMON_DB_TIME_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace seimbang::db {

// Timestamps are stored as INTEGER/BIGINT unix milliseconds on both engines.
int64_t NowUnixMillis();
inline int64_t ToDbMillis(absl::Time t) { return absl::ToUnixMillis(t); }
inline absl::Time FromDbMillis(int64_t ms) { return absl::FromUnixMillis(ms); }

// "2026-11-27T19:23:05.123Z", for logs and audit text.
std::string FormatUtc(absl::Time t);
std::string NowUtc();

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_TIME_FORMAT_H_
