#include "services/transfer/plan_input.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/domain/rank.h"
#include "common/errors/errors.h"
#include "common/proto_convert/date.h"
#include "services/transfer/planner/explain.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::transfer {
namespace {

bool Known(const common::v1::LatLng& p) { return p.latitude() != 0 || p.longitude() != 0; }

// A status date (bond, leave) still running on the effective date.
bool Until(const common::v1::Date& d, const domain::Date& on) {
  if (d.year() == 0) return false;
  return proto_convert::ToDomain(d) >= on;
}

planner::Weights ToWeights(const v1::CostWeights& w) {
  planner::Weights out;
  out.base_per_move = w.base_per_move();
  out.per_km = w.per_km();
  out.preferred_bonus = w.preferred_bonus();
  out.avoided_penalty = w.avoided_penalty();
  out.rotation_bonus = w.rotation_bonus();
  out.rotation_months = 60;  // "past 60 months in post" (transfer.proto)
  out.under_base = w.under_need_penalty();
  out.over_base = w.over_need_penalty();
  return out;
}

}  // namespace

int RankOrdinal(const std::string& rank) {
  if (rank.empty()) return 0;
  auto r = domain::ParseRank(rank);
  return r.ok() ? r->ordinal : 0;
}

int EducationOrdinal(int level) {
  return level == ppb::EDUCATION_LEVEL_D4 ? ppb::EDUCATION_LEVEL_S1 : level;
}

std::optional<planner::RankScale> RankScaleOf(const std::string& rank) {
  if (rank.empty()) return std::nullopt;
  auto r = domain::ParseRank(rank);
  if (!r.ok()) return std::nullopt;
  return r->kind == domain::RankKind::kPppk ? planner::RankScale::kPppk : planner::RankScale::kPns;
}

int PositionLevel(const ppb::Position& position) {
  switch (position.kind()) {
    case ppb::POSITION_KIND_UNSPECIFIED:
      return 0;
    case ppb::POSITION_KIND_FUNCTIONAL_EXPERTISE:
    case ppb::POSITION_KIND_FUNCTIONAL_SKILL:
      return position.level() == ppb::FUNCTIONAL_LEVEL_UNSPECIFIED ||
                     position.level() == ppb::FUNCTIONAL_LEVEL_NONE
                 ? 0
                 : position.level();
    case ppb::POSITION_KIND_PELAKSANA:  // the class is the level: klerek, operator, teknisi
      return kNonFunctionalLevel + position.kind() +
             kPelaksanaClassStep * position.pelaksana_class();
    default:  // managerial posts: the kind is the level
      return kNonFunctionalLevel + position.kind();
  }
}

bool PoorPerformance(const ppb::Employee& e) {
  static const std::set<std::string> kBelowBaik = {"butuh_perbaikan", "kurang", "sangat_kurang"};
  const int years = std::min(2, e.performance_ratings_size());
  for (int y = 0; y < years; ++y) {
    if (kBelowBaik.count(e.performance_ratings(y))) return true;
  }
  return false;
}

namespace {

// One destination per row of the run (unit × position), with its position's rank band,
// education minimum and family and its unit's name and location.
void AddDestinations(const PlanningData& data, BuiltInput& b) {
  auto& in = b.input;
  for (const auto& row : data.rows) {
    planner::Destination d;
    d.unit_id = row.unit_id();
    d.position_code = row.position_code();
    d.agency_code = data.agency_code;
    d.job_family = row.job_family();
    auto pos = data.positions.find(row.position_code());
    std::string position_name = row.position_code();
    if (pos != data.positions.end()) {
      const ppb::Position& position = pos->second;
      if (d.job_family.empty()) d.job_family = position.job_family();
      d.min_rank = RankOrdinal(position.rank_min());
      d.max_rank = RankOrdinal(position.rank_max());
      d.rank_scale = RankScaleOf(position.rank_min())
                         .value_or(RankScaleOf(position.rank_max()).value_or(d.rank_scale));
      d.level = PositionLevel(position);
      d.min_education = EducationOrdinal(position.min_education());
      position_name = position.name();
    }
    d.staff_before = row.staff();
    d.need = row.required_headcount();
    d.ej_before = row.ej();
    std::string unit_name = absl::StrCat("unit ", row.unit_id());
    auto unit = data.units.find(row.unit_id());
    // A unit personnel does not list (or lists inactive) takes no placements: never a target.
    d.active = unit != data.units.end() && unit->second.active();
    if (unit != data.units.end()) {
      unit_name = unit->second.name();
      d.kecamatan = unit->second.kecamatan();
      if (Known(unit->second.location())) {
        d.lat = unit->second.location().latitude();
        d.lon = unit->second.location().longitude();
      }
    }
    d.display_name = absl::StrCat(unit_name, " - ", position_name);
    b.index[{d.unit_id, d.position_code}] = static_cast<int>(in.destinations.size());
    b.workload.push_back(row.workload_minutes());
    b.unit_names.push_back(unit_name);
    in.destinations.push_back(std::move(d));
  }
}

// One candidate per employee placed in a row of the run and not retired by the effective date.
void AddCandidates(const PlanningData& data, BuiltInput& b) {
  auto& in = b.input;
  for (const auto& s : data.employees) {
    const auto& e = s.employee();
    auto slot = b.index.find({e.unit_id(), e.position_code()});
    if (slot == b.index.end()) {
      ++b.skipped_outside_run;
      continue;
    }
    if (s.months_to_retirement() <= 0) {
      ++b.skipped_retired;
      continue;
    }
    planner::Candidate c;
    c.nip = e.nip();
    c.agency_code = data.agency_code;
    c.current = slot->second;
    c.job_family =
        s.job_family().empty() ? in.destinations[slot->second].job_family : s.job_family();
    c.rank = RankOrdinal(e.rank());
    c.rank_scale = RankScaleOf(e.rank()).value_or(e.employment_type() == ppb::EMPLOYMENT_TYPE_PPPK
                                                      ? planner::RankScale::kPppk
                                                      : planner::RankScale::kPns);
    c.level = in.destinations[slot->second].level;  // the jenjang of the post held
    c.position_code = e.position_code();
    c.education = EducationOrdinal(e.education_level());
    c.months_in_post = s.months_in_post();
    c.months_to_retirement = s.months_to_retirement();
    const auto& f = e.flags();
    c.flags.disciplinary = f.disciplinary_process();
    c.flags.judicial = f.judicial_process();
    c.flags.inspectorate_pending = f.inspectorate_pending();
    c.flags.poor_performance = PoorPerformance(e);
    c.flags.study_assignment = f.study_assignment();
    c.flags.service_bond = Until(f.service_bond_until(), data.effective_date);
    c.flags.on_leave = Until(f.leave_until(), data.effective_date);
    if (Known(e.home_location())) {
      c.home_lat = e.home_location().latitude();
      c.home_lon = e.home_location().longitude();
    }
    auto pref = data.preferences.find(e.nip());
    if (pref != data.preferences.end()) {
      c.preferred_units.assign(pref->second.preferred_unit_ids().begin(),
                               pref->second.preferred_unit_ids().end());
      c.avoided_units.assign(pref->second.avoided_unit_ids().begin(),
                             pref->second.avoided_unit_ids().end());
    }
    c.display_name = e.name();
    in.candidates.push_back(std::move(c));
  }
}

// The hard rules and weights of `policy` in the planner's terms (pins and forbids apart).
void SetRules(const v1::Policy& policy, planner::Policy& p) {
  const auto& r = policy.rules();
  p.min_months_in_post = r.min_months_in_post();
  p.exclude_within_months_of_retirement = r.exclude_within_months_of_retirement();
  p.exclude_disciplinary = !r.allow_disciplinary_process();
  p.exclude_judicial = !r.allow_judicial_process();
  p.exclude_inspectorate_pending = !r.allow_inspectorate_pending();
  p.exclude_poor_performance = !r.allow_poor_performance();
  p.exclude_study_assignment = !r.allow_study_assignment();
  p.exclude_service_bond = !r.allow_service_bond();
  p.exclude_on_leave = !r.allow_on_leave();
  p.require_rank_band = !r.ignore_rank_band();
  p.require_education = !r.ignore_min_education();
  p.same_family_only = !r.allow_any_family();
  for (const auto& fc : r.family_compatibility()) {
    p.family_compatibility[fc.family()].assign(fc.may_move_to().begin(), fc.may_move_to().end());
  }
  // A plan covers one agency (transfer.proto HardRules): same_agency_only stays true.
  p.max_leave_fraction = r.max_leave_fraction();
  p.never_below_need = !r.allow_below_need();
  p.allow_relief_moves = r.allow_relief_moves();
  p.allow_position_change = !r.forbid_position_change();
  if (r.move_budget() > 0) p.move_budget = r.move_budget();
  p.weights = ToWeights(policy.weights());
}

// The policy's and the revision's pinned and forbidden moves; INVALID_ARGUMENT for a pin of
// the policy outside the run.
absl::Status AddPinsAndForbids(const v1::Policy& policy, const RevisionRules& revision,
                               BuiltInput& b) {
  auto& in = b.input;
  const auto& r = policy.rules();
  planner::Policy& p = in.policy;
  errors::ValidationErrors errs;
  // A forbidden target outside the run can never be chosen anyway.
  auto add_forbidden = [&](const v1::ForbiddenMove& f, int origin) {
    if (f.to_unit_id() == 0) {
      p.forbidden.push_back({f.nip(), -1});
      b.forbidden_origin.push_back(origin);
      return;
    }
    for (const auto& [key, idx] : b.index) {
      if (key.first == f.to_unit_id() &&
          (f.to_position_code().empty() || key.second == f.to_position_code())) {
        p.forbidden.push_back({f.nip(), idx});
        b.forbidden_origin.push_back(origin);
      }
    }
  };
  for (int i = 0; i < r.forbidden_size(); ++i) add_forbidden(r.forbidden(i), i);
  for (const auto& f : revision.forbidden) add_forbidden(f, -1);

  std::set<std::string> pinned_nips;
  for (int i = 0; i < r.pinned_size(); ++i) {
    const auto& pm = r.pinned(i);
    auto it = b.index.find({pm.to_unit_id(), pm.to_position_code()});
    if (it == b.index.end()) {
      errs.Add(absl::StrCat("policy.rules.pinned[", i, "]"),
               absl::StrCat("unit ", pm.to_unit_id(), " position ", pm.to_position_code(),
                            " is not a row of the analysis run"));
      continue;
    }
    p.pinned.push_back({pm.nip(), it->second});
    b.pinned_origin.push_back(i);
    pinned_nips.insert(pm.nip());
  }
  // The parent's moves are pinned only while still feasible, so a revision
  // never fails because the world moved on; the rest is re-optimised.
  planner::ForbiddenSet forbidden(p.forbidden);
  std::map<std::string, int> candidate_of;
  for (size_t i = 0; i < in.candidates.size(); ++i) candidate_of[in.candidates[i].nip] = i;
  for (const auto& pm : revision.pinned) {
    if (pinned_nips.count(pm.nip())) continue;
    auto it = b.index.find({pm.to_unit_id(), pm.to_position_code()});
    auto ci = candidate_of.find(pm.nip());
    if (it == b.index.end() || ci == candidate_of.end()) continue;
    if (!planner::Eligible(in.candidates[ci->second], it->second, in.destinations, p, forbidden)) {
      continue;
    }
    p.pinned.push_back({pm.nip(), it->second});
    b.pinned_origin.push_back(-1);
    pinned_nips.insert(pm.nip());
  }
  if (p.move_budget && *p.move_budget < static_cast<int>(p.pinned.size())) {
    p.move_budget = static_cast<int>(p.pinned.size());
  }
  return errs.ToStatus();
}

}  // namespace

absl::StatusOr<BuiltInput> BuildPlanInput(const PlanningData& data, const v1::Policy& policy,
                                          const RevisionRules& revision) {
  BuiltInput b;
  AddDestinations(data, b);
  AddCandidates(data, b);
  SetRules(policy, b.input.policy);
  if (absl::Status s = AddPinsAndForbids(policy, revision, b); !s.ok()) return s;
  return b;
}

namespace {

// "policy.pinned[12].destination" -> {"policy.pinned", 12, ".destination"}; false otherwise.
bool SplitIndexed(const std::string& field, const std::string& list, size_t* index,
                  std::string* rest) {
  const std::string head = list + "[";
  if (field.rfind(head, 0) != 0) return false;
  const size_t close = field.find(']', head.size());
  if (close == std::string::npos) return false;
  size_t n = 0;
  for (size_t i = head.size(); i < close; ++i) {
    if (field[i] < '0' || field[i] > '9') return false;
    n = n * 10 + static_cast<size_t>(field[i] - '0');
  }
  *index = n;
  *rest = field.substr(close + 1);
  return true;
}

std::string ListEntry(const char* list, const std::vector<int>& origin, size_t index,
                      const std::string& rest) {
  if (index >= origin.size() || origin[index] < 0) return "plan_id";
  return absl::StrCat("policy.rules.", list, "[", origin[index], "]", rest == ".nip" ? rest : "");
}

}  // namespace

std::vector<errors::FieldViolation> RequestViolations(
    const std::vector<planner::FieldViolation>& violations, const BuiltInput& built) {
  static const std::map<std::string, std::string> kRenamed = {
      {"policy.weights.under_base", "policy.weights.under_need_penalty"},
      {"policy.weights.over_base", "policy.weights.over_need_penalty"},
      {"policy.max_leave_fraction", "policy.rules.max_leave_fraction"},
      {"policy.move_budget", "policy.rules.move_budget"}};
  std::vector<errors::FieldViolation> out;
  out.reserve(violations.size());
  for (const planner::FieldViolation& v : violations) {
    std::string field = v.field;
    size_t index = 0;
    std::string rest;
    if (auto it = kRenamed.find(field); it != kRenamed.end()) {
      field = it->second;
    } else if (SplitIndexed(field, "policy.pinned", &index, &rest)) {
      field = ListEntry("pinned", built.pinned_origin, index, rest);
    } else if (SplitIndexed(field, "policy.forbidden", &index, &rest)) {
      field = ListEntry("forbidden", built.forbidden_origin, index, rest);
    }
    out.push_back({std::move(field), v.description});
  }
  return out;
}

}  // namespace seimbang::transfer
