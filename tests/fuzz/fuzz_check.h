// Invariant checks for the fuzz targets: a broken invariant aborts, so both
// libFuzzer and the replay driver report it as a crash with the message.
#ifndef SEIMBANG_TESTS_FUZZ_FUZZ_CHECK_H_
#define SEIMBANG_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define SEIMBANG_FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                \
      std::fprintf(stderr, "\n");                                                       \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

#endif  // SEIMBANG_TESTS_FUZZ_FUZZ_CHECK_H_
