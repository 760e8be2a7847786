#ifndef SEIMBANG_COMMON_DOMAIN_DATE_H_
#define SEIMBANG_COMMON_DOMAIN_DATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"

namespace seimbang::domain {

// A calendar date (proleptic Gregorian), no time zone. Plain aggregate so it
// can be brace-initialised: Date{2025, 3, 12}.
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;
};

inline bool operator==(const Date& a, const Date& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}
inline bool operator!=(const Date& a, const Date& b) { return !(a == b); }
inline bool operator<(const Date& a, const Date& b) {
  return std::tie(a.year, a.month, a.day) < std::tie(b.year, b.month, b.day);
}
inline bool operator>(const Date& a, const Date& b) { return b < a; }
inline bool operator<=(const Date& a, const Date& b) { return !(b < a); }
inline bool operator>=(const Date& a, const Date& b) { return !(a < b); }

[[nodiscard]] bool IsLeapYear(int year);
// Days in `month` of `year`; 0 when month is outside 1-12.
[[nodiscard]] int DaysInMonth(int year, int month);
// Year 1-9999, month 1-12, day within the month.
[[nodiscard]] bool IsValidDate(const Date& date);

// Parses exactly "YYYY-MM-DD". Errors (INVALID_ARGUMENT):
// "date must be YYYY-MM-DD", "month 13 out of range 1-12",
// "day 30 does not exist in 2023-02".
[[nodiscard]] absl::StatusOr<Date> ParseDate(std::string_view text);
// "YYYY-MM-DD" (zero padded).
[[nodiscard]] std::string FormatDate(const Date& date);

// Adds (or subtracts) whole months; the day is clamped to the end of the
// target month, so Jan 31 + 1 month = Feb 28 (Feb 29 in leap years).
[[nodiscard]] Date AddMonths(const Date& date, int months);
// Whole completed months from `from` to `to`: the largest m with
// AddMonths(from, m) <= to, so it agrees with AddMonths' clamping
// (Jan 31 -> Feb 28 is one month). Negative when `to` is before `from`.
[[nodiscard]] int MonthsBetween(const Date& from, const Date& to);
// Whole months left from `from` until `to` (e.g. months to retirement);
// 0 once `to` is reached or passed.
[[nodiscard]] int MonthsUntil(const Date& from, const Date& to);

// Serial day number: days since 1970-01-01 (negative before).
[[nodiscard]] int64_t DaysFromCivil(const Date& date);
[[nodiscard]] Date CivilFromDays(int64_t days);

// Working days (hari kerja): Monday to Friday, except the given holidays.
[[nodiscard]] bool IsWorkingDay(const Date& date, const std::vector<Date>& holidays);
// The n-th working day after `from` (from itself never counts); `from` when n <= 0.
[[nodiscard]] Date AddWorkingDays(const Date& from, int n, const std::vector<Date>& holidays);

// Today's date in UTC.
[[nodiscard]] Date Today();

// TMT pensiun (the date the pension takes effect) of someone born on `birth`
// whose retirement age (BUP) is `retirement_age_years`. See date.cc.
[[nodiscard]] Date RetirementDate(const Date& birth, int retirement_age_years);

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_DATE_H_
