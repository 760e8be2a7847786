#ifndef SEIMBANG_SERVICES_PERSONNEL_VALIDATION_H_
#define SEIMBANG_SERVICES_PERSONNEL_VALIDATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/date.h"
#include "common/errors/errors.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/personnel/v1/personnel.pb.h"

namespace seimbang::personnel {

namespace pv1 = ::seimbang::personnel::v1;
namespace cv1 = ::seimbang::common::v1;

// One rejected field: `field` is the dotted path ("employee.nip"); the one type of common/errors.
using Violation = errors::FieldViolation;
using Violations = std::vector<Violation>;

// Largest unit id (2^53 - 1: exact as a JSON number). Issue 15 item 5: every numeric input has a
// documented range (personnel.proto) checked here.
inline constexpr int64_t kMaxId = 9007199254740991;

// Shape rules of each resource (lengths, character sets, enums, dates). `prefix` is the
// message's field path ("agency", "unit", ...). References to other rows are checked elsewhere.
[[nodiscard]] Violations ValidateAgency(const pv1::Agency& agency, std::string_view prefix);
[[nodiscard]] Violations ValidateUnit(const pv1::Unit& unit, std::string_view prefix);
[[nodiscard]] Violations ValidatePosition(const pv1::Position& position, std::string_view prefix);

// Normalises the NIP (spaces dropped), checks every field, and for a PNS fills birth date,
// gender and appointment from the NIP; a given value that disagrees with the NIP is a violation
// naming that field. A PPPK number is checked for 18 digits only; birth date and gender are then
// required. `today` bounds the NIP birth year.
[[nodiscard]] Violations ValidateEmployee(pv1::Employee* employee, std::string_view prefix,
                                          const domain::Date& today);

// Non-fatal findings: rank outside the position's band, education below its minimum.
[[nodiscard]] std::vector<cv1::Warning> PlacementWarnings(const pv1::Employee& employee,
                                                          const pv1::Position& position,
                                                          std::string_view prefix);

// A civil date: all three fields, year 1900-2200, a real day. Empty string when valid.
[[nodiscard]] std::string CheckDate(const cv1::Date& date);

// TMT pensiun from the birth date and the position's BUP (proto_convert::RetirementAge).
[[nodiscard]] domain::Date RetirementDateFor(const pv1::Employee& employee,
                                             const pv1::Position& position);

// Planner hints of StreamEmployees as of a date.
struct EligibilityHints {
  int months_in_post = 0;
  int months_to_retirement = 0;
  domain::Date retirement_date;
};
[[nodiscard]] EligibilityHints ComputeHints(const pv1::Employee& employee,
                                            const pv1::Position& position,
                                            const domain::Date& as_of);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_VALIDATION_H_
