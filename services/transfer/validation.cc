#include "services/transfer/validation.h"

#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "common/domain/text.h"
#include "common/errors/errors.h"
#include "common/proto_convert/date.h"

namespace seimbang::transfer {

namespace {

bool IsNip(const std::string& s) { return domain::IsEmployeeNumberShape(s); }

void CheckMonths(errors::ValidationErrors& errs, const std::string& field, int v) {
  if (v < 0 || v > 120) errs.Add(field, "must be between 0 and 120 months");
}

// Also refuses NaN and the infinities.
void CheckWeight(errors::ValidationErrors& errs, const std::string& field, double v) {
  if (!(v >= 0 && v <= kMaxPolicyWeight)) errs.Add(field, "must be a number from 0 to 1000000");
}

// Each entry of a repeated field of at most `max` entries: check(entry, "<field>[i]"); when there
// are more, one violation that counts them instead.
template <typename Entries, typename Check>
void CheckEntries(errors::ValidationErrors& errs, const std::string& field, const Entries& entries,
                  int max, const char* noun, Check check) {
  if (entries.size() > max) {
    errs.Add(field, absl::StrCat("at most ", max, " ", noun, ", got ", entries.size()));
    return;
  }
  for (int i = 0; i < entries.size(); ++i) check(entries.Get(i), absl::StrCat(field, "[", i, "]"));
}

void CheckFamilyCompatibility(errors::ValidationErrors& errs, const v1::HardRules& r) {
  std::set<std::string> families;
  auto check = [&](const auto& fc, const std::string& field) {
    if (fc.family().empty()) errs.Add(field + ".family", "is required");
    if (!families.insert(fc.family()).second) errs.Add(field + ".family", "appears twice");
    if (fc.may_move_to_size() > kMaxFamilyCompatibility) {
      errs.Add(field + ".may_move_to",
               absl::StrCat("at most 200 families, got ", fc.may_move_to_size()));
    }
  };
  CheckEntries(errs, "policy.rules.family_compatibility", r.family_compatibility(),
               kMaxFamilyCompatibility, "entries", check);
}

void CheckPinned(errors::ValidationErrors& errs, const v1::HardRules& r) {
  std::set<std::string> pinned_nips;
  auto check = [&](const auto& m, const std::string& field) {
    if (!IsNip(m.nip())) {
      errs.Add(field + ".nip", "must have 18 digits");
    } else if (!pinned_nips.insert(m.nip()).second) {
      errs.Add(field + ".nip", "is pinned twice");
    }
    if (m.to_unit_id() <= 0 || m.to_unit_id() > kMaxUnitId) {
      errs.Add(field + ".to_unit_id", "must be 1-9007199254740991");
    }
    if (m.to_position_code().empty()) errs.Add(field + ".to_position_code", "is required");
  };
  CheckEntries(errs, "policy.rules.pinned", r.pinned(), kMaxPinnedMoves, "moves", check);
}

void CheckForbidden(errors::ValidationErrors& errs, const v1::HardRules& r) {
  auto check = [&](const auto& m, const std::string& field) {
    if (!IsNip(m.nip())) errs.Add(field + ".nip", "must have 18 digits");
    if (m.to_unit_id() < 0 || m.to_unit_id() > kMaxUnitId) {
      errs.Add(field + ".to_unit_id", "must be 0-9007199254740991");
    }
  };
  CheckEntries(errs, "policy.rules.forbidden", r.forbidden(), kMaxForbiddenMoves, "moves", check);
}

// Lengths are in characters (common/domain/text.h), as transfer.proto states them.
void CheckText(errors::ValidationErrors& errs, const std::string& field, const std::string& v,
               size_t max_chars) {
  if (domain::Utf8Length(v) > max_chars) {
    errs.Add(field, absl::StrCat("at most ", max_chars, " characters"));
  }
}

void CheckRequiredText(errors::ValidationErrors& errs, const std::string& field,
                       const std::string& v, size_t max_chars) {
  if (v.empty()) {
    errs.Add(field, "is required");
  } else {
    CheckText(errs, field, v, max_chars);
  }
}

// Ids the services issued (a plan's "p…", an objection's "o…", a policy's "pol-…", an analysis
// run's 32 hex digits): required, and never longer than kMaxIdChars, so an oversized id is a
// bad request, not a lookup.
void CheckId(errors::ValidationErrors& errs, const std::string& field, const std::string& id) {
  CheckRequiredText(errs, field, id, kMaxIdChars);
}

void CheckSigningOfficial(errors::ValidationErrors& errs, const v1::SigningOfficial& o) {
  CheckText(errs, "policy.signing_official.name", o.name(), 200);
  CheckText(errs, "policy.signing_official.title", o.title(), 200);
  CheckText(errs, "policy.signing_official.rank", o.rank(), 100);
  if (!o.nip().empty() && !IsNip(o.nip())) {
    errs.Add("policy.signing_official.nip", "must be empty or have 18 digits");
  }
}

void CheckWeights(errors::ValidationErrors& errs, const v1::CostWeights& w) {
  CheckWeight(errs, "policy.weights.base_per_move", w.base_per_move());
  CheckWeight(errs, "policy.weights.per_km", w.per_km());
  CheckWeight(errs, "policy.weights.preferred_bonus", w.preferred_bonus());
  CheckWeight(errs, "policy.weights.avoided_penalty", w.avoided_penalty());
  CheckWeight(errs, "policy.weights.rotation_bonus", w.rotation_bonus());
  CheckWeight(errs, "policy.weights.under_need_penalty", w.under_need_penalty());
  CheckWeight(errs, "policy.weights.over_need_penalty", w.over_need_penalty());
}

// A request that names one object by its id and carries an optional text.
absl::Status ValidateIdAndText(const std::string& id_field, const std::string& id,
                               const std::string& text_field, const std::string& text,
                               size_t max_chars) {
  errors::ValidationErrors errs;
  CheckId(errs, id_field, id);
  CheckText(errs, text_field, text, max_chars);
  return errs.ToStatus();
}

}  // namespace

absl::Status ValidatePolicy(const v1::Policy& p, bool update) {
  errors::ValidationErrors errs;
  if (update) {
    if (p.id().empty()) errs.Add("policy.id", "is required");
    if (p.etag().empty()) errs.Add("policy.etag", "is required");
  }
  if (p.agency_code().empty()) errs.Add("policy.agency_code", "is required");
  if (p.name().empty() || domain::Utf8Length(p.name()) > 200) {
    errs.Add("policy.name", "must be 1-200 characters");
  }
  const auto& r = p.rules();
  CheckMonths(errs, "policy.rules.min_months_in_post", r.min_months_in_post());
  CheckMonths(errs, "policy.rules.exclude_within_months_of_retirement",
              r.exclude_within_months_of_retirement());
  if (!std::isfinite(r.max_leave_fraction()) || r.max_leave_fraction() < 0 ||
      r.max_leave_fraction() > 1) {
    errs.Add("policy.rules.max_leave_fraction", "must be between 0 and 1");
  }
  if (r.move_budget() < 0 || r.move_budget() > kMaxMoveBudget) {
    errs.Add("policy.rules.move_budget", "must be between 0 and 1000000");
  }
  if (r.objection_window_days() < 0 || r.objection_window_days() > 365) {
    errs.Add("policy.rules.objection_window_days", "must be between 0 and 365 working days");
  }
  if (r.public_holidays_size() > kMaxPublicHolidays) {
    errs.Add("policy.rules.public_holidays",
             absl::StrCat("at most ", kMaxPublicHolidays, " dates"));
  } else {
    for (int i = 0; i < r.public_holidays_size(); ++i) {
      if (!domain::IsValidDate(proto_convert::ToDomain(r.public_holidays(i)))) {
        errs.Add(absl::StrCat("policy.rules.public_holidays[", i, "]"), "is not a valid date");
      }
    }
  }
  // Lists longer than their limit are reported once, without checking their entries.
  CheckFamilyCompatibility(errs, r);
  CheckPinned(errs, r);
  CheckForbidden(errs, r);
  CheckWeights(errs, p.weights());
  CheckSigningOfficial(errs, p.signing_official());
  return errs.ToStatus();
}

absl::Status ValidatePreference(const v1::Preference& p, const domain::Date& today) {
  errors::ValidationErrors errs;
  if (!IsNip(p.nip())) errs.Add("preference.nip", "must have 18 digits");
  if (p.agency_code().empty()) errs.Add("preference.agency_code", "is required");
  if (p.preferred_unit_ids_size() > 5) {
    errs.Add("preference.preferred_unit_ids", "at most 5 units");
  }
  if (p.avoided_unit_ids_size() > 5) errs.Add("preference.avoided_unit_ids", "at most 5 units");
  std::set<int64_t> preferred(p.preferred_unit_ids().begin(), p.preferred_unit_ids().end());
  if (static_cast<int>(preferred.size()) != p.preferred_unit_ids_size()) {
    errs.Add("preference.preferred_unit_ids", "must not repeat a unit");
  }
  for (int64_t id : p.avoided_unit_ids()) {
    if (preferred.count(id)) {
      errs.Add("preference.avoided_unit_ids",
               absl::StrCat("unit ", id, " is both preferred and avoided"));
    }
  }
  for (int64_t id : p.preferred_unit_ids()) {
    if (id <= 0 || id > kMaxUnitId) {
      errs.Add("preference.preferred_unit_ids", "unit ids must be 1-9007199254740991");
      break;
    }
  }
  for (int64_t id : p.avoided_unit_ids()) {
    if (id <= 0 || id > kMaxUnitId) {
      errs.Add("preference.avoided_unit_ids", "unit ids must be 1-9007199254740991");
      break;
    }
  }
  CheckText(errs, "preference.reason", p.reason(), 1000);
  if (!p.has_valid_until()) {
    errs.Add("preference.valid_until", "is required");
  } else {
    const domain::Date d = proto_convert::ToDomain(p.valid_until());
    if (d.year < 1900 || d.year > 2200 || !domain::IsValidDate(d)) {
      errs.Add("preference.valid_until", "is not a valid date (years 1900-2200)");
    } else if (d < today) {
      errs.Add("preference.valid_until", "must not be in the past");
    }
  }
  return errs.ToStatus();
}

absl::Status ValidateCreatePlan(const v1::CreatePlanRequest& req) {
  errors::ValidationErrors errs;
  if (req.agency_code().empty()) errs.Add("agency_code", "is required");
  CheckId(errs, "analysis_run_id", req.analysis_run_id());
  CheckId(errs, "policy_id", req.policy_id());
  if (!domain::IsValidDate(proto_convert::ToDomain(req.effective_date()))) {
    errs.Add("effective_date", "is required and must be a valid date");
  }
  CheckText(errs, "label", req.label(), kMaxLabelChars);
  return errs.ToStatus();
}

absl::Status ValidateRevisePlan(const v1::RevisePlanRequest& req) {
  return ValidateIdAndText("plan_id", req.plan_id(), "label", req.label(), kMaxLabelChars);
}

absl::Status ValidateDecision(const std::string& plan_id, const std::string& note_field,
                              const std::string& note) {
  return ValidateIdAndText("plan_id", plan_id, note_field, note, kMaxNoteChars);
}

absl::Status ValidateFileObjection(const v1::FileObjectionRequest& req) {
  errors::ValidationErrors errs;
  CheckId(errs, "plan_id", req.plan_id());
  CheckId(errs, "move_id", req.move_id());
  if (req.reason().empty() || domain::Utf8Length(req.reason()) > kMaxNoteChars) {
    errs.Add("reason", "must be 1-2000 characters");
  }
  return errs.ToStatus();
}

absl::Status ValidateResolveObjection(const v1::ResolveObjectionRequest& req) {
  return ValidateIdAndText("objection_id", req.objection_id(), "note", req.note(), kMaxNoteChars);
}

absl::Status ValidateListMoves(const v1::ListMovesRequest& req) {
  errors::ValidationErrors errs;
  CheckId(errs, "plan_id", req.plan_id());
  if (req.unit_id() < 0 || req.unit_id() > kMaxUnitId) {
    errs.Add("unit_id", "must be a unit id (positive) or 0 for all");
  }
  if (!req.unit_external_id().empty()) {
    if (req.unit_id() != 0) errs.Add("unit_external_id", "set either unit_id or this, not both");
    CheckText(errs, "unit_external_id", req.unit_external_id(), kMaxIdChars);
  }
  CheckText(errs, "job_family", req.job_family(), kMaxIdChars);
  return errs.ToStatus();
}

absl::Status ValidateListPreferences(const v1::ListPreferencesRequest& req) {
  if (!req.nip().empty() && !IsNip(req.nip())) {
    return errors::InvalidArgument({{"nip", "must have 18 digits"}});
  }
  return absl::OkStatus();
}

}  // namespace seimbang::transfer
