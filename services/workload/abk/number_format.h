// How numbers appear in validation messages: shortest readable form ("500",
// "0.95", "-1"), so the messages are stable and tests can match them exactly.
#ifndef SEIMBANG_SERVICES_WORKLOAD_ABK_NUMBER_FORMAT_H_
#define SEIMBANG_SERVICES_WORKLOAD_ABK_NUMBER_FORMAT_H_

#include <string>

namespace seimbang::abk {

// Up to 6 significant digits, like printf's %g ("1e+09" for huge values).
[[nodiscard]] std::string FormatNumber(double value);

}  // namespace seimbang::abk

#endif  // SEIMBANG_SERVICES_WORKLOAD_ABK_NUMBER_FORMAT_H_
