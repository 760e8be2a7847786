// Policy and preference rules: validation with field violations and the
// documented defaults behind zero values (transfer.proto HardRules/CostWeights).
#ifndef SEIMBANG_SERVICES_TRANSFER_POLICY_RULES_H_
#define SEIMBANG_SERVICES_TRANSFER_POLICY_RULES_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "common/domain/date.h"
#include "seimbang/transfer/v1/transfer.pb.h"

namespace seimbang::transfer {

// Ranges of the policy and preference contract (transfer.proto, issue 15 item 5).
inline constexpr int64_t kMaxUnitId = 9007199254740991;  // 2^53 - 1, as in personnel
inline constexpr double kMaxPolicyWeight = 1e6;  // the planner's own limit (planner/validate.cc)
inline constexpr int kMaxMoveBudget = 1000000;
inline constexpr int kMaxPinnedMoves = 10000;
inline constexpr int kMaxForbiddenMoves = 10000;
inline constexpr int kMaxFamilyCompatibility = 200;  // entries, and families per entry
inline constexpr int kMaxPublicHolidays = 400;

// INVALID_ARGUMENT with every violation ("policy.rules.max_leave_fraction: must be
// between 0 and 1", ...). `update` also requires id and etag.
[[nodiscard]] absl::Status ValidatePolicy(const v1::Policy& policy, bool update);

// The policy with zero values replaced by the documented defaults (unless
// use_zero_values): what the planner and explanations actually use.
[[nodiscard]] v1::Policy EffectivePolicy(const v1::Policy& policy);

// HardRules.public_holidays as civil dates (for the objection window).
[[nodiscard]] std::vector<domain::Date> PublicHolidays(const v1::HardRules& rules);

// `today` bounds valid_until (a preference that already expired is refused).
[[nodiscard]] absl::Status ValidatePreference(const v1::Preference& preference,
                                              const domain::Date& today);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_POLICY_RULES_H_
