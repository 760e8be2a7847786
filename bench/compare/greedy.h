// The spreadsheet planner's heuristic, as a baseline for the optimiser:
// repeatedly move the longest-serving eligible person from the most
// over-staffed unit × position to the most under-staffed one of the same job
// family (and agency, when the policy says so), until no such pair is left.
#ifndef SEIMBANG_BENCH_COMPARE_GREEDY_H_
#define SEIMBANG_BENCH_COMPARE_GREEDY_H_

#include <vector>

#include "bench/compare/outcome.h"
#include "services/transfer/planner/types.h"

namespace seimbang::bench {

// Same hard rules as the planner (planner::Eligible, the leave-fraction and
// never-below-need caps); pinned and forbidden moves are not supported (the
// benchmark instances have none). A source gives only while over need, a
// target takes only while under need; the most under-staffed target is served
// first, from the most over-staffed source that has an eligible person; a
// target no source can serve is dropped. Under a move budget it stops after
// that many moves (the first ones it would make anyway).
[[nodiscard]] std::vector<PlainMove> GreedyPlan(const planner::PlanInput& input);

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_COMPARE_GREEDY_H_
