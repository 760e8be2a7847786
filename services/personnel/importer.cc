#include "services/personnel/importer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "common/errors/status_macros.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {
namespace {

// Errors after which the lane's transaction cannot go on: the connection is gone, or the engine
// rolled the whole transaction back (a deadlock; a lock wait timeout is treated the same). The
// import fails and, never committed, applies nothing; the client may simply send it again.
bool LosesTheLane(const absl::Status& st) {
  return absl::IsUnavailable(st) || absl::IsDeadlineExceeded(st) || db::IsRetryable(st);
}

// A savepoint that cannot be set: the transaction is gone.
absl::Status Lost(const absl::Status& st) {
  return LosesTheLane(st)
             ? st
             : db::RetryableAbortedError(absl::StrCat("import transaction lost: ", st.message()));
}

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
  for (Lane& lane : lanes_) {
    // The last employee batch of each lane is still held (ApplyPipelined).
    if (auto st = WriteHeld(lane); !st.ok()) return st;
  }
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
  for (const Lane& lane : lanes_) {
    if (lane.held) return absl::InternalError("import committed before Finish wrote its rows");
  }
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
  // 2. Agencies, units and positions at once (the rows after them need them); employees
  // overlapping with the held batch's writes.
  if (!lane.barrier) return ApplyPipelined(lane, std::move(batch), std::move(valid));
  SEIMBANG_RETURN_IF_ERROR(WriteHeld(lane));
  return ApplyNow(lane, valid);
}

absl::Status Importer::ApplyNow(Lane& lane, const std::vector<Row*>& valid) {
  // The whole batch under one savepoint of the lane's transaction.
  std::vector<Result> results;
  absl::Status st = ApplyAll(lane, valid, results);
  if (st.ok()) {
    for (size_t i = 0; i < valid.size(); ++i) Count(lane, *valid[i], results[i]);
    return absl::OkStatus();
  }
  if (LosesTheLane(st)) return st;
  // 3. Something unexpected failed: row by row, so only the culprit is rejected.
  return ApplyOneByOne(lane, valid);
}

absl::Status Importer::ApplyOneByOne(Lane& lane, const std::vector<Row*>& rows) {
  for (Row* row : rows) {
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

// On the lane's connection, in order: [savepoint] prefetch(N), writes(N-1), release, savepoint,
// the updates of N, prefetch(N+1), writes(N), ... The prefetch of N runs before the writes of
// N-1, so the employees N-1 inserts are taken from the held batch instead; every other row of
// N-1 (its updates) was written while N-1 was applied. The lane's own statements wait for the
// writer (Await), so the connection serves one thread at a time. The employees of N that this
// import has not written (WrittenNips) are read on the lane's reader while writes(N-1) run: they
// are committed rows, which any connection sees (and sees as they are now, not as when the
// lane's transaction began).
absl::Status Importer::ApplyPipelined(Lane& lane, std::vector<Row> batch, std::vector<Row*> valid) {
  ImportTx& txn = *lane.txn;
  if (!lane.held) {
    if (auto st = txn.Savepoint(); !st.ok()) return Lost(st);
  }
  std::vector<Result> results;
  std::vector<std::string> elsewhere;  // read on the reader while the writer runs
  db::Connection* reader = Reader(lane);
  absl::Status applied = Prefetch(lane, txn.tx(), valid, reader != nullptr ? &elsewhere : nullptr);
  if (lane.held) {
    const BatchWrites& prev = lane.held->writes;
    for (Row* r : valid) {
      if (!r->record.has_employee()) continue;
      const std::string& nip = r->record.employee().nip();
      if (auto n = prev.new_index.find(nip); n != prev.new_index.end()) {
        lane.existing_employees[nip] = prev.new_employees[n->second];
      }
    }
    lane.writer = std::async(std::launch::async, [this, &txn, &prev]() {
      absl::Status st = Write(txn, prev);
      if (st.ok()) st = txn.Release();
      if (st.ok()) st = txn.Savepoint();  // the savepoint of the batch being applied
      return st;
    });
  }
  if (applied.ok() && !elsewhere.empty()) {
    applied = ReadEmployees(lane, *reader, elsewhere);
    if (!applied.ok()) {
      // The reader failed: this batch and the next read on the lane's own connection.
      lane.reader.reset();
      applied = Await(lane);
      if (applied.ok()) applied = ReadEmployees(lane, txn.tx().conn(), std::move(elsewhere));
    }
  }
  if (applied.ok()) applied = ApplyRows(lane, txn.tx(), valid, results);
  if (absl::Status written = Await(lane); !written.ok()) {
    // Nothing of this batch touched the connection after the held writes failed.
    lane.written = absl::OkStatus();
    lane.writes = BatchWrites();
    SEIMBANG_RETURN_IF_ERROR(RecoverHeld(lane, written));
    return ApplyNow(lane, valid);
  }
  if (lane.held) {
    for (size_t i = 0; i < lane.held->valid.size(); ++i) {
      Count(lane, *lane.held->valid[i], lane.held->results[i]);
    }
    lane.held.reset();
  }
  if (!applied.ok()) {
    lane.writes = BatchWrites();
    SEIMBANG_RETURN_IF_ERROR(Undo(lane, applied));
    if (LosesTheLane(applied)) return applied;
    return ApplyOneByOne(lane, valid);
  }
  lane.held = HeldBatch{std::move(batch), std::move(valid), std::move(results),
                        std::exchange(lane.writes, BatchWrites())};
  return absl::OkStatus();
}

absl::Status Importer::WriteHeld(Lane& lane) {
  if (!lane.held) return absl::OkStatus();
  ImportTx& txn = *lane.txn;
  absl::Status st = Write(txn, lane.held->writes);
  if (st.ok()) st = txn.Release();
  if (!st.ok()) return RecoverHeld(lane, st);
  for (size_t i = 0; i < lane.held->valid.size(); ++i) {
    Count(lane, *lane.held->valid[i], lane.held->results[i]);
  }
  lane.held.reset();
  return absl::OkStatus();
}

absl::Status Importer::RecoverHeld(Lane& lane, const absl::Status& st) {
  HeldBatch held = std::move(*lane.held);
  lane.held.reset();
  SEIMBANG_RETURN_IF_ERROR(Undo(lane, st));
  if (LosesTheLane(st)) return st;
  return ApplyOneByOne(lane, held.valid);
}

absl::Status Importer::Await(Lane& lane) {
  if (lane.writer.valid()) lane.written = lane.writer.get();
  return lane.written;
}

absl::Status Importer::Undo(Lane& lane, const absl::Status& st) {
  // Back to the state before the batch; the caches may hold rows it wrote.
  ClearCaches(lane);
  if (absl::Status undone = lane.txn->RollbackToSavepoint(); !undone.ok()) {
    // The engine rolled the whole transaction back (a deadlock) or the connection is gone:
    // the batches before are lost too, so the import must fail (and must not go on outside
    // a transaction, where every statement would commit at once).
    return LosesTheLane(st)
               ? st
               : db::RetryableAbortedError(absl::StrCat(
                     "import transaction lost (", undone.message(), ") after: ", st.message()));
  }
  return absl::OkStatus();
}

absl::Status Importer::ApplyRows(Lane& lane, Tx& tx, const std::vector<Row*>& rows,
                                 std::vector<Result>& results) {
  results.clear();
  lane.writes = BatchWrites();
  for (Row* r : rows) {
    results.push_back(ApplyOne(lane, tx, *r));
    const Result& res = results.back();
    if (res.outcome == Outcome::kRejected && res.field == "!db") {
      return absl::InternalError(res.reason);
    }
    if (res.outcome == Outcome::kInserted || res.outcome == Outcome::kUpdated) {
      ++lane.writes.changed;
    }
  }
  // Formatted here, so the writer thread only sends them (ApplyPipelined).
  lane.writes.insert =
      Tx::PrepareNewEmployees(lane.writes.new_employees, lane.txn->loads_data_files());
  return absl::OkStatus();
}

absl::Status Importer::Write(ImportTx& txn, const BatchWrites& writes) {
  Tx& tx = txn.tx();
  SEIMBANG_RETURN_IF_ERROR(tx.InsertEmployees(writes.insert));
  if (writes.changed > 0) {
    // One audit row per agency and batch: per-row audit rows would double the import's cost.
    for (const auto& [agency, n] : writes.changed_agencies) {
      const std::string detail =
          absl::StrCat(n, " rows",
                       scope_.override_transfers ? " (override_transfers: executed transfers may "
                                                   "be undone)"
                                                 : "");
      SEIMBANG_RETURN_IF_ERROR(tx.WriteAudit(audit_, detail, agency));
    }
  }
  // Staged: loaded into the feed, under its lock, only when the import commits (ImportTx).
  return txn.StageChanges(writes.changes);
}

absl::Status Importer::ApplyAll(Lane& lane, const std::vector<Row*>& rows,
                                std::vector<Result>& results) {
  ImportTx& txn = *lane.txn;
  if (auto st = txn.Savepoint(); !st.ok()) return Lost(st);
  absl::Status st = Prefetch(lane, txn.tx(), rows);
  if (st.ok()) st = ApplyRows(lane, txn.tx(), rows, results);
  if (st.ok()) st = Write(txn, lane.writes);
  lane.writes = BatchWrites();
  if (st.ok()) st = txn.Release();
  if (!st.ok()) {
    SEIMBANG_RETURN_IF_ERROR(Undo(lane, st));
    return st;
  }
  if (lane.barrier) {
    // What this barrier wrote, for the other lanes (see overlay_units_).
    for (const auto& [id, u] : lane.units) {
      overlay_units_[id] = u;
      if (!u.external_id().empty()) overlay_external_ids_[{u.agency_code(), u.external_id()}] = id;
    }
    for (const auto& [code, p] : lane.positions) overlay_positions_[code] = p;
    for (const auto& [code, a] : lane.agencies) overlay_agencies_[code] = a;
  }
  return absl::OkStatus();
}

}  // namespace seimbang::personnel
