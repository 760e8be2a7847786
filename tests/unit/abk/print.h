// Readable gtest failure output for the ABK value types.
#ifndef SEIMBANG_TESTS_UNIT_ABK_PRINT_H_
#define SEIMBANG_TESTS_UNIT_ABK_PRINT_H_

#include <ostream>

#include "services/workload/abk/settings.h"

namespace seimbang::abk {

inline void PrintTo(const FieldViolation& v, std::ostream* os) {
  *os << "{" << v.field << ": " << v.description << "}";
}

}  // namespace seimbang::abk

#endif  // SEIMBANG_TESTS_UNIT_ABK_PRINT_H_
