#include "common/domain/education.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace seimbang::domain {
namespace {

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view), so std::string_view arguments are converted explicitly.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Position on the qualification ladder; D-IV and S-1 share a step.
int Step(EducationLevel level) {
  switch (level) {
    case EducationLevel::kSd:
      return 1;
    case EducationLevel::kSmp:
      return 2;
    case EducationLevel::kSma:
      return 3;
    case EducationLevel::kD1:
      return 4;
    case EducationLevel::kD2:
      return 5;
    case EducationLevel::kD3:
      return 6;
    case EducationLevel::kD4:
      return 7;
    case EducationLevel::kS1:
      return 7;
    case EducationLevel::kS2:
      return 8;
    case EducationLevel::kS3:
      return 9;
  }
  return 0;
}

}  // namespace

absl::StatusOr<EducationLevel> ParseEducation(std::string_view text) {
  std::string key = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(Sv(text)));
  // "D-III" and "DIII" mean the same; so do "S-1" and "S1".
  if (key.size() > 2 && key[1] == '-' && (key[0] == 'D' || key[0] == 'S')) key.erase(1, 1);
  static constexpr std::pair<std::string_view, EducationLevel> kNames[] = {
      {"SD", EducationLevel::kSd},   {"SMP", EducationLevel::kSmp}, {"SLTP", EducationLevel::kSmp},
      {"SMA", EducationLevel::kSma}, {"SMK", EducationLevel::kSma}, {"SLTA", EducationLevel::kSma},
      {"D1", EducationLevel::kD1},   {"DI", EducationLevel::kD1},   {"D2", EducationLevel::kD2},
      {"DII", EducationLevel::kD2},  {"D3", EducationLevel::kD3},   {"DIII", EducationLevel::kD3},
      {"D4", EducationLevel::kD4},   {"DIV", EducationLevel::kD4},  {"S1", EducationLevel::kS1},
      {"S2", EducationLevel::kS2},   {"S3", EducationLevel::kS3},
  };
  for (const auto& [name, level] : kNames) {
    if (key == name) return level;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown education level \"", Sv(text),
                   "\" (expected SD, SMP, SMA/SMK, D-I..D-IV or S-1..S-3)"));
}

std::string_view FormatEducation(EducationLevel level) {
  switch (level) {
    case EducationLevel::kSd:
      return "SD";
    case EducationLevel::kSmp:
      return "SMP";
    case EducationLevel::kSma:
      return "SMA";
    case EducationLevel::kD1:
      return "D-I";
    case EducationLevel::kD2:
      return "D-II";
    case EducationLevel::kD3:
      return "D-III";
    case EducationLevel::kD4:
      return "D-IV";
    case EducationLevel::kS1:
      return "S-1";
    case EducationLevel::kS2:
      return "S-2";
    case EducationLevel::kS3:
      return "S-3";
  }
  return "?";
}

bool MeetsMinimum(EducationLevel have, EducationLevel required) {
  return Step(have) >= Step(required);
}

}  // namespace seimbang::domain
