#ifndef SEIMBANG_COMMON_DOMAIN_RETIREMENT_H_
#define SEIMBANG_COMMON_DOMAIN_RETIREMENT_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace seimbang::domain {

// Kinds of jabatan (UU 20/2023): managerial (JPT, administrator, pengawas)
// and non-managerial (functional expertise or skill, pelaksana).
enum class PositionKind {
  kJptUtama,
  kJptMadya,
  kJptPratama,
  kAdministrator,
  kPengawas,
  kFunctionalExpertise,  // jabatan fungsional keahlian
  kFunctionalSkill,      // jabatan fungsional keterampilan
  kPelaksana,
};

// Jenjang of a functional position; kNone for every other kind.
enum class FunctionalLevel {
  kNone,
  kAhliPertama,
  kAhliMuda,
  kAhliMadya,
  kAhliUtama,
  kPemula,
  kTerampil,
  kMahir,
  kPenyelia,
};

[[nodiscard]] std::string_view PositionKindName(PositionKind kind);
[[nodiscard]] std::string_view FunctionalLevelName(FunctionalLevel level);

// Batas usia pensiun (BUP) in years, PP 11/2017 art. 239: 58 for
// administrator, pengawas, pelaksana, ahli pertama, ahli muda and every skill
// level; 60 for JPT and ahli madya; 65 for ahli utama. Some functional
// positions have their own BUP set by other laws (e.g. teachers, lecturers),
// which is why callers treat this as the default of a setting.
// INVALID_ARGUMENT when the level does not fit the kind (an expertise post
// needs an ahli level, a skill post a skill level, other kinds kNone).
[[nodiscard]] absl::StatusOr<int> DefaultRetirementAge(PositionKind kind, FunctionalLevel level);

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_RETIREMENT_H_
