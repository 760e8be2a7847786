#include "tests/support/test_db.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/db/pool.h"

namespace seimbang::testsupport {
namespace {

std::atomic<int> counter{0};

absl::StatusOr<std::string> ReadHarnessFile(std::string_view name) {
  const char* env = std::getenv("SEIMBANG_TEST_MARIADB_DSN_FILE");
  if (env == nullptr || *env == '\0') {
    return absl::FailedPreconditionError(
        "SEIMBANG_TEST_MARIADB_DSN_FILE is not set: run MariaDB tests through ctest (fixture "
        "mariadb.start) or start tests/harness/mariadb.sh start DIR and export "
        "SEIMBANG_TEST_MARIADB_DSN_FILE=DIR/dsn");
  }
  std::string path = env;
  if (name != "dsn") {
    size_t slash = path.rfind('/');
    path = (slash == std::string::npos ? "" : path.substr(0, slash + 1)) + std::string(name);
  }
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat(
        "MariaDB test harness file ", path,
        " is missing: the mariadb.start fixture did not run or failed (see its output), or run "
        "tests/harness/mariadb.sh start ",
        path.substr(0, path.rfind('/'))));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string dsn(absl::StripAsciiWhitespace(text.str()));
  if (dsn.empty()) return absl::FailedPreconditionError(absl::StrCat(path, " is empty"));
  return dsn;
}

// Base DSNs end in "/" or "/?socket=..."; the database name goes right after the "/".
std::string WithDatabase(const std::string& base, std::string_view db) {
  size_t query = base.find('?');
  std::string head = base.substr(0, query);
  std::string tail = query == std::string::npos ? "" : base.substr(query);
  if (!head.empty() && head.back() == '/') head.pop_back();
  return head + "/" + std::string(db) + tail;
}

absl::StatusOr<std::string> FreshFrom(std::string_view file, std::string_view prefix) {
  absl::StatusOr<std::string> base = ReadHarnessFile(file);
  if (!base.ok()) return base.status();
  std::string db;
  for (char c : prefix) db.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '_');
  absl::StrAppend(&db, "_", getpid(), "_", counter.fetch_add(1));
  db::PoolOptions options;
  options.max_connections = 1;
  // The always-present `mysql` schema serves to connect before our database exists.
  absl::StatusOr<std::unique_ptr<db::Pool>> admin =
      db::Pool::Open(WithDatabase(*base, "mysql"), options);
  if (!admin.ok()) return admin.status();
  absl::StatusOr<db::PooledConnection> conn = (*admin)->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<int64_t> created = (*conn)->Execute(
      absl::StrCat("CREATE DATABASE `", db, "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
  if (!created.ok()) return created.status();
  return WithDatabase(*base, db);
}

}  // namespace

absl::StatusOr<std::string> FreshMariaDbDsn(std::string_view prefix) {
  return FreshFrom("dsn", prefix);
}

absl::StatusOr<std::string> FreshMariaDbSocketDsn(std::string_view prefix) {
  return FreshFrom("socket_dsn", prefix);
}

namespace {

// The files RemoveAtExit was given.
class FilesToRemove {
 public:
  void Add(std::string path) {
    std::lock_guard<std::mutex> lock(mu_);
    paths_.push_back(std::move(path));
  }
  ~FilesToRemove() {
    for (const std::string& p : paths_) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::remove((p + suffix).c_str());
      }
    }
  }

 private:
  std::mutex mu_;
  std::vector<std::string> paths_;
};

FilesToRemove& ToRemove() {
  static FilesToRemove files;
  return files;
}

}  // namespace

void RemoveAtExit(std::string path) { ToRemove().Add(std::move(path)); }

std::string FreshSqliteDsn() {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  std::random_device random;
  std::string path = absl::StrCat(dir, "/seimbang_test_", getpid(), "_", counter.fetch_add(1), "_",
                                  random(), ".db");
  RemoveAtExit(path);
  return "sqlite:" + path;
}

absl::Status AgePlanSubmission(const std::string& dsn, const std::string& plan_id, int days) {
  db::PoolOptions options;
  options.max_connections = 1;
  absl::StatusOr<std::unique_ptr<db::Pool>> pool = db::Pool::Open(dsn, options);
  if (!pool.ok()) return pool.status();
  absl::StatusOr<db::PooledConnection> conn = (*pool)->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<int64_t> n =
      (*conn)->Execute("UPDATE plans SET submit_time_ms = submit_time_ms - ? WHERE id = ?",
                       {db::Int(int64_t{days} * 24 * 3600 * 1000), db::Text(plan_id)});
  if (!n.ok()) return n.status();
  if (*n != 1) return absl::NotFoundError(absl::StrCat("plan ", plan_id, " not stored"));
  return absl::OkStatus();
}

absl::StatusOr<std::string> FreshDsn(std::string_view engine, std::string_view prefix) {
  if (engine == "sqlite") return FreshSqliteDsn();
  return FreshMariaDbDsn(prefix);
}

absl::StatusOr<std::unique_ptr<db::Pool>> FreshMigratedPool(
    std::string_view engine, std::string_view prefix, std::string_view service,
    const std::function<std::vector<db::Migration>(db::Dialect)>& migrations) {
  absl::StatusOr<std::string> dsn = FreshDsn(engine, prefix);
  if (!dsn.ok()) return dsn.status();
  absl::StatusOr<std::unique_ptr<db::Pool>> pool = db::Pool::Open(*dsn);
  if (!pool.ok()) return pool.status();
  absl::Status migrated = db::Migrate(**pool, service, migrations((*pool)->dialect()));
  if (!migrated.ok()) return migrated;
  return pool;
}

}  // namespace seimbang::testsupport
