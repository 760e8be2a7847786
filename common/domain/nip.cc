#include "common/domain/nip.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace seimbang::domain {
namespace {

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view), so std::string_view arguments are converted explicitly.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr int kNipDigits = 18;
// Oldest birth year accepted: nobody born earlier is still in service.
constexpr int kMinBirthYear = 1940;
constexpr int kMinAppointmentAge = 18;

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Drops spaces; a space is only allowed right after digit 8, 14 or 15 (the
// group boundaries of YYYYMMDD YYYYMM G NNN), one per boundary.
absl::StatusOr<std::string> NormaliseNip(std::string_view input) {
  input = TrimSpaces(input);
  std::string digits;
  bool misplaced_space = false;
  for (size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == ' ') {
      const size_t n = digits.size();
      if ((n != 8 && n != 14 && n != 15) || input[i - 1] == ' ') misplaced_space = true;
    } else {
      return absl::InvalidArgumentError("NIP must contain only digits");
    }
  }
  if (digits.size() != kNipDigits) {
    return absl::InvalidArgumentError(absl::StrCat("NIP must have 18 digits, got ", digits.size()));
  }
  if (misplaced_space) {
    return absl::InvalidArgumentError(
        "NIP may contain spaces only between its groups (YYYYMMDD YYYYMM G NNN)");
  }
  return digits;
}

}  // namespace

std::string_view GenderName(Gender gender) { return gender == Gender::kFemale ? "female" : "male"; }

absl::StatusOr<NipInfo> ParseNip(std::string_view nip, const Date& today) {
  absl::StatusOr<std::string> digits = NormaliseNip(nip);
  if (!digits.ok()) return digits.status();
  const std::string_view d = *digits;

  NipInfo info;
  info.nip = *digits;
  info.birth_date = Date{ToInt(d.substr(0, 4)), ToInt(d.substr(4, 2)), ToInt(d.substr(6, 2))};
  if (!IsValidDate(info.birth_date)) {
    return absl::InvalidArgumentError(
        absl::StrCat("NIP birth date ", FormatDate(info.birth_date), " is not a real date"));
  }
  if (info.birth_date.year < kMinBirthYear) {
    return absl::InvalidArgumentError(
        absl::StrCat("NIP birth year ", info.birth_date.year, " is before ", kMinBirthYear));
  }
  if (info.birth_date.year > today.year) {
    return absl::InvalidArgumentError(absl::StrCat("NIP birth year ", info.birth_date.year,
                                                   " is after the current year ", today.year));
  }

  info.appointment_year = ToInt(d.substr(8, 4));
  info.appointment_month = ToInt(d.substr(12, 2));
  if (info.appointment_month < 1 || info.appointment_month > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("NIP appointment month ", info.appointment_month, " is not a month"));
  }
  // The NIP only has the appointment's month, so the rule is checked at month
  // granularity: appointed in the month of the 18th birthday is accepted.
  const int turned_18 = (info.birth_date.year + kMinAppointmentAge) * 12 + info.birth_date.month;
  if (info.appointment_year * 12 + info.appointment_month < turned_18) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "NIP appointment %04d-%02d is before the person turned 18 (born %s)", info.appointment_year,
        info.appointment_month, FormatDate(info.birth_date)));
  }

  const char g = d[14];
  if (g != '1' && g != '2') {
    return absl::InvalidArgumentError(
        absl::StrCat("NIP gender digit must be 1 or 2, got ", std::string(1, g)));
  }
  info.gender = g == '1' ? Gender::kMale : Gender::kFemale;

  info.sequence = ToInt(d.substr(15, 3));
  if (info.sequence == 0) return absl::InvalidArgumentError("NIP sequence must be 001-999");
  return info;
}

absl::StatusOr<NipInfo> ParseNip(std::string_view nip) { return ParseNip(nip, Today()); }

std::string MaskNip(std::string_view nip) {
  // A NIP with spaces is at most a few dozen characters; anything longer is masked at once,
  // and as a bounded run of stars (issue 15 item 6: an 8 MiB value must not come back whole).
  constexpr size_t kMaxMaskedChars = 32;
  if (nip.size() > kMaxMaskedChars) return std::string(kMaxMaskedChars, '*') + "\xE2\x80\xA6";
  std::string digits;
  bool only_digits_and_spaces = true;
  for (char c : nip) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c != ' ') {
      only_digits_and_spaces = false;
    }
  }
  if (!only_digits_and_spaces || digits.size() != kNipDigits) {
    return std::string(nip.size(), '*');
  }
  for (size_t i = 6; i < kNipDigits - 2; ++i) digits[i] = '*';
  return digits;
}

absl::Status CheckNipConsistency(const NipInfo& info, std::optional<Date> birth_date,
                                 std::optional<Gender> gender, std::optional<Date> appointment) {
  std::vector<std::string> mismatches;
  if (birth_date.has_value() && *birth_date != info.birth_date) {
    mismatches.push_back(absl::StrCat("birth date ", FormatDate(*birth_date),
                                      " does not match NIP (", FormatDate(info.birth_date), ")"));
  }
  if (gender.has_value() && *gender != info.gender) {
    mismatches.push_back(absl::StrCat("gender ", Sv(GenderName(*gender)), " does not match NIP (",
                                      Sv(GenderName(info.gender)), ")"));
  }
  if (appointment.has_value() && (appointment->year != info.appointment_year ||
                                  appointment->month != info.appointment_month)) {
    mismatches.push_back(absl::StrFormat("appointment %04d-%02d does not match NIP (%04d-%02d)",
                                         appointment->year, appointment->month,
                                         info.appointment_year, info.appointment_month));
  }
  if (mismatches.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(mismatches, "; "));
}

absl::StatusOr<std::string> ValidateEmployeeNumber(EmploymentType type, std::string_view number) {
  if (type == EmploymentType::kPns) {
    absl::StatusOr<NipInfo> info = ParseNip(number);
    if (!info.ok()) return info.status();
    return std::move(info->nip);
  }
  std::string digits;
  for (char c : number) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c != ' ') {
      return absl::InvalidArgumentError("PPPK number must contain only digits");
    }
  }
  if (digits.size() != kNipDigits) {
    return absl::InvalidArgumentError(
        absl::StrCat("PPPK number must have 18 digits, got ", digits.size()));
  }
  return digits;
}

bool IsEmployeeNumberShape(std::string_view number) {
  if (number.size() != kNipDigits) return false;
  for (char c : number) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

}  // namespace seimbang::domain
