#include "common/domain/retirement.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace seimbang::domain {
namespace {

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view), so std::string_view arguments are converted explicitly.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Mismatch(PositionKind kind, FunctionalLevel level) {
  return absl::InvalidArgumentError(
      absl::StrCat("functional level ", Sv(FunctionalLevelName(level)),
                   " does not fit position kind ", Sv(PositionKindName(kind))));
}

}  // namespace

std::string_view PositionKindName(PositionKind kind) {
  switch (kind) {
    case PositionKind::kJptUtama:
      return "JPT_UTAMA";
    case PositionKind::kJptMadya:
      return "JPT_MADYA";
    case PositionKind::kJptPratama:
      return "JPT_PRATAMA";
    case PositionKind::kAdministrator:
      return "ADMINISTRATOR";
    case PositionKind::kPengawas:
      return "PENGAWAS";
    case PositionKind::kFunctionalExpertise:
      return "FUNCTIONAL_EXPERTISE";
    case PositionKind::kFunctionalSkill:
      return "FUNCTIONAL_SKILL";
    case PositionKind::kPelaksana:
      return "PELAKSANA";
  }
  return "?";
}

std::string_view FunctionalLevelName(FunctionalLevel level) {
  switch (level) {
    case FunctionalLevel::kNone:
      return "NONE";
    case FunctionalLevel::kAhliPertama:
      return "AHLI_PERTAMA";
    case FunctionalLevel::kAhliMuda:
      return "AHLI_MUDA";
    case FunctionalLevel::kAhliMadya:
      return "AHLI_MADYA";
    case FunctionalLevel::kAhliUtama:
      return "AHLI_UTAMA";
    case FunctionalLevel::kPemula:
      return "PEMULA";
    case FunctionalLevel::kTerampil:
      return "TERAMPIL";
    case FunctionalLevel::kMahir:
      return "MAHIR";
    case FunctionalLevel::kPenyelia:
      return "PENYELIA";
  }
  return "?";
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
