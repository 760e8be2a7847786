#include "services/transfer/policy_workflow.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/domain/nip.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/update_mask.h"
#include "services/transfer/permissions.h"
#include "services/transfer/repository.h"
#include "services/transfer/validation.h"

namespace seimbang::transfer {
namespace {

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
// spanning agencies (admin, service), is INVALID_ARGUMENT naming every such field: a plan covers
// one agency, whoever writes its policy (transfer.proto, HardRules). Calls to personnel:
// BatchGetEmployees per 1000 NIPs, one ListUnits of `agency`, then for the units not in it at
// most kMaxUnitLookups GetUnit or one ListUnits of every agency.
absl::Status CheckNamedIds(Downstream& downstream, const auth::Caller& caller,
                           const std::string& agency, const std::vector<NamedNip>& nips,
                           const std::vector<NamedUnit>& units) {
  errors::ValidationErrors errs;
  auto elsewhere = [&](const std::string& field, const std::string& what,
                       const std::string& of) -> absl::Status {
    if (absl::Status s = auth::CheckAgencyScope(caller, of); !s.ok()) {
      return absl::PermissionDeniedError(absl::StrCat(field, ": ", s.message()));
    }
    errs.Add(field, absl::StrCat(what, " is of agency ", of, ", not ", agency,
                                 " (a plan covers one agency)"));
    return absl::OkStatus();
  };
  if (!nips.empty()) {
    std::vector<std::string> distinct;
    std::set<std::string> seen;
    for (const NamedNip& n : nips) {
      if (seen.insert(n.nip).second) distinct.push_back(n.nip);
    }
    SEIMBANG_ASSIGN_OR_RETURN(auto of_nip, downstream.EmployeeAgencies(distinct));
    for (const NamedNip& n : nips) {
      const std::string what = absl::StrCat("employee ", domain::MaskNip(n.nip));
      auto it = of_nip.find(n.nip);
      if (it == of_nip.end()) {
        errs.Add(n.field, what + " not found in personnel");
      } else if (it->second != agency) {
        SEIMBANG_RETURN_IF_ERROR(elsewhere(n.field, what, it->second));
      }
    }
  }
  if (!units.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto listed, downstream.UnitAgencies(agency));
    std::set<int64_t> misses;
    for (const NamedUnit& u : units) {
      if (listed.count(u.id) == 0) misses.insert(u.id);
    }
    std::map<int64_t, absl::StatusOr<std::string>> of_unit;  // the misses' agencies
    if (misses.size() > kMaxUnitLookups) {
      SEIMBANG_ASSIGN_OR_RETURN(auto all, downstream.UnitAgencies(""));
      for (int64_t id : misses) {
        auto it = all.find(id);
        of_unit.emplace(id, it == all.end() ? absl::StatusOr<std::string>(absl::NotFoundError(""))
                                            : absl::StatusOr<std::string>(it->second));
      }
    }
    for (const NamedUnit& u : units) {
      if (listed.count(u.id) > 0) continue;
      auto it = of_unit.find(u.id);
      if (it == of_unit.end()) it = of_unit.emplace(u.id, downstream.UnitAgency(u.id)).first;
      const absl::StatusOr<std::string>& of = it->second;
      const std::string what = absl::StrCat("unit ", u.id);
      if (!of.ok()) {
        if (!absl::IsNotFound(of.status())) return of.status();
        errs.Add(u.field, what + " not found in personnel");
      } else if (*of != agency) {  // else created since the listing
        SEIMBANG_RETURN_IF_ERROR(elsewhere(u.field, what, *of));
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
  return CheckNamedIds(downstream, caller, policy.agency_code(), nips, units);
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
  return CheckNamedIds(downstream, caller, pref.agency_code(), {}, units);
}

// Issue 20: the pinned and forbidden moves that name their unit by Unit.external_id get its id
// (one round of calls to personnel), and the external id is dropped: the policy stores ids. Both
// set, or an external id without the policy's agency, is INVALID_ARGUMENT on the external id.
absl::Status ResolvePolicyUnits(Downstream& downstream, const auth::Caller& caller,
                                v1::Policy& policy) {
  v1::HardRules& r = *policy.mutable_rules();
  std::vector<NamedExternalUnit> named;
  std::vector<int64_t*> targets;
  errors::ValidationErrors errs;
  auto add = [&](auto& move, const std::string& field) {
    if (move.to_unit_external_id().empty()) return;
    if (move.to_unit_id() != 0) {
      errs.Add(field + ".to_unit_external_id", "set either to_unit_id or this, not both");
    }
    named.push_back({move.to_unit_external_id(), field + ".to_unit_external_id"});
  };
  for (int i = 0; i < r.pinned_size(); ++i) {
    add(r.pinned(i), absl::StrCat("policy.rules.pinned[", i, "]"));
  }
  for (int i = 0; i < r.forbidden_size(); ++i) {
    add(r.forbidden(i), absl::StrCat("policy.rules.forbidden[", i, "]"));
  }
  if (named.empty()) return absl::OkStatus();
  if (policy.agency_code().empty()) {
    errs.Add("policy.agency_code", "is required: unit external ids are per agency");
  }
  SEIMBANG_RETURN_IF_ERROR(errs.ToStatus());
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, policy.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto ids,
                            ResolveExternalUnits(downstream, policy.agency_code(), named));
  size_t next = 0;
  auto fill = [&](auto& move) {
    if (move.to_unit_external_id().empty()) return;
    move.set_to_unit_id(ids[next++]);
    move.clear_to_unit_external_id();
  };
  for (auto& m : *r.mutable_pinned()) fill(m);
  for (auto& m : *r.mutable_forbidden()) fill(m);
  return absl::OkStatus();
}

// The same for a preference's preferred and avoided units, in their order.
absl::Status ResolvePreferenceUnits(Downstream& downstream, const auth::Caller& caller,
                                    v1::Preference& pref) {
  errors::ValidationErrors errs;
  std::vector<NamedExternalUnit> named;
  auto add = [&](const auto& external_ids, int ids, const std::string& field,
                 const std::string& id_field) {
    if (external_ids.empty()) return;
    if (ids > 0) errs.Add(field, absl::StrCat("set either ", id_field, " or this, not both"));
    if (external_ids.size() > 5) errs.Add(field, "at most 5 units");
    for (int i = 0; i < external_ids.size(); ++i) {
      named.push_back({external_ids.Get(i), absl::StrCat(field, "[", i, "]")});
    }
  };
  add(pref.preferred_unit_external_ids(), pref.preferred_unit_ids_size(),
      "preference.preferred_unit_external_ids", "preferred_unit_ids");
  add(pref.avoided_unit_external_ids(), pref.avoided_unit_ids_size(),
      "preference.avoided_unit_external_ids", "avoided_unit_ids");
  if (named.empty()) return absl::OkStatus();
  if (pref.agency_code().empty()) {
    errs.Add("preference.agency_code", "is required: unit external ids are per agency");
  }
  SEIMBANG_RETURN_IF_ERROR(errs.ToStatus());
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, pref.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto ids, ResolveExternalUnits(downstream, pref.agency_code(), named));
  const int preferred = pref.preferred_unit_external_ids_size();
  for (int i = 0; i < static_cast<int>(ids.size()); ++i) {
    if (i < preferred) {
      pref.add_preferred_unit_ids(ids[i]);
    } else {
      pref.add_avoided_unit_ids(ids[i]);
    }
  }
  pref.clear_preferred_unit_external_ids();
  pref.clear_avoided_unit_external_ids();
  return absl::OkStatus();
}

// The policy an UpdatePolicy request asks to store (AIP-134, common/proto_convert/update_mask.h):
// the request's own without update_mask (or with "*"), else the latest version with the masked
// fields of the request. INVALID_ARGUMENT on update_mask for an unknown or unchangeable path.
absl::StatusOr<v1::Policy> RequestedPolicy(Repository& repo, const auth::Caller& caller,
                                           const v1::UpdatePolicyRequest& req) {
  return proto_convert::ApplyUpdateMask(
      req.update_mask(), req.policy(), {"id", "agency_code", "version", "etag", "update_time_ms"},
      [&]() -> absl::StatusOr<v1::Policy> {
        if (req.policy().id().empty()) {
          return errors::InvalidArgument({{"policy.id", "is required"}});
        }
        SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
        SEIMBANG_ASSIGN_OR_RETURN(v1::Policy latest,
                                  Repository::GetPolicy(conn.get(), req.policy().id(), 0));
        SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, latest.agency_code()));
        return latest;
      });
}

// A policy to create or (`update`) to store as a new version: its units resolved, its fields
// valid, its agency in the caller's scope, its ids known.
absl::Status PreparePolicy(Downstream& downstream, const auth::Caller& caller, bool update,
                           v1::Policy& policy) {
  SEIMBANG_RETURN_IF_ERROR(ResolvePolicyUnits(downstream, caller, policy));
  SEIMBANG_RETURN_IF_ERROR(ValidatePolicy(policy, update));
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, policy.agency_code()));
  return CheckPolicyIds(downstream, caller, policy);
}

}  // namespace

absl::Status CreatePolicy(Repository& repo, Downstream& downstream, const Call& call,
                          const v1::CreatePolicyRequest& req, v1::CreatePolicyResponse* resp) {
  v1::Policy policy = req.policy();
  SEIMBANG_RETURN_IF_ERROR(PreparePolicy(downstream, call.caller, false, policy));
  const std::string method = MethodPath("CreatePolicy");
  return Idempotent<v1::CreatePolicyResponse>(
      repo, idempotency::KeyFor(call.caller, method, req), resp,
      [&](db::Connection& c, v1::CreatePolicyResponse* out) -> absl::Status {
        v1::Policy p = policy;
        p.set_id(NewId("pol-"));
        p.set_version(1);
        p.set_etag("1");
        p.set_update_time_ms(db::NowUnixMillis());
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertPolicy(c, p));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            c, server::AuditEventOf(call, method, p.id(), req.request_id(), p.agency_code())));
        *out->mutable_policy() = std::move(p);
        return absl::OkStatus();
      });
}

absl::Status UpdatePolicy(Repository& repo, Downstream& downstream, const Call& call,
                          const v1::UpdatePolicyRequest& req, v1::UpdatePolicyResponse* resp) {
  SEIMBANG_ASSIGN_OR_RETURN(v1::Policy policy, RequestedPolicy(repo, call.caller, req));
  SEIMBANG_RETURN_IF_ERROR(PreparePolicy(downstream, call.caller, true, policy));
  const std::string method = MethodPath("UpdatePolicy");
  return Idempotent<v1::UpdatePolicyResponse>(
      repo, idempotency::KeyFor(call.caller, method, req), resp,
      [&](db::Connection& c, v1::UpdatePolicyResponse* out) -> absl::Status {
        SEIMBANG_ASSIGN_OR_RETURN(auto latest, Repository::GetPolicy(c, policy.id(), 0));
        SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(call.caller, latest.agency_code()));
        if (latest.agency_code() != policy.agency_code()) {
          return errors::InvalidArgument({{"policy.agency_code", "cannot change"}});
        }
        if (latest.etag() != policy.etag()) {
          return absl::AbortedError(absl::StrCat("policy ", latest.id(), " has etag ",
                                                 latest.etag(), ", not ", policy.etag(),
                                                 "; reload it"));
        }
        v1::Policy p = policy;
        p.set_version(latest.version() + 1);
        p.set_etag(absl::StrCat(p.version()));
        p.set_update_time_ms(db::NowUnixMillis());
        if (absl::Status s = Repository::InsertPolicy(c, p); !s.ok()) {
          if (s.code() == absl::StatusCode::kAlreadyExists) {
            return absl::AbortedError(
                absl::StrCat("policy ", p.id(), " was changed by someone else; reload it"));
          }
          return s;
        }
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            c, server::AuditEventOf(call, method, p.id(), req.request_id(), p.agency_code())));
        *out->mutable_policy() = std::move(p);
        return absl::OkStatus();
      });
}

absl::Status SubmitPreferences(Repository& repo, Downstream& downstream, const Call& call,
                               const v1::SubmitPreferencesRequest& req,
                               v1::SubmitPreferencesResponse* resp) {
  v1::Preference pref = req.preference();
  SEIMBANG_RETURN_IF_ERROR(ResolvePreferenceUnits(downstream, call.caller, pref));
  SEIMBANG_RETURN_IF_ERROR(ValidatePreference(pref, domain::Today()));
  if (IsEmployee(call.caller) && call.caller.claims.nip != pref.nip()) {
    return absl::PermissionDeniedError("an employee may submit preferences only for themself");
  }
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(call.caller, pref.agency_code()));
  // Preferences are keyed by NIP: the NIP must be an employee of the preference's agency, or an
  // operator of one agency would overwrite another agency's employee's preference (issue 15
  // item 3). An employee of an agency the caller may not act on is PERMISSION_DENIED.
  {
    auto agency = downstream.EmployeeAgency(pref.nip());
    if (!agency.ok()) {
      if (absl::IsNotFound(agency.status())) {
        return absl::NotFoundError(
            absl::StrCat("employee ", domain::MaskNip(pref.nip()), " not found in personnel"));
      }
      return agency.status();
    }
    if (*agency != pref.agency_code()) {
      SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(call.caller, *agency));
      return errors::InvalidArgument(
          {{"preference.agency_code",
            absl::StrCat("employee ", domain::MaskNip(pref.nip()), " is of agency ", *agency)}});
    }
  }
  // So are the units it prefers or avoids (issue 15 item 3).
  SEIMBANG_RETURN_IF_ERROR(CheckPreferenceUnits(downstream, call.caller, pref));
  const std::string method = MethodPath("SubmitPreferences");
  return Idempotent<v1::SubmitPreferencesResponse>(
      repo, idempotency::KeyFor(call.caller, method, req), resp,
      [&](db::Connection& c, v1::SubmitPreferencesResponse* out) -> absl::Status {
        v1::Preference p = pref;
        p.set_update_time_ms(db::NowUnixMillis());
        SEIMBANG_RETURN_IF_ERROR(Repository::UpsertPreference(c, p));
        SEIMBANG_RETURN_IF_ERROR(
            Repository::InsertAudit(c, server::AuditEventOf(call, method, domain::MaskNip(p.nip()),
                                                            req.request_id(), p.agency_code())));
        *out->mutable_preference() = std::move(p);
        return absl::OkStatus();
      });
}

}  // namespace seimbang::transfer
