// Invariant checks for the fuzz targets: a broken invariant aborts, so both
// libFuzzer and the replay driver report it as a crash with the message.
#ifndef SEIMBANG_TESTS_FUZZ_FUZZ_CHECK_H_
#define SEIMBANG_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"

#define SEIMBANG_FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                \
      std::fprintf(stderr, "\n");                                                       \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

// A rejection of untrusted input is INVALID_ARGUMENT, never another code.
#define SEIMBANG_FUZZ_CHECK_INVALID_ARGUMENT(status)                         \
  SEIMBANG_FUZZ_CHECK((status).code() == absl::StatusCode::kInvalidArgument, \
                      "rejection is not INVALID_ARGUMENT")

// The same, for a parser that also says why it refused.
#define SEIMBANG_FUZZ_CHECK_REJECTION(status)                                     \
  do {                                                                            \
    SEIMBANG_FUZZ_CHECK_INVALID_ARGUMENT(status);                                 \
    SEIMBANG_FUZZ_CHECK(!(status).message().empty(), "rejection has no message"); \
  } while (false)

#endif  // SEIMBANG_TESTS_FUZZ_FUZZ_CHECK_H_
