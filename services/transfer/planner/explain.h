// Explanations of moves for the people who move (resistance is the main
// obstacle, so every decision says why here and not elsewhere).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_EXPLAIN_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_EXPLAIN_H_

#include <string>
#include <vector>

#include "services/transfer/planner/types.h"

namespace seimbang::planner {

struct MoveExplanation {
  std::string nip;
  std::string employee_name;
  std::string from_name;
  std::string to_name;
  int target_shortage = 0;  // need - staff_before at the target (> 0: kekurangan)
  double target_ej = 0;     // EJ of the target before the plan
  int source_surplus = 0;   // staff_before - need at the source (> 0: kelebihan)
  int best_alternative = -1;
  std::string alternative_name;
  double alternative_extra_cost = 0;  // points
  CostBreakdown cost;
  std::vector<std::string> rules_satisfied;
  // To another position (position_code) at the same level: a perpindahan jabatan, said so in
  // the sentence.
  bool position_change = false;
  std::string sentence;  // Indonesian, for the decision letter
};

// Display names come from the input's Destination/Candidate::display_name.
[[nodiscard]] MoveExplanation ExplainMove(const PlanInput& input, const PlanResult& result,
                                          const Move& move);

// Indonesian number: comma as decimal separator, at most two decimals ("1,42", "120").
[[nodiscard]] std::string FormatIndonesian(double value);

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_EXPLAIN_H_
