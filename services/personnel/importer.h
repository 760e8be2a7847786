#ifndef SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_
#define SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_

#include <cstdint>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/domain/date.h"
#include "services/personnel/repository.h"

namespace seimbang::personnel {

// Who may import what: empty agency = every agency (admin, service).
struct ImportScope {
  std::string agency;
  // The position catalogue is shared by all agencies: only an admin's import may create or
  // change a position; anyone else's position rows must match the catalogue (counted
  // unchanged) or are rejected (issue 15 item 4).
  bool may_write_positions = false;
};

// ImportRecords: validates rows in memory, applies them in batches of kBatchSize per
// transaction, and on an unexpected database error replays that batch row by row so only the
// bad row is rejected. Rows are upserted by natural key and counted as inserted, updated,
// unchanged or rejected; a rejected row changes nothing.
//
// Full batches are validated and applied by worker lanes while the caller keeps receiving the
// stream: one lane on SQLite (one writer), kMysqlLanes on MySQL/MariaDB, each batch in its own
// transaction on its own connection. The outcome is the same as applying the batches one by one
// in stream order: a batch waits for every batch in flight that holds one of its NIPs, and a
// batch with agencies, units or positions waits for all batches before it and holds back all
// after it (employees may refer to them). Change-feed rows still commit in sequence order
// (Tx::LockChangeFeed).
class Importer {
 public:
  static constexpr size_t kBatchSize = 500;
  static constexpr int kMysqlLanes = 3;

  Importer(Repository& repo, ImportScope scope, AuditContext audit, domain::Date today,
           bool dry_run);
  // Waits for the batches still being applied.
  ~Importer();

  // Buffers the row; hands a batch to a lane when kBatchSize rows are waiting. A non-OK status
  // is a database outage met by an earlier batch (the import stops); bad rows are recorded,
  // never returned here.
  [[nodiscard]] absl::Status Add(int64_t sequence, pv1::ImportRecordsRequest row);
  // Applies the rest and returns the summary (errors in sequence order).
  [[nodiscard]] absl::StatusOr<cv1::ImportSummary> Finish();

 private:
  struct Row {
    int64_t sequence = 0;
    pv1::ImportRecordsRequest record;
  };
  enum class Outcome { kInserted, kUpdated, kUnchanged, kRejected };
  struct Result {
    Outcome outcome = Outcome::kRejected;
    std::string field;
    std::string reason;
  };
  // One worker: the batch it has in flight, what that batch touches, and the lane's own caches
  // and counts (only its own batches write them, one at a time).
  struct Lane {
    std::future<absl::Status> in_flight;
    bool barrier = false;        // the batch in flight holds agencies, units or positions
    std::set<std::string> nips;  // the employees of the batch in flight
    int64_t generation = 0;      // barrier batches dispatched when the caches were filled
    cv1::ImportSummary summary;
    // Committed rows seen, so references do not cost a query per row. Cleared when a
    // transaction rolls back (it may hold rows never committed) and after a barrier batch.
    std::map<int64_t, pv1::Unit> units;
    std::map<std::string, pv1::Position> positions;
    std::map<std::string, bool> agencies;
    std::map<std::string, pv1::Employee> existing_employees;  // prefetched per batch
    // Written in bulk at the end of each batch's transaction; new_index finds an employee
    // inserted earlier in the same batch by NIP.
    std::vector<pv1::Employee> new_employees;
    std::map<std::string, size_t> new_index;
    std::vector<pv1::WatchChangesResponse> changes;
  };

  // Waits for the lane's batch in flight, if any, and returns its status.
  static absl::Status Wait(Lane& lane);
  absl::Status WaitAll();
  // Starts the batch on the next lane once nothing in flight conflicts with it.
  absl::Status Dispatch(std::vector<Row> batch);
  absl::Status Flush(Lane& lane, std::vector<Row> batch);
  // Applies rows in one transaction; rejections of single rows do not abort it.
  absl::Status ApplyAll(Lane& lane, const std::vector<Row*>& rows, std::vector<Result>& results);
  Result ApplyOne(Lane& lane, Tx& tx, Row& row, std::map<std::string, int>& changed_agencies);
  static void Reject(Lane& lane, const Row& row, const std::string& field,
                     const std::string& reason);
  static std::string NaturalKey(const pv1::ImportRecordsRequest& r);
  static void ClearCaches(Lane& lane);

  absl::StatusOr<std::optional<pv1::Unit>> FindUnit(Lane& lane, Tx& tx, int64_t id);
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
  std::vector<Row> pending_;
  int64_t received_ = 0;  // counted by the caller's thread
  std::vector<Lane> lanes_;
  size_t next_lane_ = 0;
  int64_t barrier_generation_ = 0;
};

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_
