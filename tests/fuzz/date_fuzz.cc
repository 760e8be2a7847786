// Fuzzes date parsing and month arithmetic (the basis of tenure and
// retirement rules): parse/format round-trips and AddMonths/MonthsBetween agree.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/domain/date.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using seimbang::domain::Date;

// A valid date; years kept away from the 1..9999 edges so month offsets of
// up to 200 years stay valid.
Date ConsumeDate(FuzzedDataProvider& in) {
  Date d;
  d.year = in.ConsumeIntegralInRange<int>(201, 9799);
  d.month = in.ConsumeIntegralInRange<int>(1, 12);
  d.day = in.ConsumeIntegralInRange<int>(1, seimbang::domain::DaysInMonth(d.year, d.month));
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace d = seimbang::domain;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<Date> parsed = d::ParseDate(text);
  if (parsed.ok()) {
    SEIMBANG_FUZZ_CHECK(d::IsValidDate(*parsed), "parsed an invalid date from '%.*s'",
                        static_cast<int>(size), text.data());
    SEIMBANG_FUZZ_CHECK(d::FormatDate(*parsed) == text, "'%.*s' formats back as '%s'",
                        static_cast<int>(size), text.data(), d::FormatDate(*parsed).c_str());
  } else {
    SEIMBANG_FUZZ_CHECK_INVALID_ARGUMENT(parsed.status());
  }

  FuzzedDataProvider in(data, size);
  const Date a = ConsumeDate(in);
  const Date b = ConsumeDate(in);
  const int months = in.ConsumeIntegralInRange<int>(-2400, 2400);
  const std::string as = d::FormatDate(a);

  SEIMBANG_FUZZ_CHECK(d::ParseDate(as).ok() && *d::ParseDate(as) == a, "%s does not round-trip",
                      as.c_str());
  SEIMBANG_FUZZ_CHECK(d::CivilFromDays(d::DaysFromCivil(a)) == a, "%s: day serial round-trip",
                      as.c_str());
  SEIMBANG_FUZZ_CHECK(
      d::DaysFromCivil(d::CivilFromDays(d::DaysFromCivil(a) + 1)) == d::DaysFromCivil(a) + 1,
      "%s: next day", as.c_str());

  const Date moved = d::AddMonths(a, months);
  SEIMBANG_FUZZ_CHECK(d::IsValidDate(moved), "%s + %d months is invalid", as.c_str(), months);
  SEIMBANG_FUZZ_CHECK(moved.year * 12 + moved.month == a.year * 12 + a.month + months,
                      "%s + %d months lands in %s", as.c_str(), months,
                      d::FormatDate(moved).c_str());
  SEIMBANG_FUZZ_CHECK(moved.day == a.day || moved.day == d::DaysInMonth(moved.year, moved.month),
                      "%s + %d months: day clamped wrongly to %s", as.c_str(), months,
                      d::FormatDate(moved).c_str());
  SEIMBANG_FUZZ_CHECK(d::MonthsBetween(a, moved) == months, "MonthsBetween(%s, %s) = %d, not %d",
                      as.c_str(), d::FormatDate(moved).c_str(), d::MonthsBetween(a, moved), months);

  // MonthsBetween is the largest m with AddMonths(a, m) <= b.
  const int between = d::MonthsBetween(a, b);
  SEIMBANG_FUZZ_CHECK(d::AddMonths(a, between) <= b && d::AddMonths(a, between + 1) > b,
                      "MonthsBetween(%s, %s) = %d is not the largest", as.c_str(),
                      d::FormatDate(b).c_str(), between);
  SEIMBANG_FUZZ_CHECK((between < 0) == (b < a), "MonthsBetween(%s, %s) = %d has the wrong sign",
                      as.c_str(), d::FormatDate(b).c_str(), between);
  const int until = d::MonthsUntil(a, b);
  SEIMBANG_FUZZ_CHECK(until == (between > 0 ? between : 0), "MonthsUntil(%s, %s) = %d", as.c_str(),
                      d::FormatDate(b).c_str(), until);
  return 0;
}
