#include "common/domain/education.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/domain/enum_names.h"

namespace seimbang::domain {
namespace {

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view), so std::string_view arguments are converted explicitly.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// The canonical spellings FormatEducation writes.
constexpr EnumName<EducationLevel> kCanonicalNames[] = {
    {EducationLevel::kSd, "SD"},   {EducationLevel::kSmp, "SMP"}, {EducationLevel::kSma, "SMA"},
    {EducationLevel::kD1, "D-I"},  {EducationLevel::kD2, "D-II"}, {EducationLevel::kD3, "D-III"},
    {EducationLevel::kD4, "D-IV"}, {EducationLevel::kS1, "S-1"},  {EducationLevel::kS2, "S-2"},
    {EducationLevel::kS3, "S-3"},
};
static_assert(CoversEveryValue(kCanonicalNames, EducationLevel::kSd, EducationLevel::kS3));

// What ParseEducation accepts once the text is upper-cased and the dash after D or S dropped.
constexpr EnumName<EducationLevel> kParseNames[] = {
    {EducationLevel::kSd, "SD"},   {EducationLevel::kSmp, "SMP"}, {EducationLevel::kSmp, "SLTP"},
    {EducationLevel::kSma, "SMA"}, {EducationLevel::kSma, "SMK"}, {EducationLevel::kSma, "SLTA"},
    {EducationLevel::kD1, "D1"},   {EducationLevel::kD1, "DI"},   {EducationLevel::kD2, "D2"},
    {EducationLevel::kD2, "DII"},  {EducationLevel::kD3, "D3"},   {EducationLevel::kD3, "DIII"},
    {EducationLevel::kD4, "D4"},   {EducationLevel::kD4, "DIV"},  {EducationLevel::kS1, "S1"},
    {EducationLevel::kS2, "S2"},   {EducationLevel::kS3, "S3"},
};
static_assert(CoversEveryValue(kParseNames, EducationLevel::kSd, EducationLevel::kS3));

// Position on the qualification ladder: the enum's order (SD = 1), except that D-IV and S-1
// share a step; 0 for a value outside the enum.
constexpr int Step(EducationLevel level) {
  if (level < EducationLevel::kSd || level > EducationLevel::kS3) return 0;
  const int order = static_cast<int>(level);
  return level >= EducationLevel::kS1 ? order - 1 : order;
}
static_assert(Step(EducationLevel::kSd) == 1 && Step(EducationLevel::kD4) == 7 &&
              Step(EducationLevel::kS1) == 7 && Step(EducationLevel::kS3) == 9);

}  // namespace

absl::StatusOr<EducationLevel> ParseEducation(std::string_view text) {
  std::string key = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(Sv(text)));
  // "D-III" and "DIII" mean the same; so do "S-1" and "S1".
  if (key.size() > 2 && key[1] == '-' && (key[0] == 'D' || key[0] == 'S')) key.erase(1, 1);
  if (std::optional<EducationLevel> level = FromName(kParseNames, key)) return *level;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown education level \"", Sv(text),
                   "\" (expected SD, SMP, SMA/SMK, D-I..D-IV or S-1..S-3)"));
}

std::string_view FormatEducation(EducationLevel level) {
  return NameOf(kCanonicalNames, level, "?");
}

bool MeetsMinimum(EducationLevel have, EducationLevel required) {
  return Step(have) >= Step(required);
}

}  // namespace seimbang::domain
