#include "common/domain/date.h"

#include <algorithm>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace seimbang::domain {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Floor division, so month arithmetic works for negative offsets too.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsValidDate(const Date& date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

absl::StatusOr<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(0, 4)) ||
      !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2))) {
    return absl::InvalidArgumentError("date must be YYYY-MM-DD");
  }
  Date d{ToInt(text.substr(0, 4)), ToInt(text.substr(5, 2)), ToInt(text.substr(8, 2))};
  if (d.year < 1) return absl::InvalidArgumentError("year 0 out of range 1-9999");
  if (d.month < 1 || d.month > 12) {
    return absl::InvalidArgumentError(absl::StrCat("month ", d.month, " out of range 1-12"));
  }
  if (d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("day %d does not exist in %04d-%02d", d.day, d.year, d.month));
  }
  return d;
}

std::string FormatDate(const Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year, date.month, date.day);
}

Date AddMonths(const Date& date, int months) {
  const int64_t index = int64_t{date.year} * 12 + (date.month - 1) + months;
  Date out;
  out.year = static_cast<int>(FloorDiv(index, 12));
  out.month = static_cast<int>(index - int64_t{out.year} * 12) + 1;
  const int last = DaysInMonth(out.year, out.month);
  out.day = date.day > last ? last : date.day;
  return out;
}

int MonthsBetween(const Date& from, const Date& to) {
  // Start from the calendar-month difference and settle on the largest m with
  // AddMonths(from, m) <= to; that also floors negative spans (a day short of
  // a month back is -1, not 0). Day clamping moves the answer by one at most.
  int m = (to.year - from.year) * 12 + (to.month - from.month);
  while (to < AddMonths(from, m)) --m;
  while (!(to < AddMonths(from, m + 1))) ++m;
  return m;
}

int MonthsUntil(const Date& from, const Date& to) {
  const int m = MonthsBetween(from, to);
  return m > 0 ? m : 0;
}

// Days-from-civil: shift the year to start in March so the leap day is the
// last day of the shifted year, then count whole 400-year eras (146097 days).
int64_t DaysFromCivil(const Date& date) {
  const int64_t y = int64_t{date.year} - (date.month <= 2 ? 1 : 0);
  const int64_t era = FloorDiv(y, 400);
  const int64_t year_of_era = y - era * 400;                                 // [0, 399]
  const int64_t shifted_month = (date.month + 9) % 12;                       // March = 0
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + date.day - 1;  // [0, 365]
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

bool IsWorkingDay(const Date& date, const std::vector<Date>& holidays) {
  // 1970-01-01 was a Thursday: day 0 -> 4 with Sunday = 0.
  const int64_t weekday = ((DaysFromCivil(date) + 4) % 7 + 7) % 7;
  if (weekday == 0 || weekday == 6) return false;
  return std::find(holidays.begin(), holidays.end(), date) == holidays.end();
}

Date AddWorkingDays(const Date& from, int n, const std::vector<Date>& holidays) {
  int64_t day = DaysFromCivil(from);
  for (int counted = 0; counted < n;) {
    ++day;
    if (IsWorkingDay(CivilFromDays(day), holidays)) ++counted;
  }
  return CivilFromDays(day);
}

Date CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March = 0
  Date out;
  out.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  out.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  out.year = static_cast<int>(year_of_era + era * 400 + (out.month <= 2 ? 1 : 0));
  return out;
}

Date Today() {
  const absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  return Date{static_cast<int>(day.year()), day.month(), day.day()};
}

// BUP ages come from PP 11/2017 art. 239. The pension takes effect (TMT
// pensiun) on the first day of the month after the month in which the
// employee reaches that age, per BKN practice (the employee is honourably
// discharged at the end of that month and the pension is paid from the next).
// So someone born on 1 March retires on 1 April, not 1 March.
Date RetirementDate(const Date& birth, int retirement_age_years) {
  return AddMonths(Date{birth.year + retirement_age_years, birth.month, 1}, 1);
}

}  // namespace seimbang::domain
