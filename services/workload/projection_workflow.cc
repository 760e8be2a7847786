#include "services/workload/projection_workflow.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db/time_format.h"
#include "common/domain/date.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/log/phase_clock.h"
#include "common/proto_convert/date.h"
#include "services/workload/permissions.h"
#include "services/workload/validation.h"

namespace seimbang::workload {

namespace {

namespace ppb = ::seimbang::personnel::v1;
using Violations = std::vector<errors::FieldViolation>;

std::string NewProjectionId() {
  absl::BitGen gen;
  return absl::StrCat("p", absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16),
                      absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
}

domain::Date AsOf(const pb::ProjectStaffingRequest& req) {
  return req.has_as_of() ? proto_convert::ToDomain(req.as_of()) : domain::Today();
}

void ValidateGrowth(const pb::ProjectStaffingRequest& req, Violations& v) {
  std::set<std::string> families;
  for (int i = 0; i < req.growth_size(); ++i) {
    const pb::FamilyGrowth& g = req.growth(i);
    const std::string at = absl::StrCat("growth[", i, "].");
    if (g.job_family().empty()) {
      v.push_back({at + "job_family", "job_family is required"});
    } else if (!families.insert(g.job_family()).second) {
      v.push_back({at + "job_family", absl::StrCat("job family ", g.job_family(), " given twice")});
    }
    const double r = g.yearly_growth();
    if (!std::isfinite(r) || r < projection::kMinGrowth || r > projection::kMaxGrowth) {
      v.push_back({at + "yearly_growth",
                   absl::StrCat("yearly_growth must be between -0.5 and 1.0, got ", r)});
    }
  }
}

void ValidatePlan(const pb::ProjectionPlan& plan, Violations& v) {
  if (plan.moves_size() > kMaxProjectionMoves) {
    v.push_back({"plan.moves", absl::StrCat("plan.moves has ", plan.moves_size(),
                                            " entries, at most 100000 are allowed")});
    return;
  }
  for (int i = 0; i < plan.moves_size(); ++i) {
    const pb::ProjectionMove& m = plan.moves(i);
    const std::string at = absl::StrCat("plan.moves[", i, "].");
    if (m.nip().empty()) v.push_back({at + "nip", "nip is required"});
    if (m.to_unit_id() <= 0) v.push_back({at + "to_unit_id", "to_unit_id must be positive"});
    if (m.to_position_code().empty()) {
      v.push_back({at + "to_position_code", "to_position_code is required"});
    }
  }
  for (int i = 0; i < plan.unfilled_needs_size(); ++i) {
    const pb::UnfilledNeedDiagnosis& d = plan.unfilled_needs(i);
    const std::string at = absl::StrCat("plan.unfilled_needs[", i, "].");
    if (d.unit_id() <= 0) v.push_back({at + "unit_id", "unit_id must be positive"});
    if (d.position_code().empty()) v.push_back({at + "position_code", "position_code is required"});
    if (d.diagnosis().size() > kMaxDiagnosisChars) {
      v.push_back({at + "diagnosis", "diagnosis must be at most 500 characters"});
    }
  }
}

// The run the projection starts from: the given one, or the agency's latest.
absl::StatusOr<StoredRun> ResolveRun(db::Connection& conn, const auth::Caller& caller,
                                     const pb::ProjectStaffingRequest& req) {
  if (!req.run_id().empty()) {  // empty: the agency's latest run
    Violations v;
    CheckId(v, "run_id", req.run_id());
    if (!v.empty()) return errors::InvalidArgument(v);
  }
  if (req.run_id().empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto runs, Repository::ListRuns(conn, req.agency_code(), 0, 1));
    if (runs.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("agency ", req.agency_code(),
                       " has no analysis run; run one first (seimbangctl "
                       "analysis run --agency ",
                       req.agency_code(), ")"));
    }
    return std::move(runs.front());
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto run, Repository::FindRun(conn, req.run_id()));
  if (!run.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("analysis run ", errors::Echo(req.run_id()), " not found"));
  }
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, run->summary.agency_code()));
  if (run->summary.agency_code() != req.agency_code()) {
    return errors::InvalidArgument(
        {{"run_id", absl::StrCat("run ", req.run_id(), " is of agency ", run->summary.agency_code(),
                                 ", not ", req.agency_code())}});
  }
  return *std::move(run);
}

// The need per unit x position: the run's required headcounts.
absl::StatusOr<std::vector<projection::Need>> LoadNeeds(db::Connection& conn, int64_t run_pk) {
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, Repository::ListRunRows(conn, run_pk, {}, std::nullopt, -1));
  std::vector<projection::Need> needs;
  needs.reserve(rows.size());
  for (const pb::PositionRow& r : rows) {
    needs.push_back({r.unit_id(), r.position_code(), r.job_family(), r.required_headcount()});
  }
  return needs;
}

// When a person stops serving: their TMT pensiun, or earlier the day a status other than
// ACTIVE (retired early, stopped, deceased, seconded) takes effect.
domain::Date LeavingDate(const ppb::StreamEmployeesResponse& m) {
  domain::Date leaving = proto_convert::ToDomain(m.retirement_date());
  const ppb::Employee& e = m.employee();
  const bool active = e.employment_status() == ppb::EMPLOYMENT_STATUS_ACTIVE ||
                      e.employment_status() == ppb::EMPLOYMENT_STATUS_UNSPECIFIED;
  if (!active) {
    const domain::Date since =
        e.has_status_since() ? proto_convert::ToDomain(e.status_since()) : domain::Date{1, 1, 1};
    if (since < leaving) leaving = since;
  }
  return leaving;
}

// The people of the agency in post on as_of: only ACTIVE ones (retired by then, or with another
// status from as_of or earlier: not in post, as GetStaffing counts them), leaving on their TMT
// pensiun or on the day a later status change takes effect; a person's family is their
// position's.
absl::StatusOr<std::vector<projection::Person>> FetchPeople(PersonnelDirectory& personnel,
                                                            const Call& call,
                                                            const std::string& agency,
                                                            const domain::Date& as_of) {
  ppb::StreamEmployeesRequest req;
  req.mutable_filter()->set_agency_code(agency);
  *req.mutable_eligible_as_of() = proto_convert::ToProto(as_of);
  std::vector<projection::Person> people;
  absl::Status st = personnel.StreamEmployees(
      req, call.downstream_token, [&](const ppb::StreamEmployeesResponse& m) {
        const domain::Date retirement = LeavingDate(m);
        if (retirement <= as_of) return;
        people.push_back({m.employee().nip(), m.employee().unit_id(), m.employee().position_code(),
                          m.job_family(), retirement});
      });
  if (!st.ok()) return PersonnelError(st);
  return people;
}

projection::Input InputOf(const pb::ProjectStaffingRequest& req, const domain::Date& as_of) {
  projection::Input in;
  in.as_of = as_of;
  in.years = req.years() == 0 ? projection::kDefaultYears : req.years();
  in.first_year = req.first_year();
  for (const pb::FamilyGrowth& g : req.growth()) in.growth[g.job_family()] = g.yearly_growth();
  for (const pb::ProjectionMove& m : req.plan().moves()) {
    in.moves.push_back({m.nip(), m.to_unit_id(), m.to_position_code()});
  }
  for (const pb::UnfilledNeedDiagnosis& d : req.plan().unfilled_needs()) {
    in.unfilled_needs[{d.unit_id(), d.position_code()}] = d.diagnosis();
  }
  return in;
}

void FillYear(const projection::Year& y, pb::ProjectionYear& out) {
  out.set_year(y.year);
  out.set_staff_start(y.staff_start);
  out.set_retirements(y.retirements);
  out.set_need(y.need);
  out.set_gap(y.gap);
  out.set_shortage(y.shortage);
  pb::FormasiSplit* f = out.mutable_formasi();
  f->set_total(y.formasi.total);
  f->set_existing_shortage(y.formasi.existing_shortage);
  f->set_retirements(y.formasi.retirements);
  f->set_growth(y.formasi.growth);
}

void FillTotals(const std::vector<projection::Totals>& in,
                google::protobuf::RepeatedPtrField<pb::ProjectionTotals>& out) {
  for (const projection::Totals& t : in) {
    pb::ProjectionTotals* o = out.Add();
    o->set_unit_id(t.unit_id);
    o->set_job_family(t.job_family);
    for (const projection::Year& y : t.years) FillYear(y, *o->add_years());
  }
}

// The formasi lines, by year, then unit and position: every position-year with a recruitment.
void FillFormasi(pb::Projection& out) {
  std::map<std::tuple<int, int64_t, std::string>, pb::FormasiRow> rows;
  for (const pb::PositionProjection& p : out.positions()) {
    for (const pb::ProjectionYear& y : p.years()) {
      if (y.formasi().total() <= 0) continue;
      pb::FormasiRow& r = rows[{y.year(), p.unit_id(), p.position_code()}];
      r.set_year(y.year());
      r.set_unit_id(p.unit_id());
      r.set_position_code(p.position_code());
      r.set_job_family(p.job_family());
      *r.mutable_formasi() = y.formasi();
      r.set_unfilled_diagnosis(p.unfilled_diagnosis());
    }
  }
  for (auto& [key, r] : rows) *out.add_formasi() = std::move(r);
}

// The projection stored under `key` by an earlier call with the same request, if any.
absl::StatusOr<std::optional<pb::Projection>> FindReplay(Repository& repo,
                                                         const idempotency::Key& key) {
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto stored, idempotency::Find(conn.get(), key));
  if (!stored.has_value()) return std::optional<pb::Projection>();
  pb::ProjectionSummary s;
  if (!s.ParseFromString(*stored)) return absl::InternalError("stored projection is corrupt");
  SEIMBANG_ASSIGN_OR_RETURN(auto p, Repository::FindProjection(conn.get(), s.projection_id()));
  if (!p.has_value()) return absl::InternalError("replayed projection is missing");
  return p;
}

// The summary of a computed projection: ids, inputs echoed, counts, times.
void FillSummary(const pb::ProjectStaffingRequest& req, const StoredRun& run,
                 const projection::Input& in, const projection::Projection& p,
                 pb::ProjectionSummary& s) {
  s.set_projection_id(NewProjectionId());
  s.set_agency_code(req.agency_code());
  s.set_run_id(run.summary.run_id());
  *s.mutable_as_of() = proto_convert::ToProto(in.as_of);
  for (int y : p.years) s.add_years(y);
  *s.mutable_growth() = req.growth();
  s.set_plan_id(req.plan().plan_id());
  s.set_moves_given(req.plan().moves_size());
  s.set_moves_applied(p.moves_applied);
  for (const std::string& skipped : p.moves_skipped) s.add_moves_skipped(skipped);
  s.set_employees(static_cast<int64_t>(in.people.size()));
  s.set_positions(static_cast<int32_t>(p.positions.size()));
  int64_t formasi = 0;
  for (const projection::Year& y : p.agency) {
    FillYear(y, *s.add_agency());
    formasi += y.formasi.total;
  }
  s.set_formasi_total(formasi);
  s.set_label(req.label());
  s.set_create_time_ms(db::NowUnixMillis());
}

// Stores the projection and its audit row in one transaction under `key`; a twin that stored
// first wins and its projection is the answer.
absl::StatusOr<ProjectionOutcome> Store(Repository& repo, const Call& call,
                                        const pb::ProjectStaffingRequest& req,
                                        const idempotency::Key& key, pb::Projection projection) {
  pb::ProjectionSummary stored;
  bool replayed = false;
  SEIMBANG_RETURN_IF_ERROR(idempotency::Run(
      repo.pool(), key, stored,
      [&](db::Connection& conn) -> absl::Status {
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertProjection(conn, projection));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            conn,
            server::AuditEventOf(call, MethodPath("ProjectStaffing"),
                                 absl::StrCat("projection/", projection.summary().projection_id()),
                                 req.request_id(), req.agency_code())));
        stored = projection.summary();
        return absl::OkStatus();
      },
      &replayed));
  if (!replayed) return ProjectionOutcome{std::move(projection), false};
  SEIMBANG_ASSIGN_OR_RETURN(auto winner, GetProjection(repo, stored.projection_id()));
  return ProjectionOutcome{std::move(winner), true};
}

}  // namespace

Violations ValidateProjectStaffing(const pb::ProjectStaffingRequest& req) {
  Violations v;
  if (req.agency_code().empty()) v.push_back({"agency_code", "agency_code is required"});
  Violations d = ValidateDate(req.as_of(), "as_of", /*required=*/false);
  v.insert(v.end(), d.begin(), d.end());
  if (req.years() < 0 || req.years() > projection::kMaxYears) {
    v.push_back(
        {"years", absl::StrCat("years must be between 1 and 30 (0 means 5), got ", req.years())});
  }
  if (d.empty() && req.first_year() != 0) {
    const int as_of_year = AsOf(req).year;
    if (req.first_year() < as_of_year || req.first_year() > 9000) {
      v.push_back({"first_year", absl::StrCat("first_year must be 0 or from as_of's year ",
                                              as_of_year, " to 9000, got ", req.first_year())});
    }
  }
  ValidateGrowth(req, v);
  ValidatePlan(req.plan(), v);
  if (req.label().size() > kMaxLabelChars) {
    v.push_back({"label", "label must be at most 200 characters"});
  }
  return v;
}

pb::Projection ToProto(const projection::Projection& p) {
  pb::Projection out;
  out.mutable_positions()->Reserve(static_cast<int>(p.positions.size()));
  for (const projection::PositionProjection& pos : p.positions) {
    pb::PositionProjection* o = out.add_positions();
    o->set_unit_id(pos.unit_id);
    o->set_position_code(pos.position_code);
    o->set_job_family(pos.job_family);
    o->set_staff_now(pos.staff_now);
    o->set_need_now(pos.need_now);
    o->set_vacant_now(pos.vacant_now);
    o->set_unfilled_diagnosis(pos.unfilled_diagnosis);
    for (const projection::Year& y : pos.years) FillYear(y, *o->add_years());
  }
  FillTotals(p.units, *out.mutable_units());
  FillTotals(p.families, *out.mutable_families());
  FillFormasi(out);
  return out;
}

absl::StatusOr<ProjectionOutcome> ProjectStaffing(Repository& repo, PersonnelDirectory& personnel,
                                                  const Call& call,
                                                  const pb::ProjectStaffingRequest& req) {
  log::PhaseClock phases;
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            idempotency::KeyFor(call.caller, MethodPath("ProjectStaffing"), req));
  SEIMBANG_ASSIGN_OR_RETURN(auto previous, FindReplay(repo, key));
  if (previous.has_value()) return ProjectionOutcome{*std::move(previous), true};

  projection::Input in = InputOf(req, AsOf(req));
  StoredRun run;
  {
    SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
    SEIMBANG_ASSIGN_OR_RETURN(run, ResolveRun(conn.get(), call.caller, req));
    SEIMBANG_ASSIGN_OR_RETURN(in.needs, LoadNeeds(conn.get(), run.pk));
  }
  phases.Lap("read_ms");
  SEIMBANG_ASSIGN_OR_RETURN(in.people, FetchPeople(personnel, call, req.agency_code(), in.as_of));
  phases.Lap("fetch_ms");

  const absl::Time start = absl::Now();
  SEIMBANG_ASSIGN_OR_RETURN(projection::Projection computed, projection::Project(in));
  pb::Projection out = ToProto(computed);
  FillSummary(req, run, in, computed, *out.mutable_summary());
  out.mutable_summary()->set_compute_ms(absl::ToInt64Milliseconds(absl::Now() - start));
  if (req.has_plan()) *out.mutable_plan() = req.plan();
  phases.Lap("compute_ms");
  SEIMBANG_ASSIGN_OR_RETURN(ProjectionOutcome outcome, Store(repo, call, req, key, std::move(out)));
  phases.Lap("store_ms");
  // Where ProjectStaffing's time goes: the run's rows, personnel's stream, the computation, the
  // store (bench/RESULTS.md).
  phases.Log("projection_created",
             {{"projection_id", outcome.projection.summary().projection_id()},
              {"agency", req.agency_code()},
              {"employees", outcome.projection.summary().employees()},
              {"positions", static_cast<int64_t>(outcome.projection.summary().positions())}});
  return outcome;
}

absl::StatusOr<pb::Projection> GetProjection(Repository& repo, const std::string& projection_id) {
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto p, Repository::FindProjection(conn.get(), projection_id));
  if (!p.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("projection ", errors::Echo(projection_id), " not found"));
  }
  return *std::move(p);
}

}  // namespace seimbang::workload
