#include "services/transfer/plan_state.h"

#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/domain/enum_names.h"

namespace seimbang::transfer {
namespace {

struct Rule {
  std::vector<v1::PlanState> from;
  v1::PlanState to;
  const char* needs;  // "a SUBMITTED plan"
  const char* verb;   // "approved"
};

Rule RuleOf(PlanAction action) {
  using S = v1::PlanState;
  switch (action) {
    case PlanAction::kSubmit:
      return {{S::PLAN_STATE_DRAFT}, S::PLAN_STATE_SUBMITTED, "a DRAFT plan", "submitted"};
    case PlanAction::kApprove:
      return {{S::PLAN_STATE_SUBMITTED}, S::PLAN_STATE_APPROVED, "a SUBMITTED plan", "approved"};
    case PlanAction::kReject:
      return {{S::PLAN_STATE_SUBMITTED}, S::PLAN_STATE_REJECTED, "a SUBMITTED plan", "rejected"};
    case PlanAction::kCancel:
      return {{S::PLAN_STATE_DRAFT, S::PLAN_STATE_SUBMITTED, S::PLAN_STATE_APPROVED},
              S::PLAN_STATE_CANCELLED,
              "a DRAFT, SUBMITTED or APPROVED plan",
              "cancelled"};
    case PlanAction::kRevise:
      return {{S::PLAN_STATE_DRAFT, S::PLAN_STATE_SUBMITTED},
              S::PLAN_STATE_CANCELLED,
              "a DRAFT or SUBMITTED plan",
              "revised"};
    case PlanAction::kExecute:
      return {{S::PLAN_STATE_APPROVED, S::PLAN_STATE_EXECUTING},
              S::PLAN_STATE_EXECUTING,
              "an APPROVED or EXECUTING plan",
              "executed"};
    case PlanAction::kFinish:
      return {{S::PLAN_STATE_EXECUTING}, S::PLAN_STATE_EXECUTED, "an EXECUTING plan", "finished"};
    case PlanAction::kFinishWithFailures:
      return {{S::PLAN_STATE_EXECUTING},
              S::PLAN_STATE_EXECUTED_WITH_FAILURES,
              "an EXECUTING plan",
              "finished"};
  }
  return {{}, S::PLAN_STATE_UNSPECIFIED, "", ""};
}

constexpr domain::EnumName<v1::PlanState> kPlanStateNames[] = {
    {v1::PLAN_STATE_DRAFT, "DRAFT"},
    {v1::PLAN_STATE_SUBMITTED, "SUBMITTED"},
    {v1::PLAN_STATE_APPROVED, "APPROVED"},
    {v1::PLAN_STATE_EXECUTING, "EXECUTING"},
    {v1::PLAN_STATE_EXECUTED, "EXECUTED"},
    {v1::PLAN_STATE_EXECUTED_WITH_FAILURES, "EXECUTED_WITH_FAILURES"},
    {v1::PLAN_STATE_REJECTED, "REJECTED"},
    {v1::PLAN_STATE_CANCELLED, "CANCELLED"},
};
static_assert(domain::CoversEveryValue(kPlanStateNames, v1::PLAN_STATE_DRAFT,
                                       v1::PLAN_STATE_EXECUTED_WITH_FAILURES));

}  // namespace

absl::string_view PlanStateName(v1::PlanState state) {
  const std::string_view name = domain::NameOf(kPlanStateNames, state, "UNSPECIFIED");
  return absl::string_view(name.data(), name.size());
}

absl::StatusOr<v1::PlanState> NextState(absl::string_view plan_id, v1::PlanState from,
                                        PlanAction action) {
  const Rule rule = RuleOf(action);
  for (v1::PlanState s : rule.from) {
    if (s == from) return rule.to;
  }
  return absl::FailedPreconditionError(absl::StrCat("plan ", plan_id, " is ", PlanStateName(from),
                                                    "; only ", rule.needs, " can be ", rule.verb));
}

absl::Status CheckEtag(absl::string_view plan_id, absl::string_view stored,
                       absl::string_view given) {
  if (given.empty()) return absl::InvalidArgumentError("etag: is required");
  if (stored != given) {
    return absl::AbortedError(
        absl::StrCat("plan ", plan_id, " has etag ", stored, ", not ", given, "; reload it"));
  }
  return absl::OkStatus();
}

namespace {
// Makassar's local time, WITA, in which the window's days are counted.
constexpr int64_t kWitaOffsetMs = 8 * 3600 * 1000LL;
constexpr int64_t kDayMs = 24 * 3600 * 1000LL;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

int64_t ObjectionWindowCloseMs(int64_t submit_time_ms, int working_days,
                               const std::vector<domain::Date>& holidays) {
  if (working_days <= 0) return submit_time_ms;
  const int64_t local_day = FloorDiv(submit_time_ms + kWitaOffsetMs, kDayMs);
  const domain::Date last =
      domain::AddWorkingDays(domain::CivilFromDays(local_day), working_days, holidays);
  return (domain::DaysFromCivil(last) + 1) * kDayMs - kWitaOffsetMs;
}

std::string WitaTime(int64_t ms) {
  const int64_t local = ms + kWitaOffsetMs;
  if (local % kDayMs == 0) {
    // Midnight is the end of the day before: "16 Dec 24:00" reads as "all of the 16th".
    const domain::Date d = domain::CivilFromDays(local / kDayMs - 1);
    return absl::StrFormat("%04d-%02d-%02d 24:00 WITA", d.year, d.month, d.day);
  }
  return absl::FormatTime("%Y-%m-%d %H:%M WITA", absl::FromUnixMillis(ms),
                          absl::FixedTimeZone(8 * 3600));
}

absl::Status CheckObjectionWindow(absl::string_view plan_id, v1::PlanState state, int64_t closes_ms,
                                  int64_t now_ms) {
  if (state != v1::PLAN_STATE_SUBMITTED) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan ", plan_id, " is ", PlanStateName(state),
                     "; objections can be filed only on a SUBMITTED plan"));
  }
  if (now_ms >= closes_ms) {
    return absl::FailedPreconditionError(
        absl::StrCat("the objection window of plan ", plan_id, " closed at ", WitaTime(closes_ms)));
  }
  return absl::OkStatus();
}

}  // namespace seimbang::transfer
