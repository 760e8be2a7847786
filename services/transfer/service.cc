#include "services/transfer/service.h"

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/auth/audit.h"
#include "common/db/time_format.h"
#include "common/domain/nip.h"
#include "common/errors/errors.h"
#include "common/idempotency/idempotency.h"
#include "common/log/log.h"
#include "common/server/allocator.h"
#include "common/server/channel.h"
#include "services/transfer/export_text.h"
#include "services/transfer/plan_input.h"
#include "services/transfer/planner/planner.h"
#include "services/transfer/planner/validate.h"
#include "services/transfer/policy_rules.h"

namespace seimbang::transfer {
namespace {

using auth::Role;
constexpr char kSvc[] = "/seimbang.transfer.v1.TransferPlanningService/";

std::string M(const char* name) { return absl::StrCat(kSvc, name); }

grpc::Status G(const absl::Status& s) { return errors::ToGrpcStatus(s); }

// What a page token of `rpc` is bound to: the RPC and who asks; the repository adds the filters.
paging::PageQuery PageQueryOf(std::string_view rpc, const auth::Caller& c) {
  paging::PageQuery q(absl::StrCat("/seimbang.transfer.v1.TransferPlanningService/",
                                   absl::string_view(rpc.data(), rpc.size())));
  q.Scope(auth::RoleName(c.claims.role), c.claims.agency, c.claims.nip, c.claims.subject);
  return q;
}

std::string NewId(const char* prefix) {
  static std::mt19937_64 rng(std::random_device{}() ^
                             static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
  static absl::Mutex mu;
  absl::MutexLock lock(&mu);
  return absl::StrFormat("%s%012x", prefix, rng() & 0xffffffffffffULL);
}

std::string In(const grpc::ServerContext* ctx) { return server::IncomingRequestId(*ctx); }

absl::StatusOr<auth::Caller> CallerOf(grpc::ServerContext* ctx) {
  return auth::CallerFromContext(*ctx);
}

// `incoming_request_id` is the call's x-request-id, audited when the message has no request_id.
cpb::AuditEvent Audit(const auth::Caller& caller, const std::string& method,
                      const std::string& resource, const std::string& request_id,
                      std::string_view incoming_request_id, const std::string& agency) {
  auth::AuditActor who = auth::AuditActorOf(caller, method, request_id, incoming_request_id);
  cpb::AuditEvent e;
  e.set_time_ms(db::NowUnixMillis());
  e.set_subject(std::move(who.subject));
  e.set_role(std::move(who.role));
  e.set_method(std::move(who.method));
  e.set_resource(resource);
  e.set_request_id(std::move(who.request_id));
  e.set_agency_code(agency);
  return e;
}

bool IsEmployee(const auth::Caller& c) { return c.claims.role == Role::kEmployee; }

// Runs a mutation once per idempotency key (common/idempotency: caller scope, method,
// request_id and request fingerprint); `fn` fills the typed response.
template <typename Resp>
absl::Status Idempotent(db::Pool& pool, const absl::StatusOr<idempotency::Key>& key, Resp* response,
                        const std::function<absl::Status(db::Connection&, Resp*)>& fn) {
  if (!key.ok()) return key.status();
  return idempotency::Run(pool, *key, *response,
                          [&](db::Connection& c) { return fn(c, response); });
}

domain::Date ToDomain(const cpb::Date& d) { return {d.year(), d.month(), d.day()}; }

// A NIP or unit id that a policy or preference names, with its field path in the request.
struct NamedNip {
  std::string nip;
  std::string field;
};
struct NamedUnit {
  int64_t id;
  std::string field;
};

// Units missing from the owning agency's listing are looked up one by one (GetUnit) up to this
// many; past it, one listing of every agency's units instead.
constexpr size_t kMaxUnitLookups = 10;

// Issue 15 item 3: every NIP and unit id a policy or preference names must be an employee or
// unit of `agency` (the policy's or preference's agency, already scope-checked). One of an agency
// the caller may not act on is PERMISSION_DENIED ("<field>: caller of agency X may not act on
// agency Y"), before anything else; an unknown one, or one of another agency named by a caller
// spanning agencies (admin, service) without `cross_agency` (a policy's allow_cross_agency), is
// INVALID_ARGUMENT naming every such field. Calls to personnel: BatchGetEmployees per 1000 NIPs,
// one ListUnits of `agency`, then for the units not in it at most kMaxUnitLookups GetUnit or one
// ListUnits of every agency.
absl::Status CheckNamedIds(Downstream& downstream, const auth::Caller& caller,
                           const std::string& agency, bool cross_agency,
                           const std::vector<NamedNip>& nips, const std::vector<NamedUnit>& units) {
  errors::ValidationErrors errs;
  auto elsewhere = [&](const std::string& field, const std::string& what,
                       const std::string& of) -> absl::Status {
    if (absl::Status s = auth::CheckAgencyScope(caller, of); !s.ok()) {
      return absl::PermissionDeniedError(absl::StrCat(field, ": ", s.message()));
    }
    if (!cross_agency) {
      errs.Add(field, absl::StrCat(what, " is of agency ", of, ", not ", agency,
                                   " (only a policy with allow_cross_agency may name it)"));
    }
    return absl::OkStatus();
  };
  if (!nips.empty()) {
    std::vector<std::string> distinct;
    std::set<std::string> seen;
    for (const NamedNip& n : nips) {
      if (seen.insert(n.nip).second) distinct.push_back(n.nip);
    }
    auto of_nip = downstream.EmployeeAgencies(distinct);
    if (!of_nip.ok()) return of_nip.status();
    for (const NamedNip& n : nips) {
      const std::string what = absl::StrCat("employee ", domain::MaskNip(n.nip));
      auto it = of_nip->find(n.nip);
      if (it == of_nip->end()) {
        errs.Add(n.field, what + " not found in personnel");
      } else if (it->second != agency) {
        if (absl::Status s = elsewhere(n.field, what, it->second); !s.ok()) return s;
      }
    }
  }
  if (!units.empty()) {
    auto listed = downstream.UnitAgencies(agency);
    if (!listed.ok()) return listed.status();
    std::set<int64_t> misses;
    for (const NamedUnit& u : units) {
      if (listed->count(u.id) == 0) misses.insert(u.id);
    }
    std::map<int64_t, absl::StatusOr<std::string>> of_unit;  // the misses' agencies
    if (misses.size() > kMaxUnitLookups) {
      auto all = downstream.UnitAgencies("");
      if (!all.ok()) return all.status();
      for (int64_t id : misses) {
        auto it = all->find(id);
        of_unit.emplace(id, it == all->end() ? absl::StatusOr<std::string>(absl::NotFoundError(""))
                                             : absl::StatusOr<std::string>(it->second));
      }
    }
    for (const NamedUnit& u : units) {
      if (listed->count(u.id) > 0) continue;
      auto it = of_unit.find(u.id);
      if (it == of_unit.end()) it = of_unit.emplace(u.id, downstream.UnitAgency(u.id)).first;
      const absl::StatusOr<std::string>& of = it->second;
      const std::string what = absl::StrCat("unit ", u.id);
      if (!of.ok()) {
        if (!absl::IsNotFound(of.status())) return of.status();
        errs.Add(u.field, what + " not found in personnel");
      } else if (*of != agency) {  // else created since the listing
        if (absl::Status s = elsewhere(u.field, what, *of); !s.ok()) return s;
      }
    }
  }
  return errs.ToStatus();
}

// The NIPs and units a policy pins or forbids (a forbidden move to unit 0 names no unit).
absl::Status CheckPolicyIds(Downstream& downstream, const auth::Caller& caller,
                            const v1::Policy& policy) {
  const v1::HardRules& r = policy.rules();
  std::vector<NamedNip> nips;
  std::vector<NamedUnit> units;
  for (int i = 0; i < r.pinned_size(); ++i) {
    const std::string field = absl::StrCat("policy.rules.pinned[", i, "]");
    nips.push_back({r.pinned(i).nip(), field + ".nip"});
    units.push_back({r.pinned(i).to_unit_id(), field + ".to_unit_id"});
  }
  for (int i = 0; i < r.forbidden_size(); ++i) {
    const std::string field = absl::StrCat("policy.rules.forbidden[", i, "]");
    nips.push_back({r.forbidden(i).nip(), field + ".nip"});
    if (r.forbidden(i).to_unit_id() != 0) {
      units.push_back({r.forbidden(i).to_unit_id(), field + ".to_unit_id"});
    }
  }
  return CheckNamedIds(downstream, caller, policy.agency_code(), r.allow_cross_agency(), nips,
                       units);
}

// The units a preference prefers or avoids.
absl::Status CheckPreferenceUnits(Downstream& downstream, const auth::Caller& caller,
                                  const v1::Preference& pref) {
  std::vector<NamedUnit> units;
  for (int i = 0; i < pref.preferred_unit_ids_size(); ++i) {
    units.push_back(
        {pref.preferred_unit_ids(i), absl::StrCat("preference.preferred_unit_ids[", i, "]")});
  }
  for (int i = 0; i < pref.avoided_unit_ids_size(); ++i) {
    units.push_back(
        {pref.avoided_unit_ids(i), absl::StrCat("preference.avoided_unit_ids[", i, "]")});
  }
  return CheckNamedIds(downstream, caller, pref.agency_code(), false, {}, units);
}

}  // namespace

// ---------------------------------------------------------------- permissions, gauges

auth::PermissionTable TransferPermissions() {
  const std::vector<Role> read = {Role::kAdmin, Role::kOperator, Role::kApprover, Role::kViewer,
                                  Role::kService};
  auto with = [](std::vector<Role> roles, std::initializer_list<Role> more) {
    roles.insert(roles.end(), more);
    return roles;
  };
  const std::vector<Role> ops = {Role::kAdmin, Role::kOperator};
  const std::vector<Role> approve = {Role::kAdmin, Role::kApprover};
  return auth::PermissionTable({
      {M("CreatePolicy"), ops},
      {M("GetPolicy"), read},
      {M("ListPolicies"), read},
      {M("UpdatePolicy"), ops},
      {M("SubmitPreferences"), {Role::kAdmin, Role::kOperator, Role::kEmployee}},
      {M("ListPreferences"), with(read, {Role::kEmployee})},
      {M("CreatePlan"), ops},
      {M("GetPlan"), read},
      {M("ListPlans"), read},
      {M("ListMoves"), read},
      {M("ExplainMove"), with(read, {Role::kEmployee})},
      {M("ComparePlans"), read},
      {M("SubmitPlan"), ops},
      {M("ApprovePlan"), approve},
      {M("RejectPlan"), approve},
      {M("CancelPlan"), ops},
      {M("FileObjection"), {Role::kAdmin, Role::kOperator, Role::kEmployee}},
      {M("ResolveObjection"), approve},
      {M("ListObjections"), read},
      {M("RevisePlan"), ops},
      {M("ExecutePlan"), ops},
      {M("GetExecution"), read},
      {M("ExportPlan"), read},
      {M("ListAuditEvents"), {Role::kAdmin}},
  });
}

void TransferGauges::Attach(prometheus::Registry& registry) {
  absl::MutexLock lock(&mu_);
  plans_ = &prometheus::BuildGauge()
                .Name("seimbang_transfer_plans")
                .Help("Transfer plans by agency and state.")
                .Register(registry);
  executed_ = &prometheus::BuildCounter()
                   .Name("seimbang_transfer_moves_executed_total")
                   .Help("Moves applied in personnel by plan executions.")
                   .Register(registry);
}

void TransferGauges::Refresh(db::Pool& pool) {
  auto conn = pool.Acquire();
  if (!conn.ok()) return;
  auto counts = Repository::CountPlans(conn->get());
  if (!counts.ok()) return;
  absl::MutexLock lock(&mu_);
  if (plans_ == nullptr) return;
  // Every state of every agency seen, so a state that empties drops to 0.
  std::set<std::string> agencies;
  for (const auto& [key, n] : *counts) agencies.insert(key.first);
  for (const auto& agency : agencies) {
    for (int st = v1::PLAN_STATE_DRAFT; st <= v1::PLAN_STATE_CANCELLED; ++st) {
      auto it = counts->find({agency, st});
      plans_
          ->Add({{"agency", agency},
                 {"state", std::string(PlanStateName(static_cast<v1::PlanState>(st)))}})
          .Set(it == counts->end() ? 0.0 : static_cast<double>(it->second));
    }
  }
  for (const auto& [key, n] : *counts) {
    if (key.second >= v1::PLAN_STATE_DRAFT && key.second <= v1::PLAN_STATE_CANCELLED) continue;
    plans_
        ->Add({{"agency", key.first},
               {"state", std::string(PlanStateName(static_cast<v1::PlanState>(key.second)))}})
        .Set(static_cast<double>(n));
  }
}

void TransferGauges::AddExecuted(const std::string& agency, int n) {
  absl::MutexLock lock(&mu_);
  if (executed_ != nullptr) executed_->Add({{"agency", agency}}).Increment(n);
}

TransferService::TransferService(db::Pool& pool, Downstream& downstream, Executor& executor,
                                 TransferGauges& gauges)
    : pool_(pool), downstream_(downstream), executor_(executor), gauges_(gauges) {}

// ---------------------------------------------------------------- policies

grpc::Status TransferService::CreatePolicy(Ctx* ctx, const v1::CreatePolicyRequest* req,
                                           v1::CreatePolicyResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  if (absl::Status s = ValidatePolicy(req->policy(), false); !s.ok()) return G(s);
  if (absl::Status s = auth::CheckAgencyScope(*caller, req->policy().agency_code()); !s.ok()) {
    return G(s);
  }
  if (absl::Status s = CheckPolicyIds(downstream_, *caller, req->policy()); !s.ok()) return G(s);
  const std::string method = M("CreatePolicy");
  return G(Idempotent<v1::CreatePolicyResponse>(
      pool_, idempotency::KeyFor(*caller, method, *req), resp,
      [&](db::Connection& c, v1::CreatePolicyResponse* out) -> absl::Status {
        v1::Policy p = req->policy();
        p.set_id(NewId("pol-"));
        p.set_version(1);
        p.set_etag("1");
        p.set_update_time_ms(db::NowUnixMillis());
        if (absl::Status s = Repository::InsertPolicy(c, p); !s.ok()) return s;
        if (absl::Status s = Repository::InsertAudit(
                c, Audit(*caller, method, p.id(), req->request_id(), In(ctx), p.agency_code()));
            !s.ok()) {
          return s;
        }
        *out->mutable_policy() = std::move(p);
        return absl::OkStatus();
      }));
}

grpc::Status TransferService::GetPolicy(Ctx* ctx, const v1::GetPolicyRequest* req,
                                        v1::GetPolicyResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  if (req->id().empty()) return G(errors::InvalidArgument({{"id", "is required"}}));
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto p = Repository::GetPolicy(conn->get(), req->id(), req->version());
  if (!p.ok()) return G(p.status());
  if (absl::Status s = auth::CheckAgencyScope(*caller, p->agency_code()); !s.ok()) return G(s);
  *resp->mutable_policy() = *std::move(p);
  return grpc::Status::OK;
}

grpc::Status TransferService::ListPolicies(Ctx* ctx, const v1::ListPoliciesRequest* req,
                                           v1::ListPoliciesResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  std::string agency = req->agency_code();
  if (agency.empty()) agency = caller->claims.agency;
  if (absl::Status s = auth::CheckAgencyScope(*caller, agency); !s.ok()) return G(s);
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListPolicies(conn->get(), agency, *size, req->page().page_token(),
                                       PageQueryOf("ListPolicies", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& p : page->items) *resp->add_policies() = std::move(p);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

grpc::Status TransferService::UpdatePolicy(Ctx* ctx, const v1::UpdatePolicyRequest* req,
                                           v1::UpdatePolicyResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  if (absl::Status s = ValidatePolicy(req->policy(), true); !s.ok()) return G(s);
  if (absl::Status s = auth::CheckAgencyScope(*caller, req->policy().agency_code()); !s.ok()) {
    return G(s);
  }
  if (absl::Status s = CheckPolicyIds(downstream_, *caller, req->policy()); !s.ok()) return G(s);
  const std::string method = M("UpdatePolicy");
  absl::Status s = Idempotent<v1::UpdatePolicyResponse>(
      pool_, idempotency::KeyFor(*caller, method, *req), resp,
      [&](db::Connection& c, v1::UpdatePolicyResponse* out) -> absl::Status {
        auto latest = Repository::GetPolicy(c, req->policy().id(), 0);
        if (!latest.ok()) return latest.status();
        if (absl::Status s = auth::CheckAgencyScope(*caller, latest->agency_code()); !s.ok()) {
          return s;
        }
        if (latest->agency_code() != req->policy().agency_code()) {
          return errors::InvalidArgument({{"policy.agency_code", "cannot change"}});
        }
        if (latest->etag() != req->policy().etag()) {
          return absl::AbortedError(absl::StrCat("policy ", latest->id(), " has etag ",
                                                 latest->etag(), ", not ", req->policy().etag(),
                                                 "; reload it"));
        }
        v1::Policy p = req->policy();
        p.set_version(latest->version() + 1);
        p.set_etag(absl::StrCat(p.version()));
        p.set_update_time_ms(db::NowUnixMillis());
        if (absl::Status s = Repository::InsertPolicy(c, p); !s.ok()) {
          if (s.code() == absl::StatusCode::kAlreadyExists) {
            return absl::AbortedError(
                absl::StrCat("policy ", p.id(), " was changed by someone else; reload it"));
          }
          return s;
        }
        if (absl::Status s = Repository::InsertAudit(
                c, Audit(*caller, method, p.id(), req->request_id(), In(ctx), p.agency_code()));
            !s.ok()) {
          return s;
        }
        *out->mutable_policy() = std::move(p);
        return absl::OkStatus();
      });
  return G(s);
}

// ---------------------------------------------------------------- preferences

grpc::Status TransferService::SubmitPreferences(Ctx* ctx, const v1::SubmitPreferencesRequest* req,
                                                v1::SubmitPreferencesResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  const auto& pref = req->preference();
  if (absl::Status s = ValidatePreference(pref, domain::Today()); !s.ok()) return G(s);
  if (IsEmployee(*caller) && caller->claims.nip != pref.nip()) {
    return G(absl::PermissionDeniedError("an employee may submit preferences only for themself"));
  }
  if (absl::Status s = auth::CheckAgencyScope(*caller, pref.agency_code()); !s.ok()) return G(s);
  // Preferences are keyed by NIP: the NIP must be an employee of the preference's agency, or an
  // operator of one agency would overwrite another agency's employee's preference (issue 15
  // item 3). An employee of an agency the caller may not act on is PERMISSION_DENIED.
  {
    auto agency = downstream_.EmployeeAgency(pref.nip());
    if (!agency.ok()) {
      if (absl::IsNotFound(agency.status())) {
        return G(absl::NotFoundError(
            absl::StrCat("employee ", domain::MaskNip(pref.nip()), " not found in personnel")));
      }
      return G(agency.status());
    }
    if (*agency != pref.agency_code()) {
      if (absl::Status s = auth::CheckAgencyScope(*caller, *agency); !s.ok()) return G(s);
      return G(errors::InvalidArgument(
          {{"preference.agency_code",
            absl::StrCat("employee ", domain::MaskNip(pref.nip()), " is of agency ", *agency)}}));
    }
  }
  // So are the units it prefers or avoids (issue 15 item 3).
  if (absl::Status s = CheckPreferenceUnits(downstream_, *caller, pref); !s.ok()) return G(s);
  const std::string method = M("SubmitPreferences");
  return G(Idempotent<v1::SubmitPreferencesResponse>(
      pool_, idempotency::KeyFor(*caller, method, *req), resp,
      [&](db::Connection& c, v1::SubmitPreferencesResponse* out) -> absl::Status {
        v1::Preference p = pref;
        p.set_update_time_ms(db::NowUnixMillis());
        if (absl::Status s = Repository::UpsertPreference(c, p); !s.ok()) return s;
        if (absl::Status s =
                Repository::InsertAudit(c, Audit(*caller, method, domain::MaskNip(p.nip()),
                                                 req->request_id(), In(ctx), p.agency_code()));
            !s.ok()) {
          return s;
        }
        *out->mutable_preference() = std::move(p);
        return absl::OkStatus();
      }));
}

grpc::Status TransferService::ListPreferences(Ctx* ctx, const v1::ListPreferencesRequest* req,
                                              v1::ListPreferencesResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  std::string agency = req->agency_code();
  std::string nip = req->nip();
  if (IsEmployee(*caller)) {
    if (!nip.empty() && nip != caller->claims.nip) {
      return G(absl::PermissionDeniedError("an employee may see only their own preferences"));
    }
    nip = caller->claims.nip;
    agency.clear();
  } else {
    if (agency.empty()) agency = caller->claims.agency;
    if (absl::Status s = auth::CheckAgencyScope(*caller, agency); !s.ok()) return G(s);
  }
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListPreferences(conn->get(), agency, nip, *size, req->page().page_token(),
                                          PageQueryOf("ListPreferences", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& p : page->items) *resp->add_preferences() = std::move(p);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- planning

struct TransferService::PlanSpec {
  std::string agency_code;
  std::string analysis_run_id;
  std::string policy_id;
  int64_t policy_version = 0;  // 0 = latest
  cpb::Date effective_date;
  std::string label;
  int revision = 1;
  std::string parent_plan_id;
  int64_t parent_version = 0;
  RevisionRules revision_rules;
  std::string incoming_request_id;  // x-request-id of the call, for the audit row
};

absl::StatusOr<v1::PlanSummary> TransferService::ComputeAndStore(
    const auth::Caller& caller, const std::string& method, const idempotency::Key& key,
    const PlanSpec& spec, const std::function<void(const cpb::Progress&)>& emit,
    std::chrono::system_clock::time_point deadline) {
  const absl::Time start = absl::Now();
  auto progress = [&](const std::string& stage, const std::string& message, int64_t done,
                      int64_t total) {
    cpb::Progress p;
    p.set_stage(stage);
    p.set_message(message);
    p.set_done(done);
    p.set_total(total);
    p.set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - start));
    emit(p);
  };

  v1::Policy stored_policy;
  std::map<std::string, v1::Preference> preferences;
  {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    // A replay answers with the stored plan before anything is fetched or solved.
    auto replay = idempotency::Find(conn->get(), key);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      v1::PlanSummary summary;
      if (!summary.ParseFromString(**replay)) return absl::InternalError("corrupt response");
      return summary;
    }
    auto policy = Repository::GetPolicy(conn->get(), spec.policy_id, spec.policy_version);
    if (!policy.ok()) return policy.status();
    if (policy->agency_code() != spec.agency_code) {
      // Another agency's policy is refused as reading it would be (issue 15 item 3).
      if (absl::Status s = auth::CheckAgencyScope(caller, policy->agency_code()); !s.ok()) {
        return s;
      }
      return errors::InvalidArgument(
          {{"policy_id", absl::StrCat("policy ", spec.policy_id, " belongs to agency ",
                                      policy->agency_code())}});
    }
    stored_policy = *std::move(policy);
    auto prefs = Repository::ValidPreferences(conn->get(), spec.agency_code,
                                              domain::FormatDate(ToDomain(spec.effective_date)));
    if (!prefs.ok()) return prefs.status();
    preferences = *std::move(prefs);
  }
  const v1::Policy policy = EffectivePolicy(stored_policy);

  progress("fetch", "mengambil analisis dan data pegawai", 0, 0);
  auto data = downstream_.FetchPlanningData(spec.agency_code, spec.analysis_run_id,
                                            ToDomain(spec.effective_date), progress, deadline);
  if (!data.ok()) return data.status();
  if (data->run_agency != spec.agency_code) {
    if (absl::Status s = auth::CheckAgencyScope(caller, data->run_agency); !s.ok()) return s;
    return absl::FailedPreconditionError(absl::StrCat("analysis run ", spec.analysis_run_id,
                                                      " belongs to agency ", data->run_agency,
                                                      ", not ", spec.agency_code));
  }
  data->preferences = std::move(preferences);

  auto built = BuildPlanInput(*data, policy, spec.revision_rules);
  if (!built.ok()) return built.status();
  if (auto v = planner::ValidateInput(built->input); !v.empty()) {
    return errors::InvalidArgument(RequestViolations(v, *built));
  }
  progress("solve", "menghitung rencana optimal",
           static_cast<int64_t>(built->input.candidates.size()), 0);
  auto result = planner::Solve(built->input);
  if (!result.ok()) return result.status();
  const planner::SolveStats& stats = result->stats;
  log::Info("plan_solved", {{"agency", spec.agency_code},
                            {"candidates", static_cast<int64_t>(built->input.candidates.size())},
                            {"classes", stats.classes},
                            {"parts", stats.parts},
                            {"arcs", stats.arcs},
                            {"moves", static_cast<int64_t>(result->moves.size())},
                            {"total_ms", stats.milliseconds},
                            {"prepare_ms", stats.prepare_ms},
                            {"build_ms", stats.build_ms},
                            {"flow_ms", stats.flow_ms},
                            {"assign_ms", stats.assign_ms},
                            {"diagnose_ms", stats.diagnose_ms}});

  const std::string plan_id = NewId("p");
  DescribedPlan described = DescribePlan(*built, *data, policy, *result, plan_id);
  progress("store", "menyimpan rencana", static_cast<int64_t>(described.moves.size()),
           static_cast<int64_t>(described.moves.size()));

  PlanRecord rec;
  rec.version = 1;
  rec.summary = described.summary;
  auto& s = rec.summary;
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
  s.set_staffing_digest(data->staffing_digest);
  s.set_create_time_ms(db::NowUnixMillis());
  s.set_created_by(caller.claims.subject);
  s.set_etag("1");

  // A caller that gave up gets nothing stored in its name (its retry recomputes).
  if (std::chrono::system_clock::now() >= deadline) {
    return absl::DeadlineExceededError("the caller's deadline passed before the plan was stored");
  }
  v1::PlanSummary answer;
  absl::Status st = Idempotent<v1::PlanSummary>(
      pool_, key, &answer, [&](db::Connection& c, v1::PlanSummary* out) -> absl::Status {
        if (!spec.parent_plan_id.empty()) {
          auto parent = Repository::GetPlan(c, spec.parent_plan_id);
          if (!parent.ok()) return parent.status();
          auto next = NextState(spec.parent_plan_id, parent->summary.state(), PlanAction::kRevise);
          if (!next.ok()) return next.status();
          PlanRecord p = *parent;
          p.summary.set_state(*next);
          auto u = Repository::UpdatePlan(c, p, spec.parent_version);
          if (!u.ok()) return u.status();
        }
        if (absl::Status x = Repository::InsertPlan(c, rec); !x.ok()) return x;
        if (absl::Status x = Repository::InsertMoves(c, plan_id, described.moves); !x.ok()) {
          return x;
        }
        if (absl::Status x = Repository::InsertUnfilled(c, plan_id, described.unfilled); !x.ok()) {
          return x;
        }
        if (absl::Status x =
                Repository::InsertAudit(c, Audit(caller, method, plan_id, key.request_id,
                                                 spec.incoming_request_id, spec.agency_code));
            !x.ok()) {
          return x;
        }
        *out = rec.summary;
        return absl::OkStatus();
      });
  if (!st.ok()) return st;
  gauges_.Refresh(pool_);
  return answer;
}

grpc::Status TransferService::CreatePlan(Ctx* ctx, const v1::CreatePlanRequest* req,
                                         grpc::ServerWriter<v1::CreatePlanResponse>* writer) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  errors::ValidationErrors errs;
  if (req->agency_code().empty()) errs.Add("agency_code", "is required");
  if (req->analysis_run_id().empty()) errs.Add("analysis_run_id", "is required");
  if (req->policy_id().empty()) errs.Add("policy_id", "is required");
  if (!domain::IsValidDate(ToDomain(req->effective_date()))) {
    errs.Add("effective_date", "is required and must be a valid date");
  }
  if (req->label().size() > 200) errs.Add("label", "at most 200 characters");
  if (absl::Status s = errs.ToStatus(); !s.ok()) return G(s);
  if (absl::Status s = auth::CheckAgencyScope(*caller, req->agency_code()); !s.ok()) return G(s);
  PlanSpec spec;
  spec.agency_code = req->agency_code();
  spec.analysis_run_id = req->analysis_run_id();
  spec.policy_id = req->policy_id();
  spec.effective_date = req->effective_date();
  spec.label = req->label();
  spec.incoming_request_id = In(ctx);
  auto key = idempotency::KeyFor(*caller, M("CreatePlan"), *req);
  if (!key.ok()) return G(key.status());
  auto summary = ComputeAndStore(
      *caller, M("CreatePlan"), *key, spec,
      [&](const cpb::Progress& p) {
        v1::CreatePlanResponse r;
        *r.mutable_progress() = p;
        writer->Write(r);
      },
      ctx->deadline());
  // The planner's network and inputs (hundreds of MB at city scale) are freed by now.
  server::ReleaseFreeMemory();
  if (!summary.ok()) return G(summary.status());
  v1::CreatePlanResponse last;
  *last.mutable_plan() = *std::move(summary);
  writer->Write(last);
  return grpc::Status::OK;
}

grpc::Status TransferService::RevisePlan(Ctx* ctx, const v1::RevisePlanRequest* req,
                                         grpc::ServerWriter<v1::RevisePlanResponse>* writer) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto parent = LoadPlanInScope(*caller, req->plan_id());
  if (!parent.ok()) return G(parent.status());
  if (auto next = NextState(req->plan_id(), parent->summary.state(), PlanAction::kRevise);
      !next.ok()) {
    return G(next.status());
  }
  PlanSpec spec;
  const auto& ps = parent->summary;
  spec.agency_code = ps.agency_code();
  spec.analysis_run_id = ps.analysis_run_id();
  spec.policy_id = ps.policy_id();
  spec.policy_version = ps.policy_version();
  spec.effective_date = ps.effective_date();
  spec.label = req->label().empty() ? ps.label() : req->label();
  spec.revision = ps.revision() + 1;
  spec.parent_plan_id = ps.id();
  spec.parent_version = parent->version;
  spec.incoming_request_id = In(ctx);
  {
    auto conn = pool_.Acquire();
    if (!conn.ok()) return G(conn.status());
    // Accepted objections forbid their move; the parent's other moves are pinned.
    std::set<std::string> objected;
    std::string token;
    do {
      auto page = Repository::ListObjections(conn->get(), ps.id(), v1::OBJECTION_STATE_ACCEPTED,
                                             paging::kMaxPageSize, token,
                                             PageQueryOf("RevisePlan", *caller));
      if (!page.ok()) return G(page.status());
      for (const auto& o : page->items) objected.insert(o.move_id());
      token = page->next_page_token;
    } while (!token.empty());
    std::string after;
    while (true) {
      auto moves = Repository::MovesAfter(conn->get(), ps.id(), after, 1000);
      if (!moves.ok()) return G(moves.status());
      if (moves->empty()) break;
      for (const auto& e : *moves) {
        const auto& m = e.move();
        if (objected.count(m.id())) {
          v1::ForbiddenMove f;
          f.set_nip(m.nip());
          f.set_to_unit_id(m.to_unit_id());
          f.set_to_position_code(m.to_position_code());
          spec.revision_rules.forbidden.push_back(f);
        } else {
          v1::PinnedMove p;
          p.set_nip(m.nip());
          p.set_to_unit_id(m.to_unit_id());
          p.set_to_position_code(m.to_position_code());
          spec.revision_rules.pinned.push_back(p);
        }
      }
      after = moves->back().move().id();
    }
  }
  auto key = idempotency::KeyFor(*caller, M("RevisePlan"), *req);
  if (!key.ok()) return G(key.status());
  auto summary = ComputeAndStore(
      *caller, M("RevisePlan"), *key, spec,
      [&](const cpb::Progress& p) {
        v1::RevisePlanResponse r;
        *r.mutable_progress() = p;
        writer->Write(r);
      },
      ctx->deadline());
  // The planner's network and inputs (hundreds of MB at city scale) are freed by now.
  server::ReleaseFreeMemory();
  if (!summary.ok()) return G(summary.status());
  v1::RevisePlanResponse last;
  *last.mutable_plan() = *std::move(summary);
  writer->Write(last);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- reads

absl::StatusOr<PlanRecord> TransferService::LoadPlanInScope(const auth::Caller& caller,
                                                            const std::string& plan_id) {
  if (plan_id.empty()) return errors::InvalidArgument({{"plan_id", "is required"}});
  auto conn = pool_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rec = Repository::GetPlan(conn->get(), plan_id);
  if (!rec.ok()) return rec.status();
  if (!IsEmployee(caller)) {
    if (absl::Status s = auth::CheckAgencyScope(caller, rec->summary.agency_code()); !s.ok()) {
      return s;
    }
  }
  return rec;
}

grpc::Status TransferService::GetPlan(Ctx* ctx, const v1::GetPlanRequest* req,
                                      v1::GetPlanResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto unfilled = Repository::ListUnfilled(conn->get(), req->plan_id());
  if (!unfilled.ok()) return G(unfilled.status());
  *resp->mutable_plan() = rec->summary;
  for (auto& u : *unfilled) *resp->add_unfilled() = std::move(u);
  return grpc::Status::OK;
}

grpc::Status TransferService::ListPlans(Ctx* ctx, const v1::ListPlansRequest* req,
                                        v1::ListPlansResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  std::string agency = req->agency_code();
  if (agency.empty()) agency = caller->claims.agency;
  if (absl::Status s = auth::CheckAgencyScope(*caller, agency); !s.ok()) return G(s);
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListPlans(conn->get(), agency, req->state(), *size,
                                    req->page().page_token(), PageQueryOf("ListPlans", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& p : page->items) *resp->add_plans() = std::move(p);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

grpc::Status TransferService::ListMoves(Ctx* ctx, const v1::ListMovesRequest* req,
                                        v1::ListMovesResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListMoves(
      conn->get(), req->plan_id(), {req->unit_id(), req->job_family(), req->by_importance()}, *size,
      req->page().page_token(), PageQueryOf("ListMoves", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& m : page->items) *resp->add_moves() = std::move(m);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

grpc::Status TransferService::ExplainMove(Ctx* ctx, const v1::ExplainMoveRequest* req,
                                          v1::ExplainMoveResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto e = Repository::GetMove(conn->get(), req->plan_id(), req->move_id());
  if (!e.ok()) return G(e.status());
  if (IsEmployee(*caller) && e->move().nip() != caller->claims.nip) {
    return G(absl::PermissionDeniedError("an employee may see only their own moves"));
  }
  *resp = *std::move(e);
  return grpc::Status::OK;
}

grpc::Status TransferService::ComparePlans(Ctx* ctx, const v1::ComparePlansRequest* req,
                                           v1::ComparePlansResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto base = LoadPlanInScope(*caller, req->base_plan_id());
  if (!base.ok()) return G(base.status());
  auto other = LoadPlanInScope(*caller, req->other_plan_id());
  if (!other.ok()) return G(other.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  using Key = std::tuple<std::string, int64_t, std::string>;
  auto load = [&](const std::string& id) -> absl::StatusOr<std::map<Key, v1::Move>> {
    std::map<Key, v1::Move> out;
    std::string after;
    while (true) {
      auto moves = Repository::MovesAfter(conn->get(), id, after, 1000);
      if (!moves.ok()) return moves.status();
      if (moves->empty()) break;
      for (const auto& e : *moves) {
        const auto& m = e.move();
        out[{m.nip(), m.to_unit_id(), m.to_position_code()}] = m;
      }
      after = moves->back().move().id();
    }
    return out;
  };
  auto a = load(req->base_plan_id());
  if (!a.ok()) return G(a.status());
  auto b = load(req->other_plan_id());
  if (!b.ok()) return G(b.status());
  int unchanged = 0;
  for (const auto& [k, m] : *b) {
    if (a->count(k)) {
      ++unchanged;
    } else {
      *resp->add_added() = m;
    }
  }
  for (const auto& [k, m] : *a) {
    if (!b->count(k)) *resp->add_removed() = m;
  }
  resp->set_unchanged(unchanged);
  *resp->mutable_base() = base->summary;
  *resp->mutable_other() = other->summary;
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- lifecycle

absl::StatusOr<v1::PlanSummary> TransferService::Transition(
    Ctx* ctx, const std::string& method, const std::string& plan_id, const std::string& etag,
    const google::protobuf::Message& request, PlanAction action) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return caller.status();
  auto key = idempotency::KeyFor(*caller, method, request);
  if (!key.ok()) return key.status();
  const std::string& request_id = key->request_id;
  auto rec = LoadPlanInScope(*caller, plan_id);
  if (!rec.ok()) return rec.status();
  if (action == PlanAction::kApprove) {
    // Staleness is checked before the transaction: it is a remote call.
    auto state = NextState(plan_id, rec->summary.state(), action);
    if (!state.ok()) return state.status();
    auto digest = downstream_.CurrentDigestOfRun(rec->summary.analysis_run_id());
    if (!digest.ok()) return digest.status();
    if (*digest != rec->summary.staffing_digest()) {
      return absl::FailedPreconditionError("staffing changed since the plan was computed: re-plan");
    }
  }
  v1::PlanSummary out;
  absl::Status s = Idempotent<v1::PlanSummary>(
      pool_, *key, &out, [&](db::Connection& c, v1::PlanSummary* answer) -> absl::Status {
        auto cur = Repository::GetPlan(c, plan_id);
        if (!cur.ok()) return cur.status();
        if (absl::Status e = CheckEtag(plan_id, cur->summary.etag(), etag); !e.ok()) return e;
        auto next = NextState(plan_id, cur->summary.state(), action);
        if (!next.ok()) return next.status();
        PlanRecord p = *cur;
        p.summary.set_state(*next);
        if (action == PlanAction::kSubmit) p.submit_time_ms = db::NowUnixMillis();
        auto u = Repository::UpdatePlan(c, p, cur->version);
        if (!u.ok()) return u.status();
        if (absl::Status a = Repository::InsertAudit(
                c, Audit(*caller, method, plan_id, request_id, In(ctx), p.summary.agency_code()));
            !a.ok()) {
          return a;
        }
        *answer = u->summary;
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  gauges_.Refresh(pool_);
  return out;
}

namespace {
// The four lifecycle RPCs differ only in their action and method name.
template <typename Request, typename Response, typename TransitionFn>
grpc::Status LifecycleRpc(const Request& req, Response* resp, TransitionFn&& transition) {
  auto plan = transition(req.plan_id(), req.etag(), req);
  if (!plan.ok()) return G(plan.status());
  *resp->mutable_plan() = *std::move(plan);
  return grpc::Status::OK;
}
}  // namespace

grpc::Status TransferService::SubmitPlan(Ctx* ctx, const v1::SubmitPlanRequest* req,
                                         v1::SubmitPlanResponse* resp) {
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return Transition(ctx, M("SubmitPlan"), a..., PlanAction::kSubmit);
  });
}

grpc::Status TransferService::ApprovePlan(Ctx* ctx, const v1::ApprovePlanRequest* req,
                                          v1::ApprovePlanResponse* resp) {
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return Transition(ctx, M("ApprovePlan"), a..., PlanAction::kApprove);
  });
}

grpc::Status TransferService::RejectPlan(Ctx* ctx, const v1::RejectPlanRequest* req,
                                         v1::RejectPlanResponse* resp) {
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return Transition(ctx, M("RejectPlan"), a..., PlanAction::kReject);
  });
}

grpc::Status TransferService::CancelPlan(Ctx* ctx, const v1::CancelPlanRequest* req,
                                         v1::CancelPlanResponse* resp) {
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return Transition(ctx, M("CancelPlan"), a..., PlanAction::kCancel);
  });
}

// ---------------------------------------------------------------- objections

grpc::Status TransferService::FileObjection(Ctx* ctx, const v1::FileObjectionRequest* req,
                                            v1::FileObjectionResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  errors::ValidationErrors errs;
  if (req->plan_id().empty()) errs.Add("plan_id", "is required");
  if (req->move_id().empty()) errs.Add("move_id", "is required");
  if (req->reason().empty() || req->reason().size() > 2000) {
    errs.Add("reason", "must be 1-2000 characters");
  }
  if (absl::Status s = errs.ToStatus(); !s.ok()) return G(s);
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  const std::string method = M("FileObjection");
  return G(Idempotent<v1::FileObjectionResponse>(
      pool_, idempotency::KeyFor(*caller, method, *req), resp,
      [&](db::Connection& c, v1::FileObjectionResponse* out) -> absl::Status {
        auto move = Repository::GetMove(c, req->plan_id(), req->move_id());
        if (!move.ok()) return move.status();
        if (IsEmployee(*caller) && move->move().nip() != caller->claims.nip) {
          return absl::PermissionDeniedError("an employee may object only to a move of their own");
        }
        auto plan = Repository::GetPlan(c, req->plan_id());
        if (!plan.ok()) return plan.status();
        auto policy =
            Repository::GetPolicy(c, plan->summary.policy_id(), plan->summary.policy_version());
        if (!policy.ok()) return policy.status();
        const int window = EffectivePolicy(*policy).rules().objection_window_days();
        if (absl::Status w =
                CheckObjectionWindow(req->plan_id(), plan->summary.state(), plan->submit_time_ms,
                                     window, db::NowUnixMillis());
            !w.ok()) {
          return w;
        }
        ObjectionRecord o;
        o.agency_code = plan->summary.agency_code();
        auto& ob = o.objection;
        ob.set_id(NewId("o"));
        ob.set_plan_id(req->plan_id());
        ob.set_move_id(req->move_id());
        ob.set_nip(move->move().nip());
        ob.set_reason(req->reason());
        ob.set_state(v1::OBJECTION_STATE_OPEN);
        ob.set_filed_by(caller->claims.subject);
        ob.set_file_time_ms(db::NowUnixMillis());
        if (absl::Status x = Repository::InsertObjection(c, o); !x.ok()) return x;
        if (absl::Status x = Repository::InsertAudit(
                c, Audit(*caller, method, absl::StrCat(req->plan_id(), "/", req->move_id()),
                         req->request_id(), In(ctx), o.agency_code));
            !x.ok()) {
          return x;
        }
        *out->mutable_objection() = ob;
        return absl::OkStatus();
      }));
}

grpc::Status TransferService::ResolveObjection(Ctx* ctx, const v1::ResolveObjectionRequest* req,
                                               v1::ResolveObjectionResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  if (req->objection_id().empty()) {
    return G(errors::InvalidArgument({{"objection_id", "is required"}}));
  }
  const std::string method = M("ResolveObjection");
  return G(Idempotent<v1::ResolveObjectionResponse>(
      pool_, idempotency::KeyFor(*caller, method, *req), resp,
      [&](db::Connection& c, v1::ResolveObjectionResponse* out) -> absl::Status {
        auto o = Repository::GetObjection(c, req->objection_id());
        if (!o.ok()) return o.status();
        if (absl::Status s = auth::CheckAgencyScope(*caller, o->agency_code); !s.ok()) return s;
        if (o->objection.state() != v1::OBJECTION_STATE_OPEN) {
          return absl::FailedPreconditionError(
              absl::StrCat("objection ", req->objection_id(), " is already resolved"));
        }
        v1::Objection ob = o->objection;
        ob.set_state(req->accept() ? v1::OBJECTION_STATE_ACCEPTED : v1::OBJECTION_STATE_REJECTED);
        ob.set_resolution_note(req->note());
        ob.set_resolved_by(caller->claims.subject);
        ob.set_resolve_time_ms(db::NowUnixMillis());
        if (absl::Status x = Repository::UpdateObjection(c, ob); !x.ok()) return x;
        if (absl::Status x = Repository::InsertAudit(
                c, Audit(*caller, method, ob.id(), req->request_id(), In(ctx), o->agency_code));
            !x.ok()) {
          return x;
        }
        *out->mutable_objection() = std::move(ob);
        return absl::OkStatus();
      }));
}

grpc::Status TransferService::ListObjections(Ctx* ctx, const v1::ListObjectionsRequest* req,
                                             v1::ListObjectionsResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page =
      Repository::ListObjections(conn->get(), req->plan_id(), req->state(), *size,
                                 req->page().page_token(), PageQueryOf("ListObjections", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& o : page->items) *resp->add_objections() = std::move(o);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- execution

absl::StatusOr<v1::Execution> TransferService::ExecutionOf(db::Connection& c,
                                                           const PlanRecord& plan) {
  v1::Execution e;
  e.set_plan_id(plan.summary.id());
  e.set_plan_state(plan.summary.state());
  auto counts = Repository::CountMoveStates(c, plan.summary.id());
  if (!counts.ok()) return counts.status();
  e.set_total(counts->total);
  e.set_applied(counts->applied);
  e.set_stale(counts->stale);
  e.set_failed(counts->failed);
  e.set_pending(counts->pending);
  auto rec = Repository::GetExecution(c, plan.summary.id());
  if (!rec.ok()) return rec.status();
  if (rec->has_value()) {
    e.set_batches_done((*rec)->batches_done);
    e.set_start_time_ms((*rec)->start_time_ms);
    e.set_finish_time_ms((*rec)->finish_time_ms);
    e.set_last_error((*rec)->last_error);
  }
  return e;
}

grpc::Status TransferService::ExecutePlan(Ctx* ctx, const v1::ExecutePlanRequest* req,
                                          v1::ExecutePlanResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  const std::string method = M("ExecutePlan");
  // Not stored under request_id: a replay must show current progress, and
  // starting or resuming is idempotent by itself.
  absl::Status s = db::WithTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto cur = Repository::GetPlan(c, req->plan_id());
    if (!cur.ok()) return cur.status();
    auto next = NextState(req->plan_id(), cur->summary.state(), PlanAction::kExecute);
    if (!next.ok()) return next.status();
    if (cur->summary.state() == v1::PLAN_STATE_APPROVED) {
      PlanRecord p = *cur;
      p.summary.set_state(*next);
      auto u = Repository::UpdatePlan(c, p, cur->version);
      if (!u.ok()) return u.status();
      ExecutionRecord e;
      e.plan_id = req->plan_id();
      e.agency_code = cur->summary.agency_code();
      e.start_time_ms = db::NowUnixMillis();
      if (absl::Status x = Repository::InsertExecution(c, e); !x.ok()) return x;
      if (absl::Status x = Repository::InsertAudit(
              c, Audit(*caller, method, req->plan_id(), req->request_id(), In(ctx), e.agency_code));
          !x.ok()) {
        return x;
      }
      *cur = *u;
    }
    auto e = ExecutionOf(c, *cur);
    if (!e.ok()) return e.status();
    *resp->mutable_execution() = *std::move(e);
    return absl::OkStatus();
  });
  if (!s.ok()) return G(s);
  executor_.Start(req->plan_id());
  gauges_.Refresh(pool_);
  return grpc::Status::OK;
}

grpc::Status TransferService::GetExecution(Ctx* ctx, const v1::GetExecutionRequest* req,
                                           v1::GetExecutionResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto e = ExecutionOf(conn->get(), *rec);
  if (!e.ok()) return G(e.status());
  *resp->mutable_execution() = *std::move(e);
  auto page =
      Repository::ListMoveExecutions(conn->get(), req->plan_id(), *size, req->page().page_token(),
                                     PageQueryOf("GetExecution", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& m : page->items) *resp->add_moves() = std::move(m);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(resp->execution().total());
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- export, audit

grpc::Status TransferService::ExportPlan(Ctx* ctx, const v1::ExportPlanRequest* req,
                                         grpc::ServerWriter<v1::ExportPlanResponse>* writer) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  if (req->format() == v1::EXPORT_FORMAT_UNSPECIFIED) {
    return G(errors::InvalidArgument({{"format", "is required"}}));
  }
  if (!v1::ExportFormat_IsValid(req->format())) {
    return G(errors::InvalidArgument(
        {{"format", absl::StrCat("unknown export format ", static_cast<int>(req->format()),
                                 "; use EXPORT_FORMAT_CSV or EXPORT_FORMAT_DECREE_DRAFTS")}}));
  }
  auto rec = LoadPlanInScope(*caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  if (req->format() == v1::EXPORT_FORMAT_CSV) {
    v1::ExportPlanResponse h;
    h.set_text(CsvHeader());
    writer->Write(h);
  }
  std::string after;
  while (!ctx->IsCancelled()) {
    std::vector<v1::ExplainMoveResponse> moves;
    {
      // One connection per page, so a slow reader never pins the pool.
      auto conn = pool_.Acquire();
      if (!conn.ok()) return G(conn.status());
      auto page = Repository::MovesAfter(conn->get(), req->plan_id(), after, 500);
      if (!page.ok()) return G(page.status());
      moves = *std::move(page);
    }
    if (moves.empty()) break;
    for (const auto& e : moves) {
      v1::ExportPlanResponse r;
      r.set_move_id(e.move().id());
      r.set_text(req->format() == v1::EXPORT_FORMAT_CSV ? CsvLine(e.move())
                                                        : DecreeDraft(e.move(), rec->summary));
      if (!writer->Write(r)) return grpc::Status::CANCELLED;
    }
    after = moves.back().move().id();
  }
  return grpc::Status::OK;
}

grpc::Status TransferService::ListAuditEvents(Ctx* ctx, const v1::ListAuditEventsRequest* req,
                                              v1::ListAuditEventsResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListAudit(conn->get(), req->method(), *size, req->page().page_token(),
                                    PageQueryOf("ListAuditEvents", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& e : page->items) *resp->add_events() = std::move(e);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

}  // namespace seimbang::transfer
