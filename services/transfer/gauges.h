// The domain metrics of transfer-planning: seimbang_transfer_plans{agency,state} and
// seimbang_transfer_moves_executed_total{agency} (bounded labels, never per employee).
#ifndef SEIMBANG_SERVICES_TRANSFER_GAUGES_H_
#define SEIMBANG_SERVICES_TRANSFER_GAUGES_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

class TransferGauges {
 public:
  void Attach(prometheus::Registry& registry);
  // Recounts plans by agency and state, and creates the executed-moves counter of every
  // agency that has a plan; a database error leaves the gauges as they were.
  void Refresh(Repository& repo);
  void AddExecuted(const std::string& agency, int n);

 private:
  absl::Mutex mu_;
  prometheus::Family<prometheus::Gauge>* plans_ ABSL_GUARDED_BY(mu_) = nullptr;
  prometheus::Family<prometheus::Counter>* executed_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_GAUGES_H_
