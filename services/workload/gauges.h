// Domain gauges of workload-analysis: the figures of the latest analysis run of each
// agency (labels bounded by agency, never per employee).
#ifndef SEIMBANG_SERVICES_WORKLOAD_GAUGES_H_
#define SEIMBANG_SERVICES_WORKLOAD_GAUGES_H_

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::workload {

class AnalysisGauges {
 public:
  AnalysisGauges();
  ~AnalysisGauges();

  // Registers the gauge families; until then Publish does nothing.
  void Register(prometheus::Registry& registry);
  // Sets the gauges of the summary's agency to its figures.
  void Publish(const seimbang::workload::v1::AnalysisSummary& summary);

 private:
  struct Families;
  absl::Mutex mu_;
  std::unique_ptr<Families> families_ ABSL_GUARDED_BY(mu_);
};

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_GAUGES_H_
