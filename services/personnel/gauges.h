// The domain metrics of personnel (as gauges.h is in workload and transfer; bounded labels, never
// per employee): seimbang_personnel_transfer_outcomes_total{agency,outcome}, the moves
// ApplyTransfers decided, by outcome (applied, failed, stale). Counted once, when the decision
// commits; a replayed move is not counted again. Each replica counts its own calls, so
// Prometheus sums them across pods. FAILED and STALE are the moves a plan could not carry out:
// the alert SeimbangTransfersNotApplied (deploy/prometheus/alerts.yml) watches them.
#ifndef SEIMBANG_SERVICES_PERSONNEL_GAUGES_H_
#define SEIMBANG_SERVICES_PERSONNEL_GAUGES_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "seimbang/personnel/v1/personnel.pb.h"

namespace seimbang::personnel {

class PersonnelGauges {
 public:
  // Registers the family; until then AddOutcome does nothing (tests without metrics).
  void Register(prometheus::Registry& registry);
  // One decided move of `agency` (its target unit's, else the employee's; "" when neither exists).
  void AddOutcome(const std::string& agency, seimbang::personnel::v1::MoveOutcome outcome);

 private:
  absl::Mutex mu_;
  prometheus::Family<prometheus::Counter>* outcomes_ ABSL_GUARDED_BY(mu_) = nullptr;
};

// "applied", "failed", "stale" ("unspecified" for anything else): the outcome label.
[[nodiscard]] std::string OutcomeLabel(seimbang::personnel::v1::MoveOutcome outcome);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_GAUGES_H_
