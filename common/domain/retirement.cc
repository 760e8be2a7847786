#include "common/domain/retirement.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/domain/enum_names.h"

namespace seimbang::domain {
namespace {

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view), so std::string_view arguments are converted explicitly.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr EnumName<PositionKind> kPositionKindNames[] = {
    {PositionKind::kJptUtama, "JPT_UTAMA"},
    {PositionKind::kJptMadya, "JPT_MADYA"},
    {PositionKind::kJptPratama, "JPT_PRATAMA"},
    {PositionKind::kAdministrator, "ADMINISTRATOR"},
    {PositionKind::kPengawas, "PENGAWAS"},
    {PositionKind::kFunctionalExpertise, "FUNCTIONAL_EXPERTISE"},
    {PositionKind::kFunctionalSkill, "FUNCTIONAL_SKILL"},
    {PositionKind::kPelaksana, "PELAKSANA"},
};
static_assert(CoversEveryValue(kPositionKindNames, PositionKind::kJptUtama,
                               PositionKind::kPelaksana));

constexpr EnumName<FunctionalLevel> kFunctionalLevelNames[] = {
    {FunctionalLevel::kNone, "NONE"},
    {FunctionalLevel::kAhliPertama, "AHLI_PERTAMA"},
    {FunctionalLevel::kAhliMuda, "AHLI_MUDA"},
    {FunctionalLevel::kAhliMadya, "AHLI_MADYA"},
    {FunctionalLevel::kAhliUtama, "AHLI_UTAMA"},
    {FunctionalLevel::kPemula, "PEMULA"},
    {FunctionalLevel::kTerampil, "TERAMPIL"},
    {FunctionalLevel::kMahir, "MAHIR"},
    {FunctionalLevel::kPenyelia, "PENYELIA"},
};
static_assert(CoversEveryValue(kFunctionalLevelNames, FunctionalLevel::kNone,
                               FunctionalLevel::kPenyelia));

absl::Status Mismatch(PositionKind kind, FunctionalLevel level) {
  return absl::InvalidArgumentError(
      absl::StrCat("functional level ", Sv(FunctionalLevelName(level)),
                   " does not fit position kind ", Sv(PositionKindName(kind))));
}

}  // namespace

std::string_view PositionKindName(PositionKind kind) {
  return NameOf(kPositionKindNames, kind, "?");
}

std::string_view FunctionalLevelName(FunctionalLevel level) {
  return NameOf(kFunctionalLevelNames, level, "?");
}

absl::StatusOr<int> DefaultRetirementAge(PositionKind kind, FunctionalLevel level) {
  switch (kind) {
    case PositionKind::kJptUtama:
    case PositionKind::kJptMadya:
    case PositionKind::kJptPratama:
      if (level != FunctionalLevel::kNone) return Mismatch(kind, level);
      return 60;
    case PositionKind::kAdministrator:
    case PositionKind::kPengawas:
    case PositionKind::kPelaksana:
      if (level != FunctionalLevel::kNone) return Mismatch(kind, level);
      return 58;
    case PositionKind::kFunctionalExpertise:
      switch (level) {
        case FunctionalLevel::kAhliPertama:
        case FunctionalLevel::kAhliMuda:
          return 58;
        case FunctionalLevel::kAhliMadya:
          return 60;
        case FunctionalLevel::kAhliUtama:
          return 65;
        default:
          return Mismatch(kind, level);
      }
    case PositionKind::kFunctionalSkill:
      switch (level) {
        case FunctionalLevel::kPemula:
        case FunctionalLevel::kTerampil:
        case FunctionalLevel::kMahir:
        case FunctionalLevel::kPenyelia:
          return 58;
        default:
          return Mismatch(kind, level);
      }
  }
  return absl::InvalidArgumentError("unknown position kind");
}

}  // namespace seimbang::domain
