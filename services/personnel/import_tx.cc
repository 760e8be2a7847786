#include "services/personnel/import_tx.h"

#include <utility>

#include "common/db/time_format.h"

namespace seimbang::personnel {
namespace {

constexpr char kSavepoint[] = "SAVEPOINT seimbang_import_batch";
constexpr char kRelease[] = "RELEASE SAVEPOINT seimbang_import_batch";
constexpr char kRollbackTo[] = "ROLLBACK TO SAVEPOINT seimbang_import_batch";

// The columns of `changes` without its sequence. InnoDB, so a savepoint rollback undoes the
// staged rows with the batch's data (a MEMORY or Aria table would keep them).
constexpr char kCreateStaging[] =
    "CREATE TEMPORARY TABLE import_changes ("
    "sequence BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
    "kind INT NOT NULL, "
    "agency_code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '', "
    "resource_id VARCHAR(128) NOT NULL, "
    "change_time_ms BIGINT NOT NULL, "
    "plan_id VARCHAR(128) NOT NULL DEFAULT '') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
constexpr char kDropStaging[] = "DROP TEMPORARY TABLE IF EXISTS import_changes";
constexpr char kPublish[] =
    "INSERT INTO changes (kind, agency_code, resource_id, change_time_ms, plan_id) "
    "SELECT kind, agency_code, resource_id, change_time_ms, plan_id FROM import_changes "
    "ORDER BY sequence";

}  // namespace

ImportTx::ImportTx(db::PooledConnection conn)
    : conn_(std::move(conn)), tx_(std::make_unique<Tx>(conn_.get())) {}

absl::StatusOr<std::unique_ptr<ImportTx>> ImportTx::Begin(db::Pool& pool) {
  auto conn = pool.Acquire();
  if (!conn.ok()) return conn.status();
  std::unique_ptr<ImportTx> t(new ImportTx(std::move(*conn)));
  db::Connection& c = t->conn_.get();
  if (c.dialect() == db::Dialect::kMysql) {
    // Temporary-table DDL does not commit implicitly, but it is kept outside the transaction
    // anyway. A table left by an earlier import on this pooled connection is dropped first.
    if (auto n = c.Execute(kDropStaging); !n.ok()) return n.status();
    if (auto n = c.Execute(kCreateStaging); !n.ok()) return n.status();
    t->staging_ = true;
  }
  if (auto st = c.Begin(); !st.ok()) return st;
  return t;
}

ImportTx::~ImportTx() { Rollback(); }

absl::Status ImportTx::Savepoint() { return conn_->Execute(kSavepoint).status(); }

absl::Status ImportTx::Release() { return conn_->Execute(kRelease).status(); }

absl::Status ImportTx::RollbackToSavepoint() {
  if (auto n = conn_->Execute(kRollbackTo); !n.ok()) return n.status();
  // SQLite keeps the savepoint after ROLLBACK TO (a later SAVEPOINT would nest under it).
  return Release();
}

absl::Status ImportTx::StageChanges(const std::vector<pv1::WatchChangesResponse>& changes) {
  if (changes.empty()) return absl::OkStatus();
  if (!staging_) return tx_->WriteChanges(changes);  // SQLite: one writer, the feed is ours
  static const std::vector<std::string> kColumns = {"kind", "agency_code", "resource_id",
                                                    "change_time_ms", "plan_id"};
  const int64_t now = db::NowUnixMillis();
  std::vector<db::Params> rows;
  rows.reserve(changes.size());
  for (const auto& c : changes) {
    rows.push_back({db::Int(c.kind()), db::Text(c.agency_code()), db::Text(c.resource_id()),
                    db::Int(now), db::Text(c.plan_id())});
  }
  staged_ += static_cast<int64_t>(rows.size());
  return conn_->InsertRows("import_changes", kColumns, rows).status();
}

absl::Status ImportTx::Commit() {
  db::Connection& c = conn_.get();
  if (!c.in_transaction()) return absl::FailedPreconditionError("import transaction is not open");
  if (staging_ && staged_ > 0) {
    // From here to the COMMIT the feed is locked: sequences become visible in order.
    absl::Status st = tx_->LockChangeFeed();
    if (st.ok()) st = c.Execute(kPublish).status();
    if (!st.ok()) {
      Rollback();
      return st;
    }
  }
  absl::Status st = c.Commit();
  DropStagingTable();
  return st;
}

void ImportTx::Rollback() {
  db::Connection& c = conn_.get();
  if (c.in_transaction()) c.Rollback().IgnoreError();
  DropStagingTable();
}

void ImportTx::DropStagingTable() {
  if (!staging_) return;
  staging_ = false;
  conn_->Execute(kDropStaging).IgnoreError();
}

}  // namespace seimbang::personnel
