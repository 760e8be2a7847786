#include "services/personnel/importer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "common/errors/status_macros.h"
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

// Errors after which the lane's transaction cannot go on: the connection is gone, or the engine
// rolled the whole transaction back (a deadlock; a lock wait timeout is treated the same). The
// import fails and, never committed, applies nothing; the client may simply send it again.
bool LosesTheLane(const absl::Status& st) {
  return absl::IsUnavailable(st) || absl::IsDeadlineExceeded(st) || db::IsRetryable(st);
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

// The lanes' transactions, never committed unless Commit ran, roll back with the lanes.
Importer::~Importer() { WaitAll().IgnoreError(); }

absl::Status Importer::Wait(Lane& lane) {
  if (!lane.in_flight.valid()) return absl::OkStatus();
  absl::Status st = lane.in_flight.get();
  lane.barrier = false;
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

size_t Importer::LaneOf(const pv1::ImportRecordsRequest& row) const {
  if (lanes_.size() == 1) return 0;
  return std::hash<std::string>{}(row.employee().nip()) % lanes_.size();
}

absl::Status Importer::Add(int64_t sequence, pv1::ImportRecordsRequest row) {
  ++received_;
  const bool reference = row.has_agency() || row.has_unit() || row.has_position();
  if (!reference) {
    // Employees (and rows with no record, rejected later) follow their NIP's lane; rows after
    // a barrier wait for it.
    if (!barrier_rows_.empty()) {
      if (auto st = DispatchBarrier(); !st.ok()) return st;
    }
    const size_t i = LaneOf(row);
    Lane& lane = lanes_[i];
    lane.pending.push_back(Row{sequence, std::move(row)});
    if (lane.pending.size() < kBatchSize) return absl::OkStatus();
    std::vector<Row> batch = std::move(lane.pending);
    lane.pending.clear();
    lane.pending.reserve(kBatchSize);
    return Dispatch(i, std::move(batch), /*barrier=*/false);
  }
  if (barrier_rows_.empty()) {
    // Every row before this one is applied before it.
    for (size_t i = 0; i < lanes_.size(); ++i) {
      if (lanes_[i].pending.empty()) continue;
      std::vector<Row> batch = std::move(lanes_[i].pending);
      lanes_[i].pending.clear();
      if (auto st = Dispatch(i, std::move(batch), false); !st.ok()) return st;
    }
  }
  barrier_rows_.push_back(Row{sequence, std::move(row)});
  if (barrier_rows_.size() < kBatchSize) return absl::OkStatus();
  return DispatchBarrier();
}

absl::Status Importer::DispatchBarrier() {
  std::vector<Row> batch = std::move(barrier_rows_);
  barrier_rows_.clear();
  return Dispatch(0, std::move(batch), /*barrier=*/true);
}

absl::Status Importer::DispatchPending() {
  // Barrier rows are always the newest (employee rows after them dispatch them first).
  for (size_t i = 0; i < lanes_.size(); ++i) {
    if (lanes_[i].pending.empty()) continue;
    std::vector<Row> batch = std::move(lanes_[i].pending);
    lanes_[i].pending.clear();
    if (auto st = Dispatch(i, std::move(batch), false); !st.ok()) return st;
  }
  if (!barrier_rows_.empty()) return DispatchBarrier();
  return absl::OkStatus();
}

absl::Status Importer::Dispatch(size_t index, std::vector<Row> batch, bool barrier) {
  Lane& lane = lanes_[index];
  if (auto st = Wait(lane); !st.ok()) return st;
  if (barrier) {
    // Everything before the barrier first; lane 0 alone writes the overlay while it runs.
    if (auto st = WaitAll(); !st.ok()) return st;
  } else if (lanes_[0].barrier) {
    // Nothing after a barrier starts before it is done.
    if (auto st = Wait(lanes_[0]); !st.ok()) return st;
  }
  if (barrier) ++barrier_generation_;
  if (lane.generation != barrier_generation_) {
    // A barrier batch may have changed units or positions this lane has cached.
    ClearCaches(lane);
    lane.generation = barrier_generation_;
  }
  lane.barrier = barrier;
  lane.in_flight = std::async(std::launch::async, [this, &lane, b = std::move(batch)]() mutable {
    return Flush(lane, std::move(b));
  });
  return absl::OkStatus();
}

absl::StatusOr<cv1::ImportSummary> Importer::Finish() {
  if (auto st = DispatchPending(); !st.ok()) {
    WaitAll().IgnoreError();
    return st;
  }
  if (auto st = WaitAll(); !st.ok()) return st;
  cv1::ImportSummary summary;
  for (Lane& lane : lanes_) {
    summary.set_inserted(summary.inserted() + lane.summary.inserted());
    summary.set_updated(summary.updated() + lane.summary.updated());
    summary.set_unchanged(summary.unchanged() + lane.summary.unchanged());
    summary.set_rejected(summary.rejected() + lane.summary.rejected());
    summary.set_conflicts(summary.conflicts() + lane.summary.conflicts());
    for (auto& e : *lane.summary.mutable_errors()) *summary.add_errors() = std::move(e);
  }
  summary.set_received(received_);
  std::stable_sort(
      summary.mutable_errors()->begin(), summary.mutable_errors()->end(),
      [](const cv1::RowError& a, const cv1::RowError& b) { return a.sequence() < b.sequence(); });
  return summary;
}

absl::Status Importer::Commit() {
  if (auto st = WaitAll(); !st.ok()) return st;
  if (dry_run_) return absl::OkStatus();  // the lanes roll back with the Importer
  // Lane 0 first: it holds the agencies, units and positions the other lanes' rows refer to,
  // so a crash between two commits never leaves an employee without its unit.
  size_t committed = 0;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    Lane& lane = lanes_[i];
    if (!lane.txn) continue;
    absl::Status st = lane.txn->Commit();
    lane.txn.reset();
    if (!st.ok()) {
      if (committed == 0) return st;  // nothing of the import is visible
      return absl::Status(
          st.code(),
          absl::StrCat("import partly applied: ", committed, " of its lanes committed before ",
                       st.message(), "; send the same import again to apply the rest"));
    }
    ++committed;
  }
  return absl::OkStatus();
}

std::vector<Importer::Row*> Importer::CheckShape(Lane& lane, std::vector<Row>& batch) {
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
  return valid;
}

void Importer::Count(Lane& lane, const Row& row, const Result& res) {
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
      Reject(lane, row, res.field, res.reason);
      break;
    case Outcome::kConflict: {
      // Listed with the rejections, counted apart: nothing was wrong with the row itself.
      auto* e = lane.summary.add_errors();
      e->set_sequence(row.sequence);
      e->set_field(res.field);
      e->set_reason(res.reason);
      e->set_natural_key(NaturalKey(row.record));
      lane.summary.set_conflicts(lane.summary.conflicts() + 1);
      break;
    }
  }
}

absl::Status Importer::Flush(Lane& lane, std::vector<Row> batch) {
  // 1. Shape and scope, in memory.
  std::vector<Row*> valid = CheckShape(lane, batch);
  if (valid.empty()) return absl::OkStatus();
  if (!lane.txn) {
    auto txn = ImportTx::Begin(repo_.pool());
    if (!txn.ok()) return txn.status();
    lane.txn = std::move(*txn);
  }

  // 2. The whole batch under one savepoint of the lane's transaction.
  std::vector<Result> results;
  absl::Status st = ApplyAll(lane, valid, results);
  if (st.ok()) {
    for (size_t i = 0; i < valid.size(); ++i) Count(lane, *valid[i], results[i]);
    return absl::OkStatus();
  }
  if (LosesTheLane(st)) return st;

  // 3. Something unexpected failed: row by row, so only the culprit is rejected.
  for (Row* row : valid) {
    std::vector<Result> one;
    absl::Status rs = ApplyAll(lane, {row}, one);
    if (LosesTheLane(rs)) return rs;
    if (!rs.ok()) {
      Reject(lane, *row, "", std::string(rs.message()));
      continue;
    }
    Count(lane, *row, one[0]);
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
      SEIMBANG_ASSIGN_OR_RETURN(lane.latest_placements, repo_.LatestPlacements(tx.conn(), nips));
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
        const std::string detail =
            absl::StrCat(n, " rows",
                         scope_.override_transfers ? " (override_transfers: executed transfers may "
                                                     "be undone)"
                                                   : "");
        if (auto st = tx.WriteAudit(audit_, detail, agency); !st.ok()) return st;
      }
    }
    // Staged: copied into the feed, under its lock, only when the import commits (ImportTx).
    if (auto st = lane.txn->StageChanges(lane.changes); !st.ok()) return st;
    return std::string();
  };
  ImportTx& txn = *lane.txn;
  if (auto st = txn.Savepoint(); !st.ok()) {
    return LosesTheLane(st)
               ? st
               : db::RetryableAbortedError(absl::StrCat("import transaction lost: ", st.message()));
  }
  absl::StatusOr<std::string> written = body(txn.tx());
  absl::Status st = written.status();
  if (st.ok()) st = txn.Release();
  if (!st.ok()) {
    // Back to the state before this call; the caches may hold rows it wrote.
    ClearCaches(lane);
    if (absl::Status undone = txn.RollbackToSavepoint(); !undone.ok()) {
      // The engine rolled the whole transaction back (a deadlock) or the connection is gone:
      // the batches before are lost too, so the import must fail (and must not go on outside
      // a transaction, where every statement would commit at once).
      return LosesTheLane(st)
                 ? st
                 : db::RetryableAbortedError(absl::StrCat(
                       "import transaction lost (", undone.message(), ") after: ", st.message()));
    }
    return st;
  }
  if (lane.barrier) {
    // What this barrier wrote, for the other lanes (see overlay_units_).
    for (const auto& [id, u] : lane.units) overlay_units_[id] = u;
    for (const auto& [code, p] : lane.positions) overlay_positions_[code] = p;
    for (const auto& [code, a] : lane.agencies) overlay_agencies_[code] = a;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<pv1::Unit>> Importer::FindUnit(Lane& lane, Tx& tx, int64_t id) {
  if (auto it = lane.units.find(id); it != lane.units.end()) return it->second;
  if (auto it = overlay_units_.find(id); it != overlay_units_.end()) return it->second;
  auto u = tx.GetUnit(id);
  if (!u.ok()) return u.status();
  if (*u) lane.units[id] = **u;
  return *u;
}

absl::StatusOr<std::optional<pv1::Position>> Importer::FindPosition(Lane& lane, Tx& tx,
                                                                    const std::string& code) {
  if (auto it = lane.positions.find(code); it != lane.positions.end()) return it->second;
  if (auto it = overlay_positions_.find(code); it != overlay_positions_.end()) return it->second;
  auto p = tx.GetPosition(code);
  if (!p.ok()) return p.status();
  if (*p) lane.positions[code] = **p;
  return *p;
}

absl::StatusOr<bool> Importer::AgencyExists(Lane& lane, Tx& tx, const std::string& code) {
  if (auto it = lane.agencies.find(code); it != lane.agencies.end()) return it->second;
  if (auto it = overlay_agencies_.find(code); it != overlay_agencies_.end()) return it->second;
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

std::optional<Importer::Result> Importer::TransferConflict(const pv1::Placement& p,
                                                           const std::string& field) const {
  if (p.reason() != pv1::PLACEMENT_REASON_TRANSFER || p.plan_id().empty()) return std::nullopt;
  if (scope_.override_transfers) return std::nullopt;
  const domain::Date recorded = domain::CivilFromDays(p.record_time_ms() / (24 * 3600 * 1000LL));
  if (scope_.as_of.has_value() && *scope_.as_of > recorded) return std::nullopt;
  return Result{
      Outcome::kConflict, field,
      absl::StrCat("would undo the executed transfer of plan ", p.plan_id(), " move ", p.move_id(),
                   " (recorded ", domain::FormatDate(recorded), "); the file's as-of date ",
                   scope_.as_of ? domain::FormatDate(*scope_.as_of) : "(none)",
                   " is not later: send a newer file or override_transfers")};
}

Importer::Result Importer::DbError(const absl::Status& st) {
  return Result{Outcome::kRejected, "!db", std::string(st.message())};
}

Importer::Result Importer::Rejected(std::string field, std::string reason) {
  return Result{Outcome::kRejected, std::move(field), std::move(reason)};
}

Importer::Result Importer::ApplyOne(Lane& lane, Tx& tx, Row& row,
                                    std::map<std::string, int>& changed) {
  auto& r = row.record;
  switch (r.record_case()) {
    case pv1::ImportRecordsRequest::kAgency:
      return ApplyAgency(lane, tx, r.agency(), changed);
    case pv1::ImportRecordsRequest::kUnit:
      return ApplyUnit(lane, tx, r.unit(), changed);
    case pv1::ImportRecordsRequest::kPosition:
      return ApplyPosition(lane, tx, r.position(), changed);
    case pv1::ImportRecordsRequest::kEmployee:
      return ApplyEmployee(lane, tx, r.employee(), changed);
    default:
      return Rejected("", "row carries no record");
  }
}

Importer::Result Importer::ApplyAgency(Lane& lane, Tx& tx, const pv1::Agency& a,
                                       std::map<std::string, int>& changed) {
  auto existing = tx.GetAgency(a.code());
  if (!existing.ok()) return DbError(existing.status());
  if (*existing) {
    pv1::Agency want = a;
    want.set_create_time_ms((*existing)->create_time_ms());
    if (MessageDifferencer::Equivalent(want, **existing))
      return Result{Outcome::kUnchanged, "", ""};
    if (auto st = tx.UpdateAgency(a); !st.ok()) return DbError(st);
    ++changed[a.code()];
    return Result{Outcome::kUpdated, "", ""};
  }
  auto ins = tx.InsertAgency(a);
  if (!ins.ok()) return DbError(ins.status());
  AddChange(lane, pv1::CHANGE_KIND_AGENCY_CREATED, a.code(), a.code());
  lane.agencies[a.code()] = true;
  ++changed[a.code()];
  return Result{Outcome::kInserted, "", ""};
}

Importer::Result Importer::ApplyUnit(Lane& lane, Tx& tx, pv1::Unit u,
                                     std::map<std::string, int>& changed) {
  auto agency_ok = AgencyExists(lane, tx, u.agency_code());
  if (!agency_ok.ok()) return DbError(agency_ok.status());
  if (!*agency_ok) {
    return Rejected("unit.agency_code",
                    absl::StrCat("agency ", u.agency_code(), " does not exist"));
  }
  if (u.parent_id() != 0) {
    auto parent = FindUnit(lane, tx, u.parent_id());
    if (!parent.ok()) return DbError(parent.status());
    if (!*parent) {
      return Rejected("unit.parent_id",
                      absl::StrCat("parent unit ", u.parent_id(), " does not exist"));
    }
    if ((*parent)->agency_code() != u.agency_code()) {
      return Rejected("unit.parent_id",
                      absl::StrCat("parent unit ", u.parent_id(), " belongs to another agency"));
    }
  }
  auto existing = FindUnit(lane, tx, u.id());
  if (!existing.ok()) return DbError(existing.status());
  if (*existing) {
    if ((*existing)->agency_code() != u.agency_code()) {
      return Rejected("unit.agency_code", absl::StrCat("unit ", u.id(), " belongs to agency ",
                                                       (*existing)->agency_code()));
    }
    u.set_etag((*existing)->etag());
    if (MessageDifferencer::Equivalent(u, **existing)) return Result{Outcome::kUnchanged, "", ""};
    auto upd = tx.UpdateUnit(u, -1);
    if (absl::IsFailedPrecondition(upd.status())) {
      return Rejected("unit.parent_id", std::string(upd.status().message()));
    }
    if (!upd.ok()) return DbError(upd.status());
    lane.units[u.id()] = *upd;
    AddChange(lane, pv1::CHANGE_KIND_UNIT_UPDATED, u.agency_code(), absl::StrCat(u.id()));
    ++changed[u.agency_code()];
    return Result{Outcome::kUpdated, "", ""};
  }
  auto ins = tx.InsertUnit(u);
  if (!ins.ok()) return DbError(ins.status());
  lane.units[u.id()] = *ins;
  AddChange(lane, pv1::CHANGE_KIND_UNIT_CREATED, u.agency_code(), absl::StrCat(u.id()));
  ++changed[u.agency_code()];
  return Result{Outcome::kInserted, "", ""};
}

Importer::Result Importer::ApplyPosition(Lane& lane, Tx& tx, const pv1::Position& p,
                                         std::map<std::string, int>& changed) {
  auto existing = FindPosition(lane, tx, p.code());
  if (!existing.ok()) return DbError(existing.status());
  if (*existing && MessageDifferencer::Equivalent(p, **existing)) {
    return Result{Outcome::kUnchanged, "", ""};
  }
  if (!scope_.may_write_positions) {
    return Rejected("position.code",
                    *existing ? kPositionChangeNeedsAdmin : kPositionCreateNeedsAdmin);
  }
  if (*existing) {
    if (auto st = tx.UpdatePosition(p); !st.ok()) return DbError(st);
    lane.positions[p.code()] = p;
    ++changed[""];
    return Result{Outcome::kUpdated, "", ""};
  }
  if (auto st = tx.InsertPosition(p); !st.ok()) return DbError(st);
  lane.positions[p.code()] = p;
  AddChange(lane, pv1::CHANGE_KIND_POSITION_CREATED, "", p.code());
  ++changed[""];
  return Result{Outcome::kInserted, "", ""};
}

Importer::Result Importer::ApplyEmployee(Lane& lane, Tx& tx, pv1::Employee e,
                                         std::map<std::string, int>& changed) {
  auto unit = FindUnit(lane, tx, e.unit_id());
  if (!unit.ok()) return DbError(unit.status());
  if (!*unit)
    return Rejected("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " does not exist"));
  if (!scope_.agency.empty() && (*unit)->agency_code() != scope_.agency) {
    return Rejected("employee.unit_id", kOutsideScope);
  }
  auto pos = FindPosition(lane, tx, e.position_code());
  if (!pos.ok()) return DbError(pos.status());
  if (!*pos) {
    return Rejected("employee.position_code",
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
      return Rejected("employee.nip", kOutsideScope);
    }
    old.clear_etag();
    old.clear_version();
    if (MessageDifferencer::Equivalent(e, old)) return Result{Outcome::kUnchanged, "", ""};
    if (old.unit_id() != e.unit_id() && !(*unit)->active()) {
      return Rejected("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
    }
    if (old.unit_id() != e.unit_id() || old.position_code() != e.position_code()) {
      if (auto p = lane.latest_placements.find(e.nip()); p != lane.latest_placements.end()) {
        const char* field =
            old.unit_id() != e.unit_id() ? "employee.unit_id" : "employee.position_code";
        if (auto conflict = TransferConflict(p->second, field)) return *conflict;
      }
    }
    auto upd = tx.UpdateEmployee(e, -1, pv1::PLACEMENT_REASON_CORRECTION, "");
    if (!upd.ok()) return DbError(upd.status());
    it->second = *upd;
    AddChange(lane, pv1::CHANGE_KIND_EMPLOYEE_UPDATED, e.agency_code(), e.nip());
    ++changed[e.agency_code()];
    return Result{Outcome::kUpdated, "", ""};
  }
  if (!(*unit)->active()) {
    return Rejected("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
  }
  e.set_version(1);
  e.set_etag("1");
  AddChange(lane, pv1::CHANGE_KIND_EMPLOYEE_CREATED, e.agency_code(), e.nip());
  ++changed[e.agency_code()];
  lane.new_index.emplace(e.nip(), lane.new_employees.size());
  lane.new_employees.push_back(std::move(e));
  return Result{Outcome::kInserted, "", ""};
}

}  // namespace seimbang::personnel
