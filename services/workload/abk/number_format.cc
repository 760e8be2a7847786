#include "services/workload/abk/number_format.h"

#include "absl/strings/str_cat.h"

namespace seimbang::abk {

std::string FormatNumber(double value) { return absl::StrCat(value); }

}  // namespace seimbang::abk
