// Issue #22 asks `make bench` to measure each of its items against its limit in one run and to
// print the ratio. Every benchmark that measures one of those figures prints it with LimitLine,
// on a line of its own; tools/bench.sh gathers the lines of the whole run into one table at the
// end, ordered by item. The format is fixed, so the gathering is a grep:
//
//   #22 limit | item 3 | ImportRecords / LOAD DATA, makassar | 0.41 | >= 0.50 | ratio 0.82 | MISSED
//
// The ratio is value / limit: at or under 1 meets an upper bound ("<="), at or over 1 meets a
// lower bound (">=").
#ifndef SEIMBANG_BENCH_LIMITS_LIMITS_H_
#define SEIMBANG_BENCH_LIMITS_LIMITS_H_

#include <string>
#include <string_view>

namespace seimbang::bench {

enum class Bound {
  kAtMost,   // the value must not exceed the limit (seconds, MiB)
  kAtLeast,  // the value must reach the limit (a share of a reference)
};

// What the line starts with; tools/bench.sh greps for it.
inline constexpr std::string_view kLimitPrefix = "#22 limit";

// The line for item `item` (1-7): `what` names the figure and its unit, e.g. "CreatePlan end to
// end, Makassar, p50 ms". A value or limit that is not finite and positive (nothing measured)
// is reported as not measured, never as met.
[[nodiscard]] std::string LimitLine(int item, std::string_view what, double value, Bound bound,
                                    double limit);

// Whether `value` meets `limit` under `bound` (false when nothing was measured: either is not
// finite, the value is negative or the limit is not positive).
[[nodiscard]] bool MeetsLimit(double value, Bound bound, double limit);

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_LIMITS_LIMITS_H_
