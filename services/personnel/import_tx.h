#ifndef SEIMBANG_SERVICES_PERSONNEL_IMPORT_TX_H_
#define SEIMBANG_SERVICES_PERSONNEL_IMPORT_TX_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "services/personnel/repository.h"

namespace seimbang::personnel {

// Part of the repository layer (its SQL lives here): the one long transaction of an import lane.
//
// An ImportRecords stream applies nothing until the client's half-close, so each lane of the
// Importer keeps one transaction open on its own pooled connection from its first batch to the
// end of the stream. Each batch runs under a savepoint (Savepoint / Release / RollbackToSavepoint)
// so a failing batch can be undone and replayed row by row without losing the batches before it.
//
// Change-feed rows must commit in sequence order (Tx::LockChangeFeed), so a lane cannot write
// them into `changes` while its transaction stays open: that would hold the feed lock for the
// whole import and block every other writer. On MySQL/MariaDB StageChanges appends them to an
// unlinked temporary file (the spool: in $TMPDIR, gone with the process, so memory stays flat
// however long the stream), cut back to the savepoint's length when a batch is rolled back, and
// Commit loads it into the feed under the lock just before COMMIT (db::Connection::LoadDataFile).
// Where LOAD DATA LOCAL is refused they wait in a temporary table private to the connection
// (`import_changes`, gone with the session) and Commit copies them. On SQLite (one writer, one
// lane) they go straight into the feed.
//
// Destroying an ImportTx that was not committed rolls it back: nothing of it is ever visible.
class ImportTx {
 public:
  // Takes a connection from the pool and begins the transaction.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<ImportTx>> Begin(db::Pool& pool);
  ~ImportTx();
  ImportTx(const ImportTx&) = delete;
  ImportTx& operator=(const ImportTx&) = delete;

  Tx& tx() { return *tx_; }
  // Whether this connection loads files (LOAD DATA LOCAL, asked at Begin); fixed at Begin, so
  // any thread may ask while another uses the connection.
  bool loads_data_files() const { return spool_ >= 0; }

  // One batch: Savepoint, then Release on success or RollbackToSavepoint on failure. A failed
  // RollbackToSavepoint (the engine already rolled the whole transaction back, e.g. after a
  // deadlock) means the lane is lost: the import must fail.
  [[nodiscard]] absl::Status Savepoint();
  [[nodiscard]] absl::Status Release();
  [[nodiscard]] absl::Status RollbackToSavepoint();

  // Change-feed rows of this lane, in the order given; loaded into the feed by Commit.
  [[nodiscard]] absl::Status StageChanges(const std::vector<pv1::WatchChangesResponse>& changes);

  // Loads the staged change-feed rows into the feed (locking it until the commit), then
  // commits. On failure the transaction is rolled back.
  [[nodiscard]] absl::Status Commit();
  // Rolls back (also done by the destructor).
  void Rollback();

 private:
  explicit ImportTx(db::PooledConnection conn);
  void DropStagingTable();

  // Appends the feed rows to the spool file.
  absl::Status Spool(const std::vector<pv1::WatchChangesResponse>& changes, int64_t now);

  db::PooledConnection conn_;
  std::unique_ptr<Tx> tx_;
  bool staging_ = false;  // import_changes exists on this connection
  int64_t staged_ = 0;
  int spool_ = -1;  // the spool file, when staging there
  // The spool's length in bytes and rows, now and at the savepoint.
  int64_t spool_bytes_ = 0, spool_rows_ = 0, saved_bytes_ = 0, saved_rows_ = 0;
};

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_IMPORT_TX_H_
