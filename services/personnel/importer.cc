#include "services/personnel/importer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kOutsideScope[] = "outside caller's agency";
// Returned from a transaction body to roll back a dry run after counting.
constexpr char kDryRunMarker[] = "seimbang-import-dry-run";

bool IsDryRunMarker(const absl::Status& s) {
  return absl::IsCancelled(s) && s.message() == kDryRunMarker;
}

// A row-level rejection raised while applying: the row wrote nothing yet.
struct Rejection {
  std::string field;
  std::string reason;
};

}  // namespace

Importer::Importer(Repository& repo, ImportScope scope, AuditContext audit, domain::Date today,
                   bool dry_run)
    : repo_(repo),
      scope_(std::move(scope)),
      audit_(std::move(audit)),
      today_(today),
      dry_run_(dry_run) {}

std::string Importer::NaturalKey(const pv1::ImportRecordsRequest& r) {
  switch (r.record_case()) {
    case pv1::ImportRecordsRequest::kAgency:
      return r.agency().code();
    case pv1::ImportRecordsRequest::kUnit:
      return r.unit().id() > 0 ? absl::StrCat(r.unit().id()) : "";
    case pv1::ImportRecordsRequest::kPosition:
      return r.position().code();
    case pv1::ImportRecordsRequest::kEmployee:
      return domain::MaskNip(r.employee().nip());
    default:
      return "";
  }
}

void Importer::Reject(const Row& row, const std::string& field, const std::string& reason) {
  auto* e = summary_.add_errors();
  e->set_sequence(row.sequence);
  e->set_field(field);
  e->set_reason(reason);
  e->set_natural_key(NaturalKey(row.record));
  summary_.set_rejected(summary_.rejected() + 1);
}

Importer::~Importer() { Wait().IgnoreError(); }

absl::Status Importer::Wait() {
  if (!in_flight_.valid()) return absl::OkStatus();
  return in_flight_.get();
}

absl::Status Importer::Add(int64_t sequence, pv1::ImportRecordsRequest row) {
  ++received_;
  pending_.push_back(Row{sequence, std::move(row)});
  if (pending_.size() < kBatchSize) return absl::OkStatus();
  if (auto st = Wait(); !st.ok()) return st;
  std::vector<Row> batch = std::move(pending_);
  pending_.clear();
  pending_.reserve(kBatchSize);
  in_flight_ = std::async(std::launch::async,
                          [this, b = std::move(batch)]() mutable { return Flush(std::move(b)); });
  return absl::OkStatus();
}

absl::StatusOr<cv1::ImportSummary> Importer::Finish() {
  if (auto st = Wait(); !st.ok()) return st;
  std::vector<Row> rest = std::move(pending_);
  pending_.clear();
  if (auto st = Flush(std::move(rest)); !st.ok()) return st;
  summary_.set_received(received_);
  std::stable_sort(
      summary_.mutable_errors()->begin(), summary_.mutable_errors()->end(),
      [](const cv1::RowError& a, const cv1::RowError& b) { return a.sequence() < b.sequence(); });
  return summary_;
}

absl::Status Importer::Flush(std::vector<Row> batch) {
  // 1. Shape and scope, in memory.
  std::vector<Row*> valid;
  for (auto& row : batch) {
    Violations v;
    auto& r = row.record;
    std::string agency;
    switch (r.record_case()) {
      case pv1::ImportRecordsRequest::kAgency:
        v = ValidateAgency(r.agency(), "agency");
        agency = r.agency().code();
        break;
      case pv1::ImportRecordsRequest::kUnit:
        v = ValidateUnit(r.unit(), "unit");
        if (r.unit().id() <= 0) v.push_back({"unit.id", "is required in an import"});
        agency = r.unit().agency_code();
        break;
      case pv1::ImportRecordsRequest::kPosition:
        v = ValidatePosition(r.position(), "position");
        break;
      case pv1::ImportRecordsRequest::kEmployee:
        v = ValidateEmployee(r.mutable_employee(), "employee", today_);
        break;
      default:
        v.push_back({"", "row carries no record"});
    }
    if (!v.empty()) {
      Reject(row, v.front().field, v.front().description);
      continue;
    }
    if (!scope_.agency.empty() && !agency.empty() && agency != scope_.agency) {
      Reject(row, r.has_agency() ? "agency.code" : "unit.agency_code", kOutsideScope);
      continue;
    }
    valid.push_back(&row);
  }
  if (valid.empty()) return absl::OkStatus();

  // 2. The whole batch in one transaction.
  std::vector<Result> results;
  absl::Status st = ApplyAll(valid, results);
  if (st.ok()) {
    for (size_t i = 0; i < valid.size(); ++i) {
      const Result& res = results[i];
      switch (res.outcome) {
        case Outcome::kInserted:
          summary_.set_inserted(summary_.inserted() + 1);
          break;
        case Outcome::kUpdated:
          summary_.set_updated(summary_.updated() + 1);
          break;
        case Outcome::kUnchanged:
          summary_.set_unchanged(summary_.unchanged() + 1);
          break;
        case Outcome::kRejected:
          Reject(*valid[i], res.field, res.reason);
          break;
      }
    }
    return absl::OkStatus();
  }
  if (absl::IsUnavailable(st) || absl::IsDeadlineExceeded(st)) return st;

  // 3. Something unexpected failed: row by row, so only the culprit is rejected.
  for (Row* row : valid) {
    std::vector<Result> one;
    absl::Status rs = ApplyAll({row}, one);
    if (absl::IsUnavailable(rs) || absl::IsDeadlineExceeded(rs)) return rs;
    if (!rs.ok()) {
      Reject(*row, "", std::string(rs.message()));
      continue;
    }
    switch (one[0].outcome) {
      case Outcome::kInserted:
        summary_.set_inserted(summary_.inserted() + 1);
        break;
      case Outcome::kUpdated:
        summary_.set_updated(summary_.updated() + 1);
        break;
      case Outcome::kUnchanged:
        summary_.set_unchanged(summary_.unchanged() + 1);
        break;
      case Outcome::kRejected:
        Reject(*row, one[0].field, one[0].reason);
        break;
    }
  }
  return absl::OkStatus();
}

absl::Status Importer::ApplyAll(const std::vector<Row*>& rows, std::vector<Result>& results) {
  auto body = [&](Tx& tx) -> absl::StatusOr<std::string> {
    results.clear();
    existing_employees_.clear();
    std::vector<std::string> nips;
    for (Row* r : rows) {
      if (r->record.has_employee()) nips.push_back(r->record.employee().nip());
    }
    if (!nips.empty()) {
      auto found = repo_.EmployeesByNip(tx.conn(), nips);
      if (!found.ok()) return found.status();
      for (auto& e : *found) existing_employees_[e.nip()] = std::move(e);
    }
    std::map<std::string, int> changed_agencies;
    int changed = 0;
    new_employees_.clear();
    new_index_.clear();
    changes_.clear();
    for (Row* r : rows) {
      results.push_back(ApplyOne(tx, *r, changed_agencies));
      if (results.back().outcome == Outcome::kRejected && results.back().field == "!db") {
        return absl::InternalError(results.back().reason);
      }
      if (results.back().outcome == Outcome::kInserted ||
          results.back().outcome == Outcome::kUpdated) {
        ++changed;
      }
    }
    if (auto st = tx.InsertEmployees(new_employees_); !st.ok()) return st;
    if (auto st = tx.WriteChanges(changes_); !st.ok()) return st;
    if (changed > 0) {
      // One audit row per agency and batch: per-row audit rows would double the import's cost.
      for (const auto& [agency, n] : changed_agencies) {
        if (auto st = tx.WriteAudit(audit_, absl::StrCat(n, " rows"), agency); !st.ok()) return st;
      }
    }
    if (dry_run_) return absl::CancelledError(kDryRunMarker);
    return std::string();
  };
  auto written = repo_.Write("", audit_.method, body);
  absl::Status st = written.status();
  if (dry_run_ && IsDryRunMarker(st)) st = absl::OkStatus();
  if (!st.ok() || dry_run_) {
    // The caches may hold rows of a rolled-back transaction.
    units_.clear();
    positions_.clear();
    agencies_.clear();
  }
  return st;
}

absl::StatusOr<std::optional<pv1::Unit>> Importer::FindUnit(Tx& tx, int64_t id) {
  if (auto it = units_.find(id); it != units_.end()) return it->second;
  auto u = tx.GetUnit(id);
  if (!u.ok()) return u.status();
  if (*u) units_[id] = **u;
  return *u;
}

absl::StatusOr<std::optional<pv1::Position>> Importer::FindPosition(Tx& tx,
                                                                    const std::string& code) {
  if (auto it = positions_.find(code); it != positions_.end()) return it->second;
  auto p = tx.GetPosition(code);
  if (!p.ok()) return p.status();
  if (*p) positions_[code] = **p;
  return *p;
}

absl::StatusOr<bool> Importer::AgencyExists(Tx& tx, const std::string& code) {
  if (auto it = agencies_.find(code); it != agencies_.end()) return it->second;
  auto a = tx.GetAgency(code);
  if (!a.ok()) return a.status();
  if (a->has_value()) agencies_[code] = true;
  return a->has_value();
}

void Importer::AddChange(pv1::ChangeKind kind, const std::string& agency,
                         const std::string& resource) {
  pv1::WatchChangesResponse c;
  c.set_kind(kind);
  c.set_agency_code(agency);
  c.set_resource_id(resource);
  changes_.push_back(std::move(c));
}

Importer::Result Importer::ApplyOne(Tx& tx, Row& row, std::map<std::string, int>& changed) {
  auto db_error = [](const absl::Status& st) {
    return Result{Outcome::kRejected, "!db", std::string(st.message())};
  };
  auto reject = [](std::string field, std::string reason) {
    return Result{Outcome::kRejected, std::move(field), std::move(reason)};
  };
  auto& r = row.record;
  switch (r.record_case()) {
    case pv1::ImportRecordsRequest::kAgency: {
      const auto& a = r.agency();
      auto existing = tx.GetAgency(a.code());
      if (!existing.ok()) return db_error(existing.status());
      if (*existing) {
        pv1::Agency want = a;
        want.set_create_time_ms((*existing)->create_time_ms());
        if (MessageDifferencer::Equivalent(want, **existing))
          return Result{Outcome::kUnchanged, "", ""};
        if (auto st = tx.UpdateAgency(a); !st.ok()) return db_error(st);
        ++changed[a.code()];
        return Result{Outcome::kUpdated, "", ""};
      }
      auto ins = tx.InsertAgency(a);
      if (!ins.ok()) return db_error(ins.status());
      AddChange(pv1::CHANGE_KIND_AGENCY_CREATED, a.code(), a.code());
      agencies_[a.code()] = true;
      ++changed[a.code()];
      return Result{Outcome::kInserted, "", ""};
    }
    case pv1::ImportRecordsRequest::kUnit: {
      pv1::Unit u = r.unit();
      auto agency_ok = AgencyExists(tx, u.agency_code());
      if (!agency_ok.ok()) return db_error(agency_ok.status());
      if (!*agency_ok) {
        return reject("unit.agency_code",
                      absl::StrCat("agency ", u.agency_code(), " does not exist"));
      }
      if (u.parent_id() != 0) {
        auto parent = FindUnit(tx, u.parent_id());
        if (!parent.ok()) return db_error(parent.status());
        if (!*parent) {
          return reject("unit.parent_id",
                        absl::StrCat("parent unit ", u.parent_id(), " does not exist"));
        }
        if ((*parent)->agency_code() != u.agency_code()) {
          return reject("unit.parent_id",
                        absl::StrCat("parent unit ", u.parent_id(), " belongs to another agency"));
        }
      }
      auto existing = FindUnit(tx, u.id());
      if (!existing.ok()) return db_error(existing.status());
      if (*existing) {
        if ((*existing)->agency_code() != u.agency_code()) {
          return reject("unit.agency_code", absl::StrCat("unit ", u.id(), " belongs to agency ",
                                                         (*existing)->agency_code()));
        }
        u.set_etag((*existing)->etag());
        if (MessageDifferencer::Equivalent(u, **existing))
          return Result{Outcome::kUnchanged, "", ""};
        auto upd = tx.UpdateUnit(u, -1);
        if (absl::IsFailedPrecondition(upd.status())) {
          return reject("unit.parent_id", std::string(upd.status().message()));
        }
        if (!upd.ok()) return db_error(upd.status());
        units_[u.id()] = *upd;
        AddChange(pv1::CHANGE_KIND_UNIT_UPDATED, u.agency_code(), absl::StrCat(u.id()));
        ++changed[u.agency_code()];
        return Result{Outcome::kUpdated, "", ""};
      }
      auto ins = tx.InsertUnit(u);
      if (!ins.ok()) return db_error(ins.status());
      units_[u.id()] = *ins;
      AddChange(pv1::CHANGE_KIND_UNIT_CREATED, u.agency_code(), absl::StrCat(u.id()));
      ++changed[u.agency_code()];
      return Result{Outcome::kInserted, "", ""};
    }
    case pv1::ImportRecordsRequest::kPosition: {
      const auto& p = r.position();
      auto existing = FindPosition(tx, p.code());
      if (!existing.ok()) return db_error(existing.status());
      if (*existing) {
        if (MessageDifferencer::Equivalent(p, **existing))
          return Result{Outcome::kUnchanged, "", ""};
        if (auto st = tx.UpdatePosition(p); !st.ok()) return db_error(st);
        positions_[p.code()] = p;
        ++changed[""];
        return Result{Outcome::kUpdated, "", ""};
      }
      if (auto st = tx.InsertPosition(p); !st.ok()) return db_error(st);
      positions_[p.code()] = p;
      AddChange(pv1::CHANGE_KIND_POSITION_CREATED, "", p.code());
      ++changed[""];
      return Result{Outcome::kInserted, "", ""};
    }
    case pv1::ImportRecordsRequest::kEmployee: {
      pv1::Employee e = r.employee();
      auto unit = FindUnit(tx, e.unit_id());
      if (!unit.ok()) return db_error(unit.status());
      if (!*unit)
        return reject("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " does not exist"));
      if (!scope_.agency.empty() && (*unit)->agency_code() != scope_.agency) {
        return reject("employee.unit_id", kOutsideScope);
      }
      auto pos = FindPosition(tx, e.position_code());
      if (!pos.ok()) return db_error(pos.status());
      if (!*pos) {
        return reject("employee.position_code",
                      absl::StrCat("position ", e.position_code(), " does not exist"));
      }
      e.set_agency_code((*unit)->agency_code());
      e.clear_etag();
      e.clear_version();
      auto it = existing_employees_.find(e.nip());
      if (it == existing_employees_.end()) {
        if (auto n = new_index_.find(e.nip()); n != new_index_.end()) {
          // A second row with the same NIP in this batch sees the first as existing.
          it = existing_employees_.emplace(e.nip(), new_employees_[n->second]).first;
        }
      }
      if (it != existing_employees_.end()) {
        pv1::Employee old = it->second;
        if (!scope_.agency.empty() && old.agency_code() != scope_.agency) {
          return reject("employee.nip", kOutsideScope);
        }
        old.clear_etag();
        old.clear_version();
        if (MessageDifferencer::Equivalent(e, old)) return Result{Outcome::kUnchanged, "", ""};
        if (old.unit_id() != e.unit_id() && !(*unit)->active()) {
          return reject("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
        }
        auto upd = tx.UpdateEmployee(e, -1, pv1::PLACEMENT_REASON_CORRECTION, "");
        if (!upd.ok()) return db_error(upd.status());
        it->second = *upd;
        AddChange(pv1::CHANGE_KIND_EMPLOYEE_UPDATED, e.agency_code(), e.nip());
        ++changed[e.agency_code()];
        return Result{Outcome::kUpdated, "", ""};
      }
      if (!(*unit)->active()) {
        return reject("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
      }
      e.set_version(1);
      e.set_etag("1");
      AddChange(pv1::CHANGE_KIND_EMPLOYEE_CREATED, e.agency_code(), e.nip());
      ++changed[e.agency_code()];
      new_index_.emplace(e.nip(), new_employees_.size());
      new_employees_.push_back(std::move(e));
      return Result{Outcome::kInserted, "", ""};
    }
    default:
      return reject("", "row carries no record");
  }
}

}  // namespace seimbang::personnel
