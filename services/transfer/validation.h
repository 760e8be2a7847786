// Request rules of the transfer contract (the field comments of transfer.proto), written once:
// pure functions, INVALID_ARGUMENT with one field violation per broken rule, each naming the
// request field ("policy.rules.max_leave_fraction: must be between 0 and 1"). Lengths are in
// characters, as the proto states them (common/domain/text.h). What needs the database or
// personnel (is the unit in the agency, is the plan in the caller's scope) is checked by the
// workflows; the documented defaults behind zero values are policy_rules.h.
#ifndef SEIMBANG_SERVICES_TRANSFER_VALIDATION_H_
#define SEIMBANG_SERVICES_TRANSFER_VALIDATION_H_

#include <cstdint>
#include <string>

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
// Ids the services issue (plans, moves, objections, policies, analysis runs) fit their
// VARCHAR(64) columns; a longer one cannot name anything.
inline constexpr size_t kMaxIdChars = 64;
inline constexpr size_t kMaxLabelChars = 200;  // a plan's label
// An objection's reason, its resolution note, an approval note, a rejection or cancellation
// reason (transfer.proto: 1-2000 / up to 2000 characters).
inline constexpr size_t kMaxNoteChars = 2000;

// `update` also requires id and etag.
[[nodiscard]] absl::Status ValidatePolicy(const v1::Policy& policy, bool update);

// `today` bounds valid_until (a preference that already expired is refused).
[[nodiscard]] absl::Status ValidatePreference(const v1::Preference& preference,
                                              const domain::Date& today);

// agency_code, analysis_run_id and policy_id required, a valid effective_date, a label of at
// most 200 characters.
[[nodiscard]] absl::Status ValidateCreatePlan(const v1::CreatePlanRequest& request);
// plan_id required, a label of at most 200 characters.
[[nodiscard]] absl::Status ValidateRevisePlan(const v1::RevisePlanRequest& request);
// The lifecycle steps (SubmitPlan, ApprovePlan, RejectPlan, CancelPlan): plan_id required, and
// the approval note or the reason (`note_field`) at most 2000 characters; Submit has none ("").
[[nodiscard]] absl::Status ValidateDecision(const std::string& plan_id,
                                            const std::string& note_field, const std::string& note);
// plan_id and move_id required, a reason of 1-2000 characters.
[[nodiscard]] absl::Status ValidateFileObjection(const v1::FileObjectionRequest& request);
// objection_id required, a note of at most 2000 characters.
[[nodiscard]] absl::Status ValidateResolveObjection(const v1::ResolveObjectionRequest& request);
// plan_id required; unit_id 0 or positive, or unit_external_id instead (not both, at most 64
// characters); a job_family filter of at most 64 characters.
[[nodiscard]] absl::Status ValidateListMoves(const v1::ListMovesRequest& request);
// A nip filter, when given, of 18 digits.
[[nodiscard]] absl::Status ValidateListPreferences(const v1::ListPreferencesRequest& request);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_VALIDATION_H_
