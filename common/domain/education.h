#ifndef SEIMBANG_COMMON_DOMAIN_EDUCATION_H_
#define SEIMBANG_COMMON_DOMAIN_EDUCATION_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace seimbang::domain {

// Highest completed education (jenjang pendidikan), in ascending order.
// SMA covers SMK (and the older name SLTA); SMP covers SLTP.
enum class EducationLevel { kSd = 1, kSmp, kSma, kD1, kD2, kD3, kD4, kS1, kS2, kS3 };

// Case-insensitive; accepts "S1"/"S-1", "D3"/"D-3"/"D-III"/"DIII", "SMK" (-> SMA),
// "SLTA" (-> SMA), "SLTP" (-> SMP). Anything else is INVALID_ARGUMENT.
[[nodiscard]] absl::StatusOr<EducationLevel> ParseEducation(std::string_view text);
// Canonical: "SD", "SMP", "SMA", "D-I" .. "D-IV", "S-1" .. "S-3".
[[nodiscard]] std::string_view FormatEducation(EducationLevel level);

// Whether `have` satisfies a minimum of `required`. D-IV (sarjana terapan)
// and S-1 count as the same level, so either meets a minimum of the other.
[[nodiscard]] bool MeetsMinimum(EducationLevel have, EducationLevel required);

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_EDUCATION_H_
