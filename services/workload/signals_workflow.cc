#include "services/workload/signals_workflow.h"

#include <map>
#include <set>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "services/workload/permissions.h"

namespace seimbang::workload {

namespace {

// Each signal's unit must be a unit of the signal's agency: a signal is keyed by unit, so
// one naming another agency's unit would re-tag that agency's signal (issue 15 item 3).
// One listing per agency; only units missing from it are looked up one by one.
absl::Status CheckUnits(PersonnelDirectory& personnel, const Call& call,
                        const pb::RecordDemandSignalsRequest& req,
                        const std::vector<std::string>& agencies) {
  std::map<std::string, std::set<int64_t>> units_of;
  for (const std::string& agency : agencies) {
    absl::StatusOr<std::vector<int64_t>> ids = personnel.ListUnitIds(agency, call.downstream_token);
    if (!ids.ok()) return PersonnelError(ids.status());
    units_of[agency] = std::set<int64_t>(ids->begin(), ids->end());
  }
  PersonnelCheck check(personnel, call.downstream_token, call.caller);
  std::vector<errors::FieldViolation> all;
  for (int i = 0; i < req.signals_size(); ++i) {
    const pb::DemandSignal& s = req.signals(i);
    if (units_of[s.agency_code()].count(s.unit_id()) > 0) continue;
    absl::Status st =
        check.CheckUnit(s.agency_code(), s.unit_id(), absl::StrCat("signals[", i, "].unit_id"));
    if (st.ok()) continue;  // created since the listing
    if (!absl::IsInvalidArgument(st)) return st;
    for (const errors::FieldViolation& f : errors::FieldViolationsOf(st)) all.push_back(f);
  }
  if (!all.empty()) return errors::InvalidArgument(all);
  return absl::OkStatus();
}

}  // namespace

absl::Status RecordDemandSignals(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                                 const pb::RecordDemandSignalsRequest& req,
                                 const std::vector<std::string>& agencies,
                                 pb::RecordDemandSignalsResponse& resp) {
  SEIMBANG_RETURN_IF_ERROR(CheckUnits(personnel, call, req, agencies));
  SEIMBANG_ASSIGN_OR_RETURN(
      auto key, idempotency::KeyFor(call.caller, MethodPath("RecordDemandSignals"), req));
  const std::vector<pb::DemandSignal> signals(req.signals().begin(), req.signals().end());
  return idempotency::Run(repo.pool(), key, resp, [&](db::Connection& conn) -> absl::Status {
    SEIMBANG_ASSIGN_OR_RETURN(auto n,
                              Repository::UpsertSignals(conn, signals, db::NowUnixMillis()));
    resp.set_recorded(n);
    return Repository::InsertAudit(
        conn,
        server::AuditEventOf(call, MethodPath("RecordDemandSignals"), absl::StrCat("signals: ", n),
                             req.request_id(), agencies.size() == 1 ? agencies.front() : ""));
  });
}

absl::StatusOr<std::optional<pb::RecordDemandSignalsRequest>> SignalUnitsByExternalId(
    PersonnelDirectory& personnel, const std::string& token, const auth::Caller& caller,
    const pb::RecordDemandSignalsRequest& req) {
  if (absl::c_none_of(req.signals(),
                      [](const pb::DemandSignal& s) { return !s.unit_external_id().empty(); })) {
    return std::nullopt;  // nothing to resolve: no copy of up to 10,000 signals
  }
  pb::RecordDemandSignalsRequest out = req;
  PersonnelCheck check(personnel, token, caller);
  std::vector<errors::FieldViolation> bad;
  for (int i = 0; i < out.signals_size(); ++i) {
    pb::DemandSignal& s = *out.mutable_signals(i);
    if (s.unit_external_id().empty()) continue;
    const std::string prefix = absl::StrCat("signals[", i, "].");
    absl::StatusOr<int64_t> id = check.UnitId(s.agency_code(), s.unit_id(), s.unit_external_id(),
                                              prefix + "unit_id", prefix + "unit_external_id");
    if (!id.ok()) {
      if (!absl::IsInvalidArgument(id.status())) return id.status();
      for (const errors::FieldViolation& f : errors::FieldViolationsOf(id.status())) {
        bad.push_back(f);
      }
      continue;
    }
    s.set_unit_id(*id);
    s.clear_unit_external_id();
  }
  if (!bad.empty()) return errors::InvalidArgument(bad);
  return out;
}

}  // namespace seimbang::workload
