#ifndef SEIMBANG_COMMON_DOMAIN_NIP_H_
#define SEIMBANG_COMMON_DOMAIN_NIP_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/domain/date.h"

namespace seimbang::domain {

enum class Gender { kMale = 1, kFemale = 2 };

// "male" / "female".
[[nodiscard]] std::string_view GenderName(Gender gender);

// What a PNS NIP (Nomor Induk Pegawai, Perka BKN 22/2007) says about its
// holder. Layout: YYYYMMDD YYYYMM G NNN = birth date, TMT CPNS year-month,
// gender (1 male, 2 female), sequence 001-999. It carries no agency code.
struct NipInfo {
  std::string nip;  // normalised: 18 digits, no spaces
  Date birth_date;
  int appointment_year = 0;   // TMT CPNS
  int appointment_month = 0;  // 1-12
  Gender gender = Gender::kMale;
  int sequence = 0;  // 1-999
};

// Parses a PNS NIP. Spaces are accepted between the four groups
// ("19850312 201001 1 002") and dropped. Every rejection is INVALID_ARGUMENT
// with a message naming the rule, e.g. "NIP must have 18 digits, got 17".
// `today` bounds the birth year (1940 to today's year).
[[nodiscard]] absl::StatusOr<NipInfo> ParseNip(std::string_view nip, const Date& today);
[[nodiscard]] absl::StatusOr<NipInfo> ParseNip(std::string_view nip);

// For logs: keeps the first 6 and last 2 digits ("198503**********02"). Input
// that is not an 18-digit number (after dropping spaces) is masked entirely,
// so a malformed value never leaks; a value over 32 bytes becomes 32 stars and "…".
[[nodiscard]] std::string MaskNip(std::string_view nip);

// Reports (INVALID_ARGUMENT, all mismatches joined by "; ") where a given
// field disagrees with what the NIP encodes; absent fields are not checked.
// `appointment` is the TMT CPNS; only its year and month are compared.
[[nodiscard]] absl::Status CheckNipConsistency(const NipInfo& info, std::optional<Date> birth_date,
                                               std::optional<Gender> gender,
                                               std::optional<Date> appointment);

// PNS (NIP) and PPPK (nomor induk PPPK) numbers are both 18 digits but have
// different layouts; they are never validated as one another.
enum class EmploymentType { kPns, kPppk };

// Validates an employee number and returns it normalised (18 digits).
// PNS: the full NIP rules of ParseNip. PPPK: only 18 digits, because the
// PPPK number layout is not published in a source we trust; guessing its
// fields would reject real numbers.
[[nodiscard]] absl::StatusOr<std::string> ValidateEmployeeNumber(EmploymentType type,
                                                                 std::string_view number);

// The shape both numbers share once normalised: exactly 18 ASCII digits, no spaces. For
// references to an employee (a pinned move, a preference, a report row) whose record
// personnel validates; it says nothing of the layout.
[[nodiscard]] bool IsEmployeeNumberShape(std::string_view number);

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_NIP_H_
