#include "services/personnel/import_tx.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "services/personnel/repository_rows.h"

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
  if (c.dialect() == db::Dialect::kMysql && c.loads_data_files()) {
    const char* dir = std::getenv("TMPDIR");
    t->spool_ =
        open(dir != nullptr && *dir != '\0' ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    // A server that refuses LOAD DATA LOCAL says so only when asked: ask with the empty spool
    // (nothing is loaded) before relying on it at commit time.
    if (t->spool_ >= 0 &&
        !c.LoadDataFile("changes", repository_rows::ChangeColumns(), t->spool_, 0).ok()) {
      close(t->spool_);
      t->spool_ = -1;
    }
  }
  if (c.dialect() == db::Dialect::kMysql && t->spool_ < 0) {
    // Temporary-table DDL does not commit implicitly, but it is kept outside the transaction
    // anyway. A table left by an earlier import on this pooled connection is dropped first.
    if (auto n = c.Execute(kDropStaging); !n.ok()) return n.status();
    if (auto n = c.Execute(kCreateStaging); !n.ok()) return n.status();
    t->staging_ = true;
  }
  if (auto st = c.Begin(); !st.ok()) return st;
  return t;
}

ImportTx::~ImportTx() {
  Rollback();
  if (spool_ >= 0) close(spool_);
}

absl::Status ImportTx::Savepoint() {
  saved_bytes_ = spool_bytes_;
  saved_rows_ = spool_rows_;
  return conn_->Execute(kSavepoint).status();
}

absl::Status ImportTx::Release() { return conn_->Execute(kRelease).status(); }

absl::Status ImportTx::RollbackToSavepoint() {
  if (auto n = conn_->Execute(kRollbackTo); !n.ok()) return n.status();
  if (spool_ >= 0 && spool_bytes_ != saved_bytes_) {
    // The feed rows staged since the savepoint go with it.
    if (ftruncate(spool_, saved_bytes_) != 0) {
      return absl::InternalError(absl::StrCat("import spool: ftruncate: errno ", errno));
    }
    spool_bytes_ = saved_bytes_;
    spool_rows_ = saved_rows_;
  }
  // SQLite keeps the savepoint after ROLLBACK TO (a later SAVEPOINT would nest under it).
  return Release();
}

absl::Status ImportTx::Spool(const std::vector<pv1::WatchChangesResponse>& changes, int64_t now) {
  std::string data;
  data.reserve(changes.size() * 64);  // a feed row is about 50 characters
  for (const auto& c : changes) db::AppendLoadDataRow(repository_rows::ChangeParams(c, now), data);
  for (size_t done = 0; done < data.size();) {
    const ssize_t n = pwrite(spool_, data.data() + done, data.size() - done,
                             static_cast<off_t>(spool_bytes_ + static_cast<int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::InternalError(absl::StrCat("import spool: write: errno ", errno));
    done += static_cast<size_t>(n);
  }
  spool_bytes_ += static_cast<int64_t>(data.size());
  spool_rows_ += static_cast<int64_t>(changes.size());
  return absl::OkStatus();
}

absl::Status ImportTx::StageChanges(const std::vector<pv1::WatchChangesResponse>& changes) {
  if (changes.empty()) return absl::OkStatus();
  const int64_t now = db::NowUnixMillis();
  if (spool_ >= 0) return Spool(changes, now);
  if (!staging_) return tx_->WriteChanges(changes);  // SQLite: one writer, the feed is ours
  std::vector<db::Params> rows;
  rows.reserve(changes.size());
  for (const auto& c : changes) rows.push_back(repository_rows::ChangeParams(c, now));
  staged_ += static_cast<int64_t>(rows.size());
  return conn_->InsertRows("import_changes", repository_rows::ChangeColumns(), rows).status();
}

absl::Status ImportTx::Commit() {
  db::Connection& c = conn_.get();
  if (!c.in_transaction()) return absl::FailedPreconditionError("import transaction is not open");
  if ((staging_ && staged_ > 0) || spool_rows_ > 0) {
    // From here to the COMMIT the feed is locked: sequences become visible in order.
    absl::Status st = tx_->LockChangeFeed();
    if (st.ok()) {
      st = spool_rows_ > 0
               ? c.LoadDataFile("changes", repository_rows::ChangeColumns(), spool_, spool_rows_)
                     .status()
               : c.Execute(kPublish).status();
    }
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
