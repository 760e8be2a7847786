#include "common/db/migrations.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace seimbang::db {
namespace {

constexpr char kCreateTableSqlite[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " service TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
    " checksum TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (service, version))";
constexpr char kCreateTableMysql[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " service VARCHAR(64) NOT NULL, version INT NOT NULL, name VARCHAR(255) NOT NULL,"
    " checksum CHAR(16) NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (service, version))"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

bool IsBlankOrComment(absl::string_view chunk) {
  for (absl::string_view line : absl::StrSplit(chunk, '\n')) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (!t.empty() && !absl::StartsWith(t, "--") && !absl::StartsWith(t, "#")) return false;
  }
  return true;
}

struct Applied {
  std::string name;
  std::string checksum;
};

absl::Status Validate(const std::vector<Migration>& migrations) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration versions must be positive and strictly increasing; ", m.version,
                       " (", m.name, ") follows ", previous));
    }
    previous = m.version;
  }
  return absl::OkStatus();
}

// Applies `m` unless another process has; `*applied` is set to whether this call did.
absl::Status ApplyOne(Connection& c, absl::string_view service, const Migration& m, bool* applied) {
  *applied = false;
  bool transactional = c.dialect() == Dialect::kSqlite;
  if (transactional) {
    if (absl::Status s = c.Begin(); !s.ok()) return s;
  }
  auto fail = [&](const absl::Status& s) {
    if (c.in_transaction()) c.Rollback().IgnoreError();
    return absl::Status(
        s.code(), absl::StrCat("migration ", m.version, " (", m.name, ") failed: ", s.message()));
  };
  // Another process may have applied it since we looked (SQLite has no outer lock).
  absl::StatusOr<std::optional<Row>> done =
      c.QueryOne("SELECT 1 FROM schema_migrations WHERE service = ? AND version = ?",
                 {std::string(service), int64_t{m.version}});
  if (!done.ok()) return fail(done.status());
  if (done->has_value()) {
    if (c.in_transaction()) return c.Rollback();
    return absl::OkStatus();
  }
  for (const std::string& statement : SplitStatements(m.sql)) {
    if (absl::StatusOr<int64_t> r = c.Execute(statement); !r.ok()) return fail(r.status());
  }
  absl::StatusOr<int64_t> recorded = c.Execute(
      "INSERT INTO schema_migrations (service, version, name, checksum, applied_at)"
      " VALUES (?, ?, ?, ?, ?)",
      {std::string(service), int64_t{m.version}, m.name, MigrationChecksum(m.sql),
       absl::ToUnixMillis(absl::Now())});
  if (!recorded.ok()) return fail(recorded.status());
  if (transactional) {
    if (absl::Status s = c.Commit(); !s.ok()) return fail(s);
  }
  *applied = true;
  return absl::OkStatus();
}

// Checks the applied migrations of `service` against `migrations`; applies the pending ones when
// `applied_count` is set (counting them there), else refuses the first pending one.
absl::Status MigrateLocked(Connection& c, absl::string_view service,
                           const std::vector<Migration>& migrations, int* applied_count) {
  absl::StatusOr<ResultSet> rows = c.Query(
      "SELECT version, name, checksum FROM schema_migrations WHERE service = ? ORDER BY version",
      {std::string(service)});
  if (!rows.ok()) return rows.status();
  std::map<int, Applied> applied;
  for (const Row& row : rows->rows) {
    applied[static_cast<int>(row.GetInt(0))] = {row.GetString(1), row.GetString(2)};
  }
  std::map<int, const Migration*> known;
  for (const Migration& m : migrations) known[m.version] = &m;
  for (const auto& [version, a] : applied) {
    auto it = known.find(version);
    if (it == known.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("database has migration ", version, " (", a.name, ") of ", service,
                       " which this binary does not know; run a newer binary"));
    }
    if (MigrationChecksum(it->second->sql) != a.checksum) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration ", version, " (", a.name, ") was changed after it was applied"));
    }
  }
  for (const Migration& m : migrations) {
    if (applied.count(m.version) != 0) continue;
    if (applied_count == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration ", m.version, " (", m.name, ") of ", service,
                       " is not applied; run the service once with --migrations=only"));
    }
    bool done = false;
    absl::Status s = ApplyOne(c, service, m, &done);
    if (done) ++*applied_count;
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

std::string MigrationChecksum(std::string_view sql) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char ch : sql) {
    if (ch == '\r') continue;
    hash ^= static_cast<unsigned char>(ch);
    hash *= 0x100000001b3ULL;
  }
  return absl::StrFormat("%016x", hash);
}

std::vector<std::string> SplitStatements(std::string_view sql_text) {
  absl::string_view sql(sql_text.data(), sql_text.size());
  std::vector<std::string> statements;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(line);
    if (absl::EndsWith(trimmed, ";")) {
      absl::StrAppend(&current, trimmed.substr(0, trimmed.size() - 1));
      if (!IsBlankOrComment(current)) {
        statements.emplace_back(absl::StripAsciiWhitespace(current));
      }
      current.clear();
    } else {
      absl::StrAppend(&current, trimmed, "\n");
    }
  }
  if (!IsBlankOrComment(current)) statements.emplace_back(absl::StripAsciiWhitespace(current));
  return statements;
}

namespace {

// Checks `migrations` and returns a connection on which schema_migrations exists.
absl::StatusOr<PooledConnection> ConnectionWithMigrationsTable(
    Pool& pool, const std::vector<Migration>& migrations) {
  if (absl::Status s = Validate(migrations); !s.ok()) return s;
  absl::StatusOr<PooledConnection> conn = pool.Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<int64_t> created = (**conn).Execute(
      (**conn).dialect() == Dialect::kMysql ? kCreateTableMysql : kCreateTableSqlite);
  if (!created.ok()) return created.status();
  return conn;
}

}  // namespace

absl::Status Migrate(Pool& pool, std::string_view service_name,
                     const std::vector<Migration>& migrations, int* applied) {
  int ignored = 0;
  if (applied == nullptr) applied = &ignored;
  *applied = 0;
  absl::string_view service(service_name.data(), service_name.size());
  absl::StatusOr<PooledConnection> conn = ConnectionWithMigrationsTable(pool, migrations);
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  const bool mysql = c.dialect() == Dialect::kMysql;

  if (!mysql) {
    // SQLite runs DDL in transactions, and BEGIN IMMEDIATE already excludes other writers;
    // each migration still gets its own transaction, so there is no outer lock to take.
    return MigrateLocked(c, service, migrations, applied);
  }
  // Two replicas starting together must not both apply migration N.
  std::string lock_name = absl::StrCat("seimbang_migrate_", service);
  absl::StatusOr<std::optional<Row>> locked = c.QueryOne("SELECT GET_LOCK(?, 60)", {lock_name});
  if (!locked.ok()) return locked.status();
  if (!locked->has_value() || (*locked)->GetInt(0) != 1) {
    return absl::DeadlineExceededError(
        absl::StrCat("could not take the migration lock ", lock_name, " within 60s"));
  }
  absl::Status result = MigrateLocked(c, service, migrations, applied);
  c.Query("SELECT RELEASE_LOCK(?)", {lock_name}).status().IgnoreError();
  return result;
}

absl::Status VerifyMigrated(Pool& pool, std::string_view service_name,
                            const std::vector<Migration>& migrations) {
  absl::string_view service(service_name.data(), service_name.size());
  absl::StatusOr<PooledConnection> conn = ConnectionWithMigrationsTable(pool, migrations);
  if (!conn.ok()) return conn.status();
  return MigrateLocked(**conn, service, migrations, /*applied=*/nullptr);
}

}  // namespace seimbang::db
