// The RunAnalysis use case: staffing from personnel, workloads and demand signals from
// the repository, the ABK figures (abk/), one immutable run stored with its audit row.
// No gRPC types: the adapter (service.cc) validates, checks scope, streams the progress
// and the summary, and publishes the gauges.
#ifndef SEIMBANG_SERVICES_WORKLOAD_ANALYSIS_WORKFLOW_H_
#define SEIMBANG_SERVICES_WORKLOAD_ANALYSIS_WORKFLOW_H_

#include <functional>

#include "absl/status/statusor.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/call.h"
#include "services/workload/downstream.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

struct AnalysisOutcome {
  pb::AnalysisSummary summary;
  // True when a stored run answered the same request (request_id) and nothing was computed.
  bool replayed = false;
};

// Receives each stage's progress (fetch_staffing, load_inputs, compute, store).
using ProgressSink = std::function<void(seimbang::common::v1::Progress)>;

// `request` is valid (ValidateRunAnalysis) and within the caller's scope. A replay sends no
// progress. Personnel unreachable: UNAVAILABLE, and nothing is stored.
[[nodiscard]] absl::StatusOr<AnalysisOutcome> RunAnalysis(Repository& repo,
                                                          PersonnelDirectory& personnel,
                                                          const Call& call,
                                                          const pb::RunAnalysisRequest& request,
                                                          const ProgressSink& progress);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_ANALYSIS_WORKFLOW_H_
