// Calls from transfer-planning to personnel and workload-analysis, behind an
// interface so the service and the executor can be tested with fakes.
#ifndef SEIMBANG_SERVICES_TRANSFER_DOWNSTREAM_H_
#define SEIMBANG_SERVICES_TRANSFER_DOWNSTREAM_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/date.h"
#include "common/server/channel.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "services/transfer/plan_input.h"

namespace seimbang::transfer {

// stage, message, done, total
using ProgressFn = std::function<void(const std::string&, const std::string&, int64_t, int64_t)>;

struct RunStaffing {
  std::string agency;
  domain::Date as_of;
  std::string run_digest;      // what the run recorded (workload-analysis)
  std::string current_digest;  // personnel's GetStaffing now
  bool stale() const { return run_digest != current_digest; }
};

// FAILED_PRECONDITION a user can act on when staffing changed after the analysis run `run_id`
// (issue 18 item 4): says what happened and the command that fixes it; `then` says what to do
// after re-running the analysis ("plan from the new run").
[[nodiscard]] absl::Status StaleRunError(const std::string& run_id, const RunStaffing& s,
                                         const std::string& then);

class Downstream {
 public:
  virtual ~Downstream() = default;
  // The run's rows (all pages), units, positions and the agency's employees
  // eligible as of `effective_date`. UNAVAILABLE naming the service when down.
  // Each call ends by the sooner of `deadline` (the caller's, so an abandoned CreatePlan
  // cancels its downstream calls) and the downstream timeout.
  [[nodiscard]] virtual absl::StatusOr<PlanningData> FetchPlanningData(
      const std::string& agency, const std::string& run_id, const domain::Date& effective_date,
      const ProgressFn& progress, std::chrono::system_clock::time_point deadline) = 0;
  // The staffing an analysis run was computed from, against personnel's staffing now (same
  // agency, same as-of date). Each call ends by the sooner of `deadline` and the timeout.
  [[nodiscard]] virtual absl::StatusOr<RunStaffing> StaffingOfRun(
      const std::string& run_id, std::chrono::system_clock::time_point deadline =
                                     std::chrono::system_clock::time_point::max()) = 0;
  // The agency personnel has the employee in; NOT_FOUND for an unknown NIP.
  [[nodiscard]] virtual absl::StatusOr<std::string> EmployeeAgency(const std::string& nip) = 0;
  // The agency of each NIP personnel has (BatchGetEmployees, 1000 NIPs a call); unknown NIPs are
  // left out.
  [[nodiscard]] virtual absl::StatusOr<std::map<std::string, std::string>> EmployeeAgencies(
      const std::vector<std::string>& nips) = 0;
  // Every unit of `agency`, inactive ones too, with its agency (ListUnits, all pages); every
  // unit of every agency when `agency` is empty.
  [[nodiscard]] virtual absl::StatusOr<std::map<int64_t, std::string>> UnitAgencies(
      const std::string& agency) = 0;
  // The agency personnel has the unit in (GetUnit); NOT_FOUND for an unknown unit.
  [[nodiscard]] virtual absl::StatusOr<std::string> UnitAgency(int64_t unit_id) = 0;
  // The id of each of `external_ids` that is a Unit.external_id of `agency` (issue 20); unknown
  // ones are left out. A GetUnit each for a few, one ListUnits of the agency for many.
  [[nodiscard]] virtual absl::StatusOr<std::map<std::string, int64_t>> UnitIdsByExternalId(
      const std::string& agency, const std::set<std::string>& external_ids) = 0;
  [[nodiscard]] virtual absl::StatusOr<std::vector<ppb::MoveResult>> ApplyTransfers(
      const std::vector<ppb::TransferMove>& moves) = 0;
};

struct GrpcDownstreamOptions {
  std::string personnel_addr;
  std::string workload_addr;
  std::string token;             // service token (--service-token-file); empty in dev mode
  server::ClientTlsOptions tls;  // mTLS to the peers (ClientTlsFromConfig)
  int64_t timeout_ms = 120000;   // --downstream-deadline-ms: per call, at most
};

[[nodiscard]] absl::StatusOr<std::unique_ptr<Downstream>> MakeGrpcDownstream(
    const GrpcDownstreamOptions& options);

// A unit a request names by its Unit.external_id (issue 20), with the field path that carries it.
struct NamedExternalUnit {
  std::string external_id;
  std::string field;
};

// The unit ids of `named`, in order, each a unit of `agency` (already scope-checked) found by its
// external id with one round of calls to personnel. INVALID_ARGUMENT naming every field whose
// external id is over 64 characters or of no unit of the agency.
[[nodiscard]] absl::StatusOr<std::vector<int64_t>> ResolveExternalUnits(
    Downstream& downstream, const std::string& agency, const std::vector<NamedExternalUnit>& named);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_DOWNSTREAM_H_
