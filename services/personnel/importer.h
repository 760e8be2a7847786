#ifndef SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_
#define SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_

#include <array>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/domain/date.h"
#include "services/personnel/import_tx.h"
#include "services/personnel/repository.h"

namespace seimbang::personnel {

// The rejection reason for a row outside the caller's agency (importer.cc and importer_apply.cc).
inline constexpr char kOutsideScope[] = "outside caller's agency";

// Who may import what: empty agency = every agency (admin, service).
struct ImportScope {
  std::string agency;
  // The position catalogue is shared by all agencies: only an admin's import may create or
  // change a position; anyone else's position rows must match the catalogue (counted
  // unchanged) or are rejected (issue 15 item 4).
  bool may_write_positions = false;
  // Executed transfers are not undone by an import (issue 18 item 3) unless the file's source
  // is newer than the transfer (`as_of` after the day it was recorded) or the caller overrides.
  std::optional<domain::Date> as_of;
  bool override_transfers = false;
};

// ImportRecords: validates rows in memory, applies them in batches of kBatchSize, and on an
// unexpected database error replays that batch row by row so only the bad row is rejected. Rows
// are upserted by natural key and counted as inserted, updated, unchanged or rejected; a rejected
// row changes nothing.
//
// Nothing is visible before Commit (issue 15 item 8): each lane keeps one transaction open
// (ImportTx) from its first batch to the end of the stream, each batch under a savepoint. Commit,
// called only after the client's half-close, commits the lanes one after the other (lane 0, which
// holds every agency, unit and position row, first); destroying the Importer without Commit rolls
// every lane back. Change-feed rows are staged per lane and loaded into the feed at commit time
// under the feed lock (Tx::LockChangeFeed), so sequences still become visible in order.
//
// Batches are validated and applied by a worker lane while the caller keeps receiving the
// stream, one lane on both engines (kMysqlLanes). The lane machinery (employee rows routed by a
// hash of their NIP, agency, unit and position rows as barrier batches on lane 0 that wait for
// every row before them, the reference overlay through which other lanes would see lane 0's
// uncommitted rows) still works for more lanes, but more than one is wrong on InnoDB while each
// lane's transaction stays open for the whole stream: interleaved inserts into the same key
// range by open transactions wait for each other's next-key locks (left on a split page's
// supremum), and a lane that waits for another lane's uncommitted rows hangs the stream until
// innodb_lock_wait_timeout. RELIABILITY.md "Why one lane" has the evidence and the cost.
//
// Within a lane, an employee batch's bulk writes (new employees and their placements, audit rows,
// staged feed rows) are sent by a writer thread while the lane applies the next batch
// (ApplyPipelined), so the service's work and the database's overlap on one connection and one
// transaction. The next batch reads its existing employees before those writes and takes the
// employees they insert from the held batch instead; it touches the connection only after the
// writer is done (Await). On MySQL/MariaDB the employees a batch names are read on a second
// connection while the writer runs, except those this import may already have written (its
// uncommitted rows are visible only to its own transaction): WrittenNips remembers them.
// If the writes fail, the held batch is undone to its savepoint and
// replayed row by row, and the next batch is applied again from the start: the outcome is that
// of applying the batches one by one in stream order.
class Importer {
 public:
  static constexpr size_t kBatchSize = 5000;
  // Not more than 1: see the class comment.
  static constexpr int kMysqlLanes = 1;

  Importer(Repository& repo, ImportScope scope, AuditContext audit, domain::Date today,
           bool dry_run);
  // Waits for the batches still being applied.
  ~Importer();

  // Buffers the row; hands a batch to a lane when kBatchSize rows are waiting for it. A non-OK
  // status is a database outage (or a lost lane transaction) met by an earlier batch: the import
  // stops and, the Importer being destroyed uncommitted, applies nothing. Bad rows are recorded,
  // never returned here.
  [[nodiscard]] absl::Status Add(int64_t sequence, pv1::ImportRecordsRequest row);
  // Applies the rest and returns the summary (errors in sequence order). Nothing is visible yet.
  [[nodiscard]] absl::StatusOr<cv1::ImportSummary> Finish();
  // After Finish, once the stream ended with the client's half-close: makes every accepted row
  // visible (a dry run commits nothing). Lanes commit one after the other; an error after the
  // first lane committed says so in its message (the rows of the lanes committed stay).
  [[nodiscard]] absl::Status Commit();

 private:
  // The NIPs this import has inserted or updated so far, as a scalable Bloom filter: no false
  // negatives, and a false positive only sends that NIP's read to the lane's own connection.
  // Blocks of doubling capacity (the first for 16,384 NIPs, 24 KiB; 12 bits a NIP, under 0.5%
  // false positives each when full), so a small import costs kilobytes and a national one
  // (5.8 M NIPs) about 12 MiB.
  class WrittenNips {
   public:
    void Add(std::string_view nip);
    bool MayContain(std::string_view nip) const;

   private:
    static constexpr size_t kFirstCapacity = 16384;
    static constexpr int kBitsPerNip = 12;
    static constexpr int kProbes = 5;
    struct Block {
      std::vector<uint64_t> words;
      size_t capacity = 0, size = 0;
    };
    static std::array<uint64_t, kProbes> Bits(std::string_view nip, size_t bits);
    std::vector<Block> blocks_;
  };
  struct Row {
    int64_t sequence = 0;
    pv1::ImportRecordsRequest record;
  };
  enum class Outcome { kInserted, kUpdated, kUnchanged, kRejected, kConflict };
  struct Result {
    Outcome outcome = Outcome::kRejected;
    std::string field;
    std::string reason;
  };
  // What a batch writes in bulk once its rows are applied: the new employees (with their INITIAL
  // placements), one audit row per agency and the change-feed rows. new_index finds an employee
  // inserted earlier in the same batch by NIP.
  struct BatchWrites {
    std::vector<pv1::Employee> new_employees;
    Tx::NewEmployeeRows insert;  // new_employees as rows, made by the lane (ApplyRows)
    std::map<std::string, size_t> new_index;
    std::vector<pv1::WatchChangesResponse> changes;
    std::map<std::string, int> changed_agencies;
    int changed = 0;  // rows inserted or updated
  };
  // An employee batch whose rows are applied (updates written) but whose BatchWrites are not yet
  // sent: they are sent while the lane applies the next batch (ApplyPipelined). Its outcomes are
  // counted only once they are written; if that fails its rows are replayed one by one.
  struct HeldBatch {
    std::vector<Row> rows;  // owns the rows `valid` points to
    std::vector<Row*> valid;
    std::vector<Result> results;
    BatchWrites writes;
  };
  // One worker: its open transaction, the rows waiting for its next batch, the batch it has in
  // flight, and the lane's own caches and counts (only its own batches write them, one at a
  // time).
  struct Lane {
    std::unique_ptr<ImportTx> txn;  // opened by the lane's first batch
    std::vector<Row> pending;       // employee rows routed here, not yet dispatched
    std::future<absl::Status> in_flight;
    bool barrier = false;    // the batch in flight holds agencies, units or positions
    int64_t generation = 0;  // barrier batches dispatched when the caches were filled
    cv1::ImportSummary summary;
    // Rows seen by this lane's transaction, so references do not cost a query per row. Cleared
    // when a batch rolls back to its savepoint (they may hold rows never kept) and after a
    // barrier batch.
    std::map<int64_t, pv1::Unit> units;
    std::map<std::string, pv1::Position> positions;
    std::map<std::string, bool> agencies;
    std::map<std::string, pv1::Employee> existing_employees;  // prefetched per batch
    std::map<std::string, pv1::Placement> latest_placements;  // of those, prefetched too
    WrittenNips written_nips;  // employees this lane's transaction wrote, while it has a reader
    // MySQL/MariaDB: the second connection that reads a batch's employees while the writer
    // runs (none when the pool had none free, or after it failed once).
    std::optional<db::PooledConnection> reader;
    bool reader_tried = false;
    BatchWrites writes;  // of the batch being applied
    std::optional<HeldBatch> held;
    // Sends held->writes on the lane's connection while the lane applies the next batch; the
    // lane touches the connection only after Await.
    std::future<absl::Status> writer;
    absl::Status written;  // the writer's outcome, until the lane has handled a failure
  };

  // Waits for the lane's batch in flight, if any, and returns its status.
  static absl::Status Wait(Lane& lane);
  absl::Status WaitAll();
  // Starts the batch on lanes_[lane] once nothing in flight conflicts with it; a barrier batch
  // (lane 0) waits for every lane.
  absl::Status Dispatch(size_t lane, std::vector<Row> batch, bool barrier);
  // Dispatches every lane's pending rows, then the barrier rows.
  absl::Status DispatchPending();
  absl::Status DispatchBarrier();
  size_t LaneOf(const pv1::ImportRecordsRequest& row) const;
  absl::Status Flush(Lane& lane, std::vector<Row> batch);
  // An employee batch: its rows are applied while the held batch's writes are sent, then it is
  // held in turn. Any failure ends as ApplyNow would: the culprit rows rejected one by one.
  absl::Status ApplyPipelined(Lane& lane, std::vector<Row> batch, std::vector<Row*> valid);
  // Applies and writes the rows at once (agency, unit and position batches; a batch to redo),
  // row by row if the whole batch fails.
  absl::Status ApplyNow(Lane& lane, const std::vector<Row*>& valid);
  // Each row under its own savepoint: only the rows that fail alone are rejected.
  absl::Status ApplyOneByOne(Lane& lane, const std::vector<Row*>& rows);
  // Sends the held batch's writes now and counts its rows (replayed one by one on failure).
  absl::Status WriteHeld(Lane& lane);
  // The held batch's writes failed with `st`: back to its savepoint, its rows one by one.
  absl::Status RecoverHeld(Lane& lane, const absl::Status& st);
  // Waits for the writer, if one runs, and returns its status (kept until handled): when OK the
  // lane's connection is free; when not, the lane must not touch it.
  static absl::Status Await(Lane& lane);
  // Undoes the current batch after `st` (its savepoint); a non-OK return means the lane is lost.
  absl::Status Undo(Lane& lane, const absl::Status& st);
  // The batch's units, positions, employees and their newest placements, read on the lane's
  // connection before any row is applied. With `elsewhere`, the employees this import has not
  // written are left there, for ReadEmployees on the lane's reader.
  absl::Status Prefetch(Lane& lane, Tx& tx, const std::vector<Row*>& rows,
                        std::vector<std::string>* elsewhere = nullptr);
  // Employees by NIP, with the newest placement of each found, into the lane's prefetch maps.
  absl::Status ReadEmployees(Lane& lane, db::Connection& conn, std::vector<std::string> nips);
  // The lane's second connection (MySQL/MariaDB), taken at its first use if the pool has one.
  db::Connection* Reader(Lane& lane);
  // ApplyOne for each row into `results` and lane.writes; a database error fails the batch.
  absl::Status ApplyRows(Lane& lane, Tx& tx, const std::vector<Row*>& rows,
                         std::vector<Result>& results);
  // Sends a batch's bulk writes (Tx::InsertEmployees, audit rows, staged feed rows).
  absl::Status Write(ImportTx& txn, const BatchWrites& writes);
  // Step 1 of Flush: the rows of the batch whose shape and scope are right; the rest rejected.
  std::vector<Row*> CheckShape(Lane& lane, std::vector<Row>& batch);
  // Counts one row's outcome in the lane's summary (a rejection with its reason).
  static void Count(Lane& lane, const Row& row, const Result& res);
  // Applies rows under one savepoint of the lane's transaction (undone on failure); rejections
  // of single rows do not fail it.
  absl::Status ApplyAll(Lane& lane, const std::vector<Row*>& rows, std::vector<Result>& results);
  Result ApplyOne(Lane& lane, Tx& tx, Row& row);
  // One row of each kind (ApplyOne dispatches): an upsert by natural key, or a rejection.
  Result ApplyAgency(Lane& lane, Tx& tx, const pv1::Agency& a, std::map<std::string, int>& changed);
  Result ApplyUnit(Lane& lane, Tx& tx, pv1::Unit u, std::map<std::string, int>& changed);
  // ApplyUnit's end after its insert or update (`written`): the row's rejection or database
  // error, else the unit cached for the lane, its change added and counted for its agency.
  Result UnitWritten(Lane& lane, const pv1::Unit& u, const absl::StatusOr<pv1::Unit>& written,
                     pv1::ChangeKind kind, Outcome outcome, std::map<std::string, int>& changed);
  Result ApplyPosition(Lane& lane, Tx& tx, const pv1::Position& p,
                       std::map<std::string, int>& changed);
  Result ApplyEmployee(Lane& lane, Tx& tx, pv1::Employee e, std::map<std::string, int>& changed);
  // A database error met by one row (replayed alone, it rejects only that row), and a rejection.
  static Result DbError(const absl::Status& st);
  static Result Rejected(std::string field, std::string reason);
  // A row that would undo the executed transfer `p`, unless the scope allows it.
  std::optional<Result> TransferConflict(const pv1::Placement& p, const std::string& field) const;
  static void Reject(Lane& lane, const Row& row, const std::string& field,
                     const std::string& reason);
  static std::string NaturalKey(const pv1::ImportRecordsRequest& r);
  static void ClearCaches(Lane& lane);

  absl::StatusOr<std::optional<pv1::Unit>> FindUnit(Lane& lane, Tx& tx, int64_t id);
  // Employee.unit_external_id: the unit's id (set on `e`), or the row's rejection.
  std::optional<Result> ResolveUnitExternalId(Lane& lane, Tx& tx, pv1::Employee& e);
  absl::StatusOr<std::optional<pv1::Position>> FindPosition(Lane& lane, Tx& tx,
                                                            const std::string& code);
  absl::StatusOr<bool> AgencyExists(Lane& lane, Tx& tx, const std::string& code);
  static void AddChange(Lane& lane, pv1::ChangeKind kind, const std::string& agency,
                        const std::string& resource);

  Repository& repo_;
  ImportScope scope_;
  AuditContext audit_;
  domain::Date today_;
  bool dry_run_;
  std::vector<Row> barrier_rows_;  // agency, unit and position rows waiting for lane 0
  int64_t received_ = 0;           // counted by the caller's thread
  std::vector<Lane> lanes_;
  int64_t barrier_generation_ = 0;
  // What lane 0's barriers wrote (and read), as its transaction sees it: the other lanes'
  // transactions cannot see those uncommitted rows. Written by lane 0 only while it runs a
  // barrier batch (nothing else runs then), read by the others only while no barrier runs.
  std::map<int64_t, pv1::Unit> overlay_units_;
  std::map<std::pair<std::string, std::string>, int64_t> overlay_external_ids_;  // agency, ext
  std::map<std::string, pv1::Position> overlay_positions_;
  std::map<std::string, bool> overlay_agencies_;
};

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_
