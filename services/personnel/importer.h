#ifndef SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_
#define SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_

#include <cstdint>
#include <future>
#include <map>
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
};

// ImportRecords: validates rows in memory, applies them in batches of kBatchSize per
// transaction, and on an unexpected database error replays that batch row by row so only the
// bad row is rejected. Rows are upserted by natural key and counted as inserted, updated,
// unchanged or rejected; a rejected row changes nothing.
//
// A full batch is validated and applied on a worker thread while the caller keeps receiving the
// next one (the stream and the database overlap); batches still run one at a time, in order.
class Importer {
 public:
  static constexpr size_t kBatchSize = 500;

  Importer(Repository& repo, ImportScope scope, AuditContext audit, domain::Date today,
           bool dry_run);
  // Waits for a batch still being applied.
  ~Importer();

  // Buffers the row; hands a batch to the worker when kBatchSize rows are waiting. A non-OK
  // status is a database outage met by an earlier batch (the import stops); bad rows are
  // recorded, never returned here.
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

  // Waits for the batch in flight, if any, and returns its status.
  absl::Status Wait();
  absl::Status Flush(std::vector<Row> batch);
  // Applies rows in one transaction; rejections of single rows do not abort it.
  absl::Status ApplyAll(const std::vector<Row*>& rows, std::vector<Result>& results);
  Result ApplyOne(Tx& tx, Row& row, std::map<std::string, int>& changed_agencies);
  void Reject(const Row& row, const std::string& field, const std::string& reason);
  static std::string NaturalKey(const pv1::ImportRecordsRequest& r);

  // Committed rows we have seen, so references do not cost a query per row. Cleared when a
  // transaction rolls back, since it may hold rows that were never committed.
  absl::StatusOr<std::optional<pv1::Unit>> FindUnit(Tx& tx, int64_t id);
  absl::StatusOr<std::optional<pv1::Position>> FindPosition(Tx& tx, const std::string& code);
  absl::StatusOr<bool> AgencyExists(Tx& tx, const std::string& code);

  Repository& repo_;
  ImportScope scope_;
  AuditContext audit_;
  domain::Date today_;
  bool dry_run_;
  std::vector<Row> pending_;
  int64_t received_ = 0;                 // counted by the caller's thread
  std::future<absl::Status> in_flight_;  // the batch being applied by the worker
  cv1::ImportSummary summary_;           // written only by Flush (one batch at a time)
  std::map<int64_t, pv1::Unit> units_;
  std::map<std::string, pv1::Position> positions_;
  std::map<std::string, bool> agencies_;
  std::map<std::string, pv1::Employee> existing_employees_;  // prefetched per batch
  // Written with multi-row statements at the end of each batch's transaction; new_index_ finds
  // an employee inserted earlier in the same batch by NIP.
  std::vector<pv1::Employee> new_employees_;
  std::map<std::string, size_t> new_index_;
  std::vector<pv1::WatchChangesResponse> changes_;
  void AddChange(pv1::ChangeKind kind, const std::string& agency, const std::string& resource);
};

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_IMPORTER_H_
