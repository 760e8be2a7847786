#ifndef SEIMBANG_SERVICES_WORKLOAD_PROJECTION_PROJECTION_H_
#define SEIMBANG_SERVICES_WORKLOAD_PROJECTION_PROJECTION_H_

// Five-year staffing projection and the formasi proposal (issue 21): pure computation, no
// gRPC, no SQL. The method, in one paragraph (also in README.md and workload.proto):
//
// Every agency plans its staffing needs for five years from its job and workload analysis
// (PP 11/2017 as amended by PP 17/2020, art. 5). Year 0 is today (`as_of`): the ABK need of
// each unit x position from an analysis run, the people in post, and, when a transfer plan is
// given, its moves applied. Years 1..N are calendar years from `first_year` (default: the
// year after as_of). In each year a person leaves on their TMT pensiun (the first day of the
// month after the month they reach their BUP: 58, 60 or 65 by position, PP 11/2017 art. 239;
// common/domain), so they count as a retirement in the year that date falls in, and in year 1
// when it falls between as_of and the start of year 1 (or is already past). Retirements are
// never replaced implicitly. The need of year k is the ABK need times (1 + g)^k for the job
// family's yearly growth g (default 0), rounded up. The gap of year k is staff at the start
// of the year minus that year's retirements minus the need (negative: a shortage). The
// formasi of year k is what must be recruited in year k so that, counting the recruits of
// earlier years as in post, no shortage remains; it is split into the shortage that already
// exists today and transfers cannot fill (with the plan's diagnosis when given), the year's
// retirements and the year's growth, attributed in that order.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/date.h"

namespace seimbang::projection {

// One person in post today.
struct Person {
  std::string nip;
  int64_t unit_id = 0;
  std::string position_code;
  std::string job_family;
  domain::Date retirement_date;  // TMT pensiun (common/domain RetirementDate)
};

// The ABK need of one unit x position (an analysis run's required headcount).
struct Need {
  int64_t unit_id = 0;
  std::string position_code;
  std::string job_family;
  int64_t headcount = 0;
};

// One move of a transfer plan, applied in year 0.
struct Move {
  std::string nip;
  int64_t to_unit_id = 0;
  std::string to_position_code;
};

using PositionKey = std::pair<int64_t, std::string>;  // unit id, position code

inline constexpr int kDefaultYears = 5;
inline constexpr int kMaxYears = 30;
inline constexpr double kMinGrowth = -0.5;  // a family may shrink by half a year at most
inline constexpr double kMaxGrowth = 1.0;   // and at most double

struct Input {
  domain::Date as_of;
  int years = kDefaultYears;  // 1..kMaxYears
  int first_year = 0;         // 0: the year after as_of
  std::vector<Person> people;
  std::vector<Need> needs;
  std::vector<Move> moves;                            // empty: no plan
  std::map<std::string, double> growth;               // job family -> yearly growth
  std::map<PositionKey, std::string> unfilled_needs;  // the plan's diagnosis of unfilled need
};

// What to recruit in one year, and why (the parts add up to total).
struct Formasi {
  int64_t total = 0;
  int64_t existing_shortage = 0;  // short today, and transfers could not fill it
  int64_t retirements = 0;
  int64_t growth = 0;
};

// One year of one position, or the sum over several (units, families, the agency).
struct Year {
  int year = 0;  // calendar year
  int64_t staff_start = 0;
  int64_t retirements = 0;
  int64_t need = 0;
  int64_t gap = 0;       // staff_start - retirements - need, without recruits
  int64_t shortage = 0;  // max(0, -gap), summed: totals never net surplus against shortage
  Formasi formasi;
};

struct PositionProjection {
  int64_t unit_id = 0;
  std::string position_code;
  std::string job_family;
  int64_t staff_now = 0;  // after the plan's moves
  int64_t need_now = 0;
  bool vacant_now = false;  // a need and nobody in post today (kept apart from retirements)
  std::string unfilled_diagnosis;
  std::vector<Year> years;
};

struct Totals {
  int64_t unit_id = 0;     // per unit
  std::string job_family;  // per family
  std::vector<Year> years;
};

struct Projection {
  std::vector<int> years;
  std::vector<PositionProjection> positions;  // by unit, then position
  std::vector<Totals> units;                  // by unit id
  std::vector<Totals> families;               // by family name
  std::vector<Year> agency;
  int64_t moves_applied = 0;
  std::vector<std::string> moves_skipped;  // "NIP: reason", for moves of people not in post
};

// INVALID_ARGUMENT for years outside 1..kMaxYears, a growth outside [kMinGrowth, kMaxGrowth],
// a negative need, two needs or two people with one key, or an invalid as_of.
[[nodiscard]] absl::StatusOr<Projection> Project(const Input& input);

// The need of year k (k >= 0) for a need of `base` today and a yearly growth `rate`:
// ceil(base * (1 + rate)^k), computed without accumulated rounding; `base` when rate is 0.
[[nodiscard]] int64_t GrownNeed(int64_t base, double rate, int k);

}  // namespace seimbang::projection

#endif  // SEIMBANG_SERVICES_WORKLOAD_PROJECTION_PROJECTION_H_
