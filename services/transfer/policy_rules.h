// The documented defaults behind a policy's zero values (transfer.proto HardRules/CostWeights)
// and its public holidays as civil dates. The policy's validation is validation.h.
#ifndef SEIMBANG_SERVICES_TRANSFER_POLICY_RULES_H_
#define SEIMBANG_SERVICES_TRANSFER_POLICY_RULES_H_

#include <vector>

#include "common/domain/date.h"
#include "seimbang/transfer/v1/transfer.pb.h"

namespace seimbang::transfer {

// The policy with zero values replaced by the documented defaults (unless
// use_zero_values): what the planner and explanations actually use.
[[nodiscard]] v1::Policy EffectivePolicy(const v1::Policy& policy);

// HardRules.public_holidays as civil dates (for the objection window).
[[nodiscard]] std::vector<domain::Date> PublicHolidays(const v1::HardRules& rules);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_POLICY_RULES_H_
