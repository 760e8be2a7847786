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
// Issue 15 item 4: the position catalogue is shared, so only an admin writes it.
constexpr char kPositionChangeNeedsAdmin[] =
    "differs from the shared position catalogue; only an admin may change a position";
constexpr char kPositionCreateNeedsAdmin[] =
    "is not in the shared position catalogue; only an admin may create a position";
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
      dry_run_(dry_run),
      lanes_(repo.pool().dialect() == db::Dialect::kMysql ? kMysqlLanes : 1) {}

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

void Importer::Reject(Lane& lane, const Row& row, const std::string& field,
                      const std::string& reason) {
  auto* e = lane.summary.add_errors();
  e->set_sequence(row.sequence);
  e->set_field(field);
  e->set_reason(reason);
  e->set_natural_key(NaturalKey(row.record));
  lane.summary.set_rejected(lane.summary.rejected() + 1);
}

void Importer::ClearCaches(Lane& lane) {
  lane.units.clear();
  lane.positions.clear();
  lane.agencies.clear();
}

Importer::~Importer() { WaitAll().IgnoreError(); }

absl::Status Importer::Wait(Lane& lane) {
  if (!lane.in_flight.valid()) return absl::OkStatus();
  absl::Status st = lane.in_flight.get();
  lane.barrier = false;
  lane.nips.clear();
  return st;
}

absl::Status Importer::WaitAll() {
  absl::Status first;
  for (Lane& lane : lanes_) {
    absl::Status st = Wait(lane);
    if (first.ok()) first = st;
  }
  return first;
}

absl::Status Importer::Add(int64_t sequence, pv1::ImportRecordsRequest row) {
  ++received_;
  pending_.push_back(Row{sequence, std::move(row)});
  if (pending_.size() < kBatchSize) return absl::OkStatus();
  std::vector<Row> batch = std::move(pending_);
  pending_.clear();
  pending_.reserve(kBatchSize);
  return Dispatch(std::move(batch));
}

absl::Status Importer::Dispatch(std::vector<Row> batch) {
  bool barrier = false;
  std::set<std::string> nips;
  for (const Row& row : batch) {
    if (row.record.has_employee()) {
      nips.insert(row.record.employee().nip());
    } else {
      barrier = true;
    }
  }
  Lane& lane = lanes_[next_lane_];
  next_lane_ = (next_lane_ + 1) % lanes_.size();
  if (auto st = Wait(lane); !st.ok()) return st;
  for (Lane& other : lanes_) {
    if (&other == &lane || !other.in_flight.valid()) continue;
    bool conflict = barrier || other.barrier;
    for (auto it = nips.begin(); !conflict && it != nips.end(); ++it) {
      conflict = other.nips.count(*it) > 0;
    }
    if (conflict) {
      if (auto st = Wait(other); !st.ok()) return st;
    }
  }
  if (barrier) ++barrier_generation_;
  if (lane.generation != barrier_generation_) {
    // A barrier batch may have changed units or positions this lane has cached.
    ClearCaches(lane);
    lane.generation = barrier_generation_;
  }
  lane.barrier = barrier;
  lane.nips = std::move(nips);
  lane.in_flight = std::async(std::launch::async, [this, &lane, b = std::move(batch)]() mutable {
    return Flush(lane, std::move(b));
  });
  return absl::OkStatus();
}

absl::StatusOr<cv1::ImportSummary> Importer::Finish() {
  if (!pending_.empty()) {
    std::vector<Row> rest = std::move(pending_);
    pending_.clear();
    if (auto st = Dispatch(std::move(rest)); !st.ok()) {
      WaitAll().IgnoreError();
      return st;
    }
  }
  if (auto st = WaitAll(); !st.ok()) return st;
  cv1::ImportSummary summary;
  for (Lane& lane : lanes_) {
    summary.set_inserted(summary.inserted() + lane.summary.inserted());
    summary.set_updated(summary.updated() + lane.summary.updated());
    summary.set_unchanged(summary.unchanged() + lane.summary.unchanged());
    summary.set_rejected(summary.rejected() + lane.summary.rejected());
    for (auto& e : *lane.summary.mutable_errors()) *summary.add_errors() = std::move(e);
  }
  summary.set_received(received_);
  std::stable_sort(
      summary.mutable_errors()->begin(), summary.mutable_errors()->end(),
      [](const cv1::RowError& a, const cv1::RowError& b) { return a.sequence() < b.sequence(); });
  return summary;
}

absl::Status Importer::Flush(Lane& lane, std::vector<Row> batch) {
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
      Reject(lane, row, v.front().field, v.front().description);
      continue;
    }
    if (!scope_.agency.empty() && !agency.empty() && agency != scope_.agency) {
      Reject(lane, row, r.has_agency() ? "agency.code" : "unit.agency_code", kOutsideScope);
      continue;
    }
    valid.push_back(&row);
  }
  if (valid.empty()) return absl::OkStatus();

  // 2. The whole batch in one transaction.
  std::vector<Result> results;
  absl::Status st = ApplyAll(lane, valid, results);
  if (st.ok()) {
    for (size_t i = 0; i < valid.size(); ++i) {
      const Result& res = results[i];
      switch (res.outcome) {
        case Outcome::kInserted:
          lane.summary.set_inserted(lane.summary.inserted() + 1);
          break;
        case Outcome::kUpdated:
          lane.summary.set_updated(lane.summary.updated() + 1);
          break;
        case Outcome::kUnchanged:
          lane.summary.set_unchanged(lane.summary.unchanged() + 1);
          break;
        case Outcome::kRejected:
          Reject(lane, *valid[i], res.field, res.reason);
          break;
      }
    }
    return absl::OkStatus();
  }
  if (absl::IsUnavailable(st) || absl::IsDeadlineExceeded(st)) return st;

  // 3. Something unexpected failed: row by row, so only the culprit is rejected.
  for (Row* row : valid) {
    std::vector<Result> one;
    absl::Status rs = ApplyAll(lane, {row}, one);
    if (absl::IsUnavailable(rs) || absl::IsDeadlineExceeded(rs)) return rs;
    if (!rs.ok()) {
      Reject(lane, *row, "", std::string(rs.message()));
      continue;
    }
    switch (one[0].outcome) {
      case Outcome::kInserted:
        lane.summary.set_inserted(lane.summary.inserted() + 1);
        break;
      case Outcome::kUpdated:
        lane.summary.set_updated(lane.summary.updated() + 1);
        break;
      case Outcome::kUnchanged:
        lane.summary.set_unchanged(lane.summary.unchanged() + 1);
        break;
      case Outcome::kRejected:
        Reject(lane, *row, one[0].field, one[0].reason);
        break;
    }
  }
  return absl::OkStatus();
}

absl::Status Importer::ApplyAll(Lane& lane, const std::vector<Row*>& rows,
                                std::vector<Result>& results) {
  auto body = [&](Tx& tx) -> absl::StatusOr<std::string> {
    results.clear();
    lane.existing_employees.clear();
    std::vector<std::string> nips;
    for (Row* r : rows) {
      if (r->record.has_employee()) nips.push_back(r->record.employee().nip());
    }
    if (!nips.empty()) {
      auto found = repo_.EmployeesByNip(tx.conn(), nips);
      if (!found.ok()) return found.status();
      for (auto& e : *found) lane.existing_employees[e.nip()] = std::move(e);
    }
    std::map<std::string, int> changed_agencies;
    int changed = 0;
    lane.new_employees.clear();
    lane.new_index.clear();
    lane.changes.clear();
    for (Row* r : rows) {
      results.push_back(ApplyOne(lane, tx, *r, changed_agencies));
      if (results.back().outcome == Outcome::kRejected && results.back().field == "!db") {
        return absl::InternalError(results.back().reason);
      }
      if (results.back().outcome == Outcome::kInserted ||
          results.back().outcome == Outcome::kUpdated) {
        ++changed;
      }
    }
    if (auto st = tx.InsertEmployees(lane.new_employees); !st.ok()) return st;
    if (changed > 0) {
      // One audit row per agency and batch: per-row audit rows would double the import's cost.
      for (const auto& [agency, n] : changed_agencies) {
        if (auto st = tx.WriteAudit(audit_, absl::StrCat(n, " rows"), agency); !st.ok()) return st;
      }
    }
    // Last: the feed stays locked from here to the commit (Tx::LockChangeFeed).
    if (auto st = tx.WriteChanges(lane.changes); !st.ok()) return st;
    if (dry_run_) return absl::CancelledError(kDryRunMarker);
    return std::string();
  };
  auto written = repo_.Write(idempotency::Key{}, body);  // no request_id: upserts
  absl::Status st = written.status();
  if (dry_run_ && IsDryRunMarker(st)) st = absl::OkStatus();
  if (!st.ok() || dry_run_) {
    // The caches may hold rows of a rolled-back transaction.
    ClearCaches(lane);
  }
  return st;
}

absl::StatusOr<std::optional<pv1::Unit>> Importer::FindUnit(Lane& lane, Tx& tx, int64_t id) {
  if (auto it = lane.units.find(id); it != lane.units.end()) return it->second;
  auto u = tx.GetUnit(id);
  if (!u.ok()) return u.status();
  if (*u) lane.units[id] = **u;
  return *u;
}

absl::StatusOr<std::optional<pv1::Position>> Importer::FindPosition(Lane& lane, Tx& tx,
                                                                    const std::string& code) {
  if (auto it = lane.positions.find(code); it != lane.positions.end()) return it->second;
  auto p = tx.GetPosition(code);
  if (!p.ok()) return p.status();
  if (*p) lane.positions[code] = **p;
  return *p;
}

absl::StatusOr<bool> Importer::AgencyExists(Lane& lane, Tx& tx, const std::string& code) {
  if (auto it = lane.agencies.find(code); it != lane.agencies.end()) return it->second;
  auto a = tx.GetAgency(code);
  if (!a.ok()) return a.status();
  if (a->has_value()) lane.agencies[code] = true;
  return a->has_value();
}

void Importer::AddChange(Lane& lane, pv1::ChangeKind kind, const std::string& agency,
                         const std::string& resource) {
  pv1::WatchChangesResponse c;
  c.set_kind(kind);
  c.set_agency_code(agency);
  c.set_resource_id(resource);
  lane.changes.push_back(std::move(c));
}

Importer::Result Importer::ApplyOne(Lane& lane, Tx& tx, Row& row,
                                    std::map<std::string, int>& changed) {
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
      AddChange(lane, pv1::CHANGE_KIND_AGENCY_CREATED, a.code(), a.code());
      lane.agencies[a.code()] = true;
      ++changed[a.code()];
      return Result{Outcome::kInserted, "", ""};
    }
    case pv1::ImportRecordsRequest::kUnit: {
      pv1::Unit u = r.unit();
      auto agency_ok = AgencyExists(lane, tx, u.agency_code());
      if (!agency_ok.ok()) return db_error(agency_ok.status());
      if (!*agency_ok) {
        return reject("unit.agency_code",
                      absl::StrCat("agency ", u.agency_code(), " does not exist"));
      }
      if (u.parent_id() != 0) {
        auto parent = FindUnit(lane, tx, u.parent_id());
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
      auto existing = FindUnit(lane, tx, u.id());
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
        lane.units[u.id()] = *upd;
        AddChange(lane, pv1::CHANGE_KIND_UNIT_UPDATED, u.agency_code(), absl::StrCat(u.id()));
        ++changed[u.agency_code()];
        return Result{Outcome::kUpdated, "", ""};
      }
      auto ins = tx.InsertUnit(u);
      if (!ins.ok()) return db_error(ins.status());
      lane.units[u.id()] = *ins;
      AddChange(lane, pv1::CHANGE_KIND_UNIT_CREATED, u.agency_code(), absl::StrCat(u.id()));
      ++changed[u.agency_code()];
      return Result{Outcome::kInserted, "", ""};
    }
    case pv1::ImportRecordsRequest::kPosition: {
      const auto& p = r.position();
      auto existing = FindPosition(lane, tx, p.code());
      if (!existing.ok()) return db_error(existing.status());
      if (*existing && MessageDifferencer::Equivalent(p, **existing)) {
        return Result{Outcome::kUnchanged, "", ""};
      }
      if (!scope_.may_write_positions) {
        return reject("position.code",
                      *existing ? kPositionChangeNeedsAdmin : kPositionCreateNeedsAdmin);
      }
      if (*existing) {
        if (auto st = tx.UpdatePosition(p); !st.ok()) return db_error(st);
        lane.positions[p.code()] = p;
        ++changed[""];
        return Result{Outcome::kUpdated, "", ""};
      }
      if (auto st = tx.InsertPosition(p); !st.ok()) return db_error(st);
      lane.positions[p.code()] = p;
      AddChange(lane, pv1::CHANGE_KIND_POSITION_CREATED, "", p.code());
      ++changed[""];
      return Result{Outcome::kInserted, "", ""};
    }
    case pv1::ImportRecordsRequest::kEmployee: {
      pv1::Employee e = r.employee();
      auto unit = FindUnit(lane, tx, e.unit_id());
      if (!unit.ok()) return db_error(unit.status());
      if (!*unit)
        return reject("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " does not exist"));
      if (!scope_.agency.empty() && (*unit)->agency_code() != scope_.agency) {
        return reject("employee.unit_id", kOutsideScope);
      }
      auto pos = FindPosition(lane, tx, e.position_code());
      if (!pos.ok()) return db_error(pos.status());
      if (!*pos) {
        return reject("employee.position_code",
                      absl::StrCat("position ", e.position_code(), " does not exist"));
      }
      e.set_agency_code((*unit)->agency_code());
      e.clear_etag();
      e.clear_version();
      auto it = lane.existing_employees.find(e.nip());
      if (it == lane.existing_employees.end()) {
        if (auto n = lane.new_index.find(e.nip()); n != lane.new_index.end()) {
          // A second row with the same NIP in this batch sees the first as existing.
          it = lane.existing_employees.emplace(e.nip(), lane.new_employees[n->second]).first;
        }
      }
      if (it != lane.existing_employees.end()) {
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
        AddChange(lane, pv1::CHANGE_KIND_EMPLOYEE_UPDATED, e.agency_code(), e.nip());
        ++changed[e.agency_code()];
        return Result{Outcome::kUpdated, "", ""};
      }
      if (!(*unit)->active()) {
        return reject("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
      }
      e.set_version(1);
      e.set_etag("1");
      AddChange(lane, pv1::CHANGE_KIND_EMPLOYEE_CREATED, e.agency_code(), e.nip());
      ++changed[e.agency_code()];
      lane.new_index.emplace(e.nip(), lane.new_employees.size());
      lane.new_employees.push_back(std::move(e));
      return Result{Outcome::kInserted, "", ""};
    }
    default:
      return reject("", "row carries no record");
  }
}

}  // namespace seimbang::personnel
