#include "services/personnel/gauges.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace seimbang::personnel {

namespace pv1 = ::seimbang::personnel::v1;

std::string OutcomeLabel(pv1::MoveOutcome outcome) {
  std::string name = pv1::MoveOutcome_Name(outcome);
  if (name.empty() || !absl::StartsWith(name, "MOVE_OUTCOME_")) return "unspecified";
  return absl::AsciiStrToLower(name.substr(sizeof("MOVE_OUTCOME_") - 1));
}

void PersonnelGauges::Register(prometheus::Registry& registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("seimbang_personnel_transfer_outcomes_total")
                     .Help(
                         "Moves decided by ApplyTransfers, by agency and outcome "
                         "(applied, failed, stale); replays are not counted")
                     .Register(registry);
  absl::MutexLock lock(&mu_);
  outcomes_ = &family;
}

void PersonnelGauges::AddOutcome(const std::string& agency, pv1::MoveOutcome outcome) {
  absl::MutexLock lock(&mu_);
  if (outcomes_ == nullptr) return;
  outcomes_->Add({{"agency", agency}, {"outcome", OutcomeLabel(outcome)}}).Increment();
}

}  // namespace seimbang::personnel
