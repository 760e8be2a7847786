#include "services/transfer/plan_workflow.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/log/log.h"
#include "common/log/phase_clock.h"
#include "common/paging/page_token.h"
#include "common/proto_convert/date.h"
#include "common/server/allocator.h"
#include "services/transfer/permissions.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/plan_state.h"
#include "services/transfer/planner/planner.h"
#include "services/transfer/planner/validate.h"
#include "services/transfer/policy_rules.h"
#include "services/transfer/validation.h"

namespace seimbang::transfer {

// What the store reads before anything is fetched: a replay, or the policy and preferences.
struct PlanWorkflow::Sources {
  std::optional<v1::PlanSummary> replay;  // the plan stored under the key, if any
  v1::Policy stored_policy;
  std::map<std::string, v1::Preference> preferences;  // by NIP, valid on the effective date
};

namespace {

// The planner's input and answer.
struct Solved {
  BuiltInput built;
  planner::PlanResult result;
};

absl::StatusOr<Solved> SolvePlan(const PlanningData& data, const v1::Policy& policy,
                                 const PlanSpec& spec, const ProgressFn& progress,
                                 log::PhaseClock& phases);
void LogSolveStats(const std::string& agency, const BuiltInput& built,
                   const planner::PlanResult& result);
PlanRecord PlanRecordOf(const Call& call, const PlanSpec& spec, const v1::Policy& stored_policy,
                        const PlanningData& data, const DescribedPlan& described,
                        const std::string& plan_id);

// The handler's sink under the downstream's (stage, message, done, total) shape, with the
// time since `start`.
ProgressFn ProgressOf(const ProgressSink& sink, absl::Time start) {
  return [&sink, start](const std::string& stage, const std::string& message, int64_t done,
                        int64_t total) {
    common::v1::Progress p;
    p.set_stage(stage);
    p.set_message(message);
    p.set_done(done);
    p.set_total(total);
    p.set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - start));
    sink(p);
  };
}

// The fields of a plan's spec that a CreatePlanRequest and a PlanSummary name alike.
template <typename Message>
PlanSpec SpecFields(const Message& m) {
  PlanSpec spec;
  spec.agency_code = m.agency_code();
  spec.analysis_run_id = m.analysis_run_id();
  spec.policy_id = m.policy_id();
  spec.effective_date = m.effective_date();
  spec.label = m.label();
  return spec;
}

}  // namespace

absl::StatusOr<PlanSpec> PlanSpecOf(const v1::CreatePlanRequest& req) {
  SEIMBANG_RETURN_IF_ERROR(ValidateCreatePlan(req));
  return SpecFields(req);
}

PlanWorkflow::PlanWorkflow(Repository& repo, Downstream& downstream, TransferGauges& gauges)
    : repo_(repo), downstream_(downstream), gauges_(gauges) {}

absl::StatusOr<v1::PlanSummary> PlanWorkflow::Create(const Call& call,
                                                     const v1::CreatePlanRequest& request,
                                                     const PlanSpec& spec,
                                                     const ProgressSink& progress) {
  return PlanOnce(call, MethodPath("CreatePlan"), request, spec, progress);
}

absl::StatusOr<v1::PlanSummary> PlanWorkflow::Revise(const Call& call,
                                                     const v1::RevisePlanRequest& request,
                                                     const ProgressSink& progress) {
  SEIMBANG_RETURN_IF_ERROR(ValidateRevisePlan(request));
  SEIMBANG_ASSIGN_OR_RETURN(PlanRecord parent,
                            LoadPlanInScope(repo_, call.caller, request.plan_id()));
  SEIMBANG_RETURN_IF_ERROR(
      NextState(request.plan_id(), parent.summary.state(), PlanAction::kRevise).status());
  const v1::PlanSummary& ps = parent.summary;
  PlanSpec spec = SpecFields(ps);
  spec.policy_version = ps.policy_version();
  if (!request.label().empty()) spec.label = request.label();
  spec.revision = ps.revision() + 1;
  spec.parent_plan_id = ps.id();
  spec.parent_version = parent.version;
  SEIMBANG_ASSIGN_OR_RETURN(spec.revision_rules, RulesFromParent(call.caller, ps.id()));
  return PlanOnce(call, MethodPath("RevisePlan"), request, spec, progress);
}

absl::StatusOr<v1::PlanSummary> PlanWorkflow::PlanOnce(const Call& call, const std::string& method,
                                                       const google::protobuf::Message& request,
                                                       const PlanSpec& spec,
                                                       const ProgressSink& progress) {
  SEIMBANG_ASSIGN_OR_RETURN(idempotency::Key key,
                            idempotency::KeyFor(call.caller, method, request));
  absl::StatusOr<v1::PlanSummary> plan = ComputeAndStore(call, method, key, spec, progress);
  // The planner's network and inputs (hundreds of MB at city scale) are freed by now.
  server::ReleaseFreeMemory();
  return plan;
}

absl::StatusOr<v1::PlanSummary> PlanWorkflow::ComputeAndStore(const Call& call,
                                                              const std::string& method,
                                                              const idempotency::Key& key,
                                                              const PlanSpec& spec,
                                                              const ProgressSink& sink) {
  const absl::Time start = absl::Now();
  const ProgressFn progress = ProgressOf(sink, start);
  // plan_created (issue 22 item 1): staffing_fetch_ms and analysis_fetch_ms overlap (each is
  // its own wall time from the start of fetching; the staffing one ends when personnel's staff
  // and the run's staffing check are both in, the check running beside the preparation and the
  // solve), then preparation_ms (policy and preferences read, planner input built), solve_ms,
  // explanations_ms, storing_ms and total_ms.
  log::PhaseClock phases(start);
  SEIMBANG_ASSIGN_OR_RETURN(Sources sources, ReadSources(call.caller, key, spec));
  if (sources.replay.has_value()) return *std::move(sources.replay);
  const v1::Policy policy = EffectivePolicy(sources.stored_policy);
  phases.Lap("preparation_ms");

  progress("fetch", "mengambil analisis dan data pegawai", 0, 0);
  StalenessCheck staleness(downstream_, spec.analysis_run_id, call.deadline);
  SEIMBANG_ASSIGN_OR_RETURN(PlanningData data, FetchRun(call, spec, progress));
  data.preferences = std::move(sources.preferences);
  phases.Skip();

  absl::StatusOr<Solved> solving = SolvePlan(data, policy, spec, progress, phases);
  // A stale run is refused before anything the planner says, as when the check came first.
  SEIMBANG_RETURN_IF_ERROR(staleness.Wait());
  phases.Skip();  // any wait for the check is in staffing_fetch_ms
  SEIMBANG_ASSIGN_OR_RETURN(Solved solved, std::move(solving));
  const std::string plan_id = NewId("p");
  const DescribedPlan described = DescribePlan(solved.built, data, policy, solved.result, plan_id);
  phases.Lap("explanations_ms");
  progress("store", "menyimpan rencana", static_cast<int64_t>(described.moves.size()),
           static_cast<int64_t>(described.moves.size()));
  const PlanRecord record =
      PlanRecordOf(call, spec, sources.stored_policy, data, described, plan_id);

  // A caller that gave up gets nothing stored in its name (its retry recomputes).
  if (std::chrono::system_clock::now() >= call.deadline) {
    return absl::DeadlineExceededError("the caller's deadline passed before the plan was stored");
  }
  v1::PlanSummary answer;
  SEIMBANG_RETURN_IF_ERROR(Store(call, method, key, spec, record, described, &answer));
  phases.Lap("storing_ms");
  // The solve's own phases are in plan_solved.
  phases.Log("plan_created",
             {{"plan_id", plan_id},
              {"agency", spec.agency_code},
              {"moves", static_cast<int64_t>(described.moves.size())},
              {"staffing_fetch_ms", std::max(data.timings.staffing_ms, staleness.milliseconds())},
              {"analysis_fetch_ms", data.timings.analysis_ms}});
  gauges_.Refresh(repo_);
  return answer;
}

// The replay is looked up here, before the minutes of fetching and solving; Store's
// idempotency::Run looks again in its transaction, for a concurrent twin that stored first.
absl::StatusOr<PlanWorkflow::Sources> PlanWorkflow::ReadSources(const auth::Caller& caller,
                                                                const idempotency::Key& key,
                                                                const PlanSpec& spec) {
  Sources out;
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(std::optional<std::string> replay, idempotency::Find(conn.get(), key));
  if (replay.has_value()) {
    v1::PlanSummary summary;
    if (!summary.ParseFromString(*replay)) return absl::InternalError("corrupt response");
    out.replay = std::move(summary);
    return out;
  }
  SEIMBANG_ASSIGN_OR_RETURN(out.stored_policy,
                            Repository::GetPolicy(conn.get(), spec.policy_id, spec.policy_version));
  if (out.stored_policy.agency_code() != spec.agency_code) {
    // Another agency's policy is refused as reading it would be (issue 15 item 3).
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, out.stored_policy.agency_code()));
    return errors::InvalidArgument(
        {{"policy_id", absl::StrCat("policy ", spec.policy_id, " belongs to agency ",
                                    out.stored_policy.agency_code())}});
  }
  SEIMBANG_ASSIGN_OR_RETURN(out.preferences,
                            Repository::ValidPreferences(
                                conn.get(), spec.agency_code,
                                domain::FormatDate(proto_convert::ToDomain(spec.effective_date))));
  return out;
}

// The run and the agency's staff from workload-analysis and personnel, within the caller's
// deadline; a run of another agency is refused.
absl::StatusOr<PlanningData> PlanWorkflow::FetchRun(const Call& call, const PlanSpec& spec,
                                                    const ProgressFn& progress) {
  SEIMBANG_ASSIGN_OR_RETURN(
      PlanningData data, downstream_.FetchPlanningData(spec.agency_code, spec.analysis_run_id,
                                                       proto_convert::ToDomain(spec.effective_date),
                                                       progress, call.deadline));
  if (data.run_agency != spec.agency_code) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(call.caller, data.run_agency));
    return absl::FailedPreconditionError(absl::StrCat("analysis run ", spec.analysis_run_id,
                                                      " belongs to agency ", data.run_agency,
                                                      ", not ", spec.agency_code));
  }
  return data;
}

PlanWorkflow::StalenessCheck::StalenessCheck(Downstream& downstream, std::string run_id,
                                             std::chrono::system_clock::time_point deadline)
    : run_id_(std::move(run_id)), start_(absl::Now()) {
  result_ = std::async(std::launch::async, [this, &downstream, deadline] {
    absl::StatusOr<RunStaffing> staffing = downstream.StaffingOfRun(run_id_, deadline);
    ms_ = absl::ToInt64Milliseconds(absl::Now() - start_);
    return staffing;
  });
}

PlanWorkflow::StalenessCheck::~StalenessCheck() {
  if (result_.valid()) result_.wait();
}

// A run older than the staffing it counted would plan people who are no longer there (issue 18
// item 4): say so and how to fix it.
absl::Status PlanWorkflow::StalenessCheck::Wait() {
  if (result_.valid()) status_ = Verdict(result_.get());
  return status_;
}

absl::Status PlanWorkflow::StalenessCheck::Verdict(const absl::StatusOr<RunStaffing>& staffing) {
  SEIMBANG_RETURN_IF_ERROR(staffing.status());
  if (staffing->stale()) return StaleRunError(run_id_, *staffing, "plan from the new run");
  return absl::OkStatus();
}

namespace {

// The planner validates its input once, inside Solve. Only when it refuses the input are its
// violations listed again, as data, to name them in the request's terms (RequestViolations).
absl::StatusOr<Solved> SolvePlan(const PlanningData& data, const v1::Policy& policy,
                                 const PlanSpec& spec, const ProgressFn& progress,
                                 log::PhaseClock& phases) {
  Solved out;
  SEIMBANG_ASSIGN_OR_RETURN(out.built, BuildPlanInput(data, policy, spec.revision_rules));
  phases.Lap("preparation_ms");
  progress("solve", "menghitung rencana optimal",
           static_cast<int64_t>(out.built.input.candidates.size()), 0);
  absl::StatusOr<planner::PlanResult> result = planner::Solve(out.built.input);
  if (!result.ok()) {
    if (absl::IsInvalidArgument(result.status())) {
      if (auto v = planner::ValidateInput(out.built.input); !v.empty()) {
        return errors::InvalidArgument(RequestViolations(v, out.built));
      }
    }
    return result.status();
  }
  out.result = *std::move(result);
  phases.Lap("solve_ms");
  LogSolveStats(spec.agency_code, out.built, out.result);
  return out;
}

void LogSolveStats(const std::string& agency, const BuiltInput& built,
                   const planner::PlanResult& result) {
  const planner::SolveStats& stats = result.stats;
  log::Info("plan_solved", {{"agency", agency},
                            {"candidates", static_cast<int64_t>(built.input.candidates.size())},
                            {"classes", stats.classes},
                            {"parts", stats.parts},
                            {"arcs", stats.arcs},
                            {"moves", static_cast<int64_t>(result.moves.size())},
                            {"total_ms", stats.milliseconds},
                            {"prepare_ms", stats.prepare_ms},
                            {"build_ms", stats.build_ms},
                            {"flow_ms", stats.flow_ms},
                            {"assign_ms", stats.assign_ms},
                            {"diagnose_ms", stats.diagnose_ms}});
}

// The stored plan: the solve's figures (DescribePlan) with its identity and lifecycle.
PlanRecord PlanRecordOf(const Call& call, const PlanSpec& spec, const v1::Policy& stored_policy,
                        const PlanningData& data, const DescribedPlan& described,
                        const std::string& plan_id) {
  PlanRecord rec;
  rec.version = 1;
  rec.summary = described.summary;
  v1::PlanSummary& s = rec.summary;
  s.set_id(plan_id);
  s.set_agency_code(spec.agency_code);
  s.set_analysis_run_id(spec.analysis_run_id);
  s.set_policy_id(stored_policy.id());
  s.set_policy_version(stored_policy.version());
  *s.mutable_effective_date() = spec.effective_date;
  s.set_label(spec.label);
  s.set_state(v1::PLAN_STATE_DRAFT);
  s.set_revision(spec.revision);
  s.set_parent_plan_id(spec.parent_plan_id);
  s.set_staffing_digest(data.staffing_digest);
  s.set_create_time_ms(db::NowUnixMillis());
  s.set_created_by(call.caller.claims.subject);
  s.set_etag("1");
  return rec;
}

}  // namespace

// One transaction: the parent of a revision becomes CANCELLED (at the version it was read
// at), the plan, its moves, unfilled needs and audit row are written, the answer is stored
// under `key`.
absl::Status PlanWorkflow::Store(const Call& call, const std::string& method,
                                 const idempotency::Key& key, const PlanSpec& spec,
                                 const PlanRecord& record, const DescribedPlan& described,
                                 v1::PlanSummary* answer) {
  const std::string& plan_id = record.summary.id();
  return Idempotent<v1::PlanSummary>(
      repo_, key, answer, [&](db::Connection& c, v1::PlanSummary* out) -> absl::Status {
        if (!spec.parent_plan_id.empty()) {
          SEIMBANG_ASSIGN_OR_RETURN(PlanRecord parent, Repository::GetPlan(c, spec.parent_plan_id));
          SEIMBANG_ASSIGN_OR_RETURN(
              v1::PlanState next,
              NextState(spec.parent_plan_id, parent.summary.state(), PlanAction::kRevise));
          parent.summary.set_state(next);
          SEIMBANG_RETURN_IF_ERROR(
              Repository::UpdatePlan(c, std::move(parent), spec.parent_version).status());
        }
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertPlan(c, record));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertMoves(c, plan_id, described.moves));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertUnfilled(c, plan_id, described.unfilled));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            c, server::AuditEventOf(call, method, plan_id, key.request_id, spec.agency_code)));
        *out = record.summary;
        return absl::OkStatus();
      });
}

// Accepted objections forbid their move; the parent's other moves are pinned.
absl::StatusOr<RevisionRules> PlanWorkflow::RulesFromParent(const auth::Caller& caller,
                                                            const std::string& parent_id) {
  RevisionRules rules;
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  std::set<std::string> objected;
  std::string token;
  do {
    SEIMBANG_ASSIGN_OR_RETURN(
        Page<v1::Objection> page,
        Repository::ListObjections(conn.get(), parent_id, v1::OBJECTION_STATE_ACCEPTED,
                                   paging::kMaxPageSize, token,
                                   server::PageQueryOf(MethodPath("RevisePlan"), caller)));
    for (const auto& o : page.items) objected.insert(o.move_id());
    token = page.next_page_token;
  } while (!token.empty());
  std::string after;
  while (true) {
    SEIMBANG_ASSIGN_OR_RETURN(std::vector<v1::ExplainMoveResponse> moves,
                              Repository::MovesAfter(conn.get(), parent_id, after, 1000));
    if (moves.empty()) break;
    for (const auto& e : moves) {
      const v1::Move& m = e.move();
      if (objected.count(m.id())) {
        v1::ForbiddenMove f;
        f.set_nip(m.nip());
        f.set_to_unit_id(m.to_unit_id());
        f.set_to_position_code(m.to_position_code());
        rules.forbidden.push_back(std::move(f));
      } else {
        v1::PinnedMove p;
        p.set_nip(m.nip());
        p.set_to_unit_id(m.to_unit_id());
        p.set_to_position_code(m.to_position_code());
        rules.pinned.push_back(std::move(p));
      }
    }
    after = moves.back().move().id();
  }
  return rules;
}

}  // namespace seimbang::transfer
