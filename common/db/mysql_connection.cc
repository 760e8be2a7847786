#include "common/db/mysql_connection.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <exception>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace seimbang::db {
namespace {

constexpr size_t kMaxCachedStatements = 128;
constexpr size_t kMaxCachedParams = 64;
// A kept statement whose last result was larger is let go (see LetGoOfReadRows). Well above a
// page of 100 employees: at 64 KiB ListEmployees reached 0.36 of its ceiling in serving_bench
// against 0.46 at this size, one run each (bench/RESULTS.md).
constexpr size_t kMaxKeptResultBytes = 256 << 10;
constexpr int kConnectTimeoutSeconds = 5;

sql::Driver* Driver() {
  static std::once_flag once;
  static sql::Driver* driver = nullptr;
  std::call_once(once, [] { driver = sql::mysql::get_mysql_driver_instance(); });
  return driver;
}

// Client and server codes meaning the session is gone: rebuild, never reuse.
bool IsConnectionLost(int code) {
  switch (code) {
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2005:  // CR_UNKNOWN_HOST
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2026:  // CR_SSL_CONNECTION_ERROR
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
      return true;
    default:
      return false;
  }
}

}  // namespace

void AppendLoadDataRow(const Params& row, std::string& out) {
  char number[32];  // the longest int64 or shortest round-trip double is 24 characters
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out.push_back('\t');
    const Value& v = row[i];
    if (const auto* n = std::get_if<int64_t>(&v)) {
      out.append(number, std::to_chars(number, number + sizeof(number), *n).ptr);
    } else if (const auto* d = std::get_if<double>(&v)) {
      // The shortest text that reads back as the same double (the columns are DOUBLE).
      out.append(number, std::to_chars(number, number + sizeof(number), *d).ptr);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // Runs without a character to escape go in whole.
      const char* p = s->data();
      const char* const end = p + s->size();
      for (;;) {
        const char* q = p;
        while (q < end && *q != '\\' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\0') ++q;
        out.append(p, q);
        if (q == end) break;
        out.push_back('\\');
        // The escape's second byte: \t \n \r \0 by their letters, a backslash as itself.
        out.push_back(*q == '\t'   ? 't'
                      : *q == '\n' ? 'n'
                      : *q == '\r' ? 'r'
                      : *q == '\0' ? '0'
                                   : '\\');
        p = q + 1;
      }
    } else {
      out.append("\\N");
    }
  }
  out.push_back('\n');
}

void AppendLoadDataRows(const std::vector<Params>& rows, std::string& out) {
  if (rows.empty()) return;
  const size_t start = out.size();
  AppendLoadDataRow(rows.front(), out);
  // Room for the rest at the first row's length and a quarter more, taken at once: grown by
  // doubling, a batch's megabytes were copied and faulted in again at every step, which cost
  // several times the formatting itself (an import batch, issue 22 item 3).
  const size_t first = out.size() - start;
  out.reserve(out.size() + (rows.size() - 1) * (first + first / 4));
  for (size_t i = 1; i < rows.size(); ++i) AppendLoadDataRow(rows[i], out);
}

namespace {

class MysqlConnection final : public Connection {
 public:
  MysqlConnection(std::unique_ptr<sql::Connection> conn, bool local_infile)
      : conn_(std::move(conn)), local_infile_(local_infile) {}
  ~MysqlConnection() override {
    uncached_.reset();
    statements_.clear();
    try {
      conn_->close();
    } catch (...) {  // closing a dead session may throw; nothing to do about it
    }
  }

  Dialect dialect() const override { return Dialect::kMysql; }

  absl::StatusOr<ResultSet> Query(std::string_view sql, const Params& params) override {
    if (broken_) return BrokenError();
    try {
      size_t bytes = 0;
      if (params.empty()) {
        std::unique_ptr<sql::Statement> plain(conn_->createStatement());
        std::unique_ptr<sql::ResultSet> rs(plain->executeQuery(std::string(sql)));
        return Convert(*rs, bytes);
      }
      absl::StatusOr<sql::PreparedStatement*> stmt = Prepare(sql, params);
      if (!stmt.ok()) return stmt.status();
      std::unique_ptr<sql::ResultSet> rs((*stmt)->executeQuery());
      ResultSet result = Convert(*rs, bytes);
      rs.reset();
      LetGoOfReadRows(sql, bytes);
      return result;
    } catch (const sql::SQLException& e) {
      return Map(e, "query");
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("mysql query: ", e.what()));
    }
  }

  absl::StatusOr<int64_t> Execute(std::string_view sql, const Params& params) override {
    if (broken_) return BrokenError();
    try {
      if (params.empty()) {
        // Plain protocol: DDL and session statements are not all preparable.
        std::unique_ptr<sql::Statement> plain(conn_->createStatement());
        plain->execute(std::string(sql));
        return static_cast<int64_t>(plain->getUpdateCount());
      }
      absl::StatusOr<sql::PreparedStatement*> stmt = Prepare(sql, params);
      if (!stmt.ok()) return stmt.status();
      const int64_t count = static_cast<int64_t>((*stmt)->executeUpdate());
      uncached_.reset();
      return count;
    } catch (const sql::SQLException& e) {
      return Map(e, "execute");
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("mysql execute: ", e.what()));
    }
  }

  absl::StatusOr<int64_t> InsertRows(std::string_view table,
                                     const std::vector<std::string>& columns,
                                     const std::vector<Params>& rows) override {
    if (rows.empty()) return 0;
    if (broken_) return BrokenError();
    if (!local_infile_) return Connection::InsertRows(table, columns, rows);
    if (auto st = CheckWidths(columns, rows); !st.ok()) return st;
    std::string data;
    AppendLoadDataRows(rows, data);
    return LoadText(table, columns, data, rows);
  }

  absl::StatusOr<int64_t> InsertBulkRows(std::string_view table,
                                         const std::vector<std::string>& columns,
                                         const BulkRows& rows) override {
    if (rows.load_data.empty()) return InsertRows(table, columns, rows.rows);
    if (broken_) return BrokenError();
    if (!local_infile_) return Connection::InsertRows(table, columns, rows.rows);
    if (auto st = CheckWidths(columns, rows.rows); !st.ok()) return st;
    return LoadText(table, columns, rows.load_data, rows.rows);
  }

  bool loads_data_files() const override { return local_infile_ && !broken_; }

  absl::StatusOr<int64_t> LoadDataFile(std::string_view table,
                                       const std::vector<std::string>& columns, int fd,
                                       int64_t rows) override {
    if (broken_) return BrokenError();
    if (!local_infile_) return Connection::LoadDataFile(table, columns, fd, rows);
    const std::string sql = absl::StrCat(
        "LOAD DATA LOCAL INFILE '/proc/self/fd/", fd, "' INTO TABLE ", std::string(table),
        " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
        " LINES TERMINATED BY '\\n' (",
        absl::StrJoin(columns, ", "), ")");
    int64_t inserted = 0;
    std::string warning;  // LOAD DATA LOCAL reports what INSERT would refuse as warnings
    try {
      std::unique_ptr<sql::Statement> stmt(conn_->createStatement());
      stmt->execute(sql);
      inserted = static_cast<int64_t>(stmt->getUpdateCount());
      if (const sql::SQLWarning* w = stmt->getWarnings(); w != nullptr) {
        warning = w->getMessage().asStdString();
      }
    } catch (const sql::SQLException& e) {
      // 1148 ER_NOT_ALLOWED_COMMAND, 4166 ER_LOAD_INFILE_CAPABILITY_DISABLED: the server (or the
      // client library) refuses local infile. The statement did nothing; no LOAD DATA from now on.
      if (e.getErrorCode() == 1148 || e.getErrorCode() == 4166 ||
          e.getErrorCode() == 2068 /* CR_LOAD_DATA_LOCAL_INFILE_REJECTED */) {
        local_infile_ = false;
        return Connection::LoadDataFile(table, columns, fd, rows);
      }
      return Map(e, absl::StrCat("load data into ", std::string(table)));
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("mysql load data: ", e.what()));
    }
    if (inserted != rows) {
      return absl::AlreadyExistsError(
          absl::StrCat("mysql load data into ", std::string(table), ": ", rows - inserted, " of ",
                       rows, " rows collide with an existing key (", warning, ")"));
    }
    if (!warning.empty()) {
      return absl::InternalError(
          absl::StrCat("mysql load data into ", std::string(table), ": ", warning));
    }
    return inserted;
  }

  absl::StatusOr<int64_t> LastInsertId() override {
    absl::StatusOr<ResultSet> rs = Query("SELECT LAST_INSERT_ID()", {});
    if (!rs.ok()) return rs.status();
    return rs->rows.at(0).GetInt(0);
  }

  absl::Status Begin() override {
    if (in_transaction_) return absl::FailedPreconditionError("transaction already open");
    absl::Status s = Plain("START TRANSACTION");
    if (s.ok()) in_transaction_ = true;
    return s;
  }
  absl::Status Commit() override {
    if (!in_transaction_) return absl::FailedPreconditionError("no transaction to commit");
    in_transaction_ = false;
    absl::Status s = Plain("COMMIT");
    if (!s.ok() && !broken_) Plain("ROLLBACK").IgnoreError();
    return s;
  }
  absl::Status Rollback() override {
    if (!in_transaction_) return absl::FailedPreconditionError("no transaction to roll back");
    in_transaction_ = false;
    return Plain("ROLLBACK");
  }
  absl::Status Ping() override {
    if (broken_) return BrokenError();
    // A real round trip; isValid() swallows the error code we need to classify the failure.
    return Plain("SELECT 1");
  }

  absl::Status Plain(const std::string& sql) {
    if (broken_) return BrokenError();
    try {
      std::unique_ptr<sql::Statement> stmt(conn_->createStatement());
      std::unique_ptr<sql::ResultSet> rs;
      if (stmt->execute(sql)) rs.reset(stmt->getResultSet());
      return absl::OkStatus();
    } catch (const sql::SQLException& e) {
      return Map(e, sql);
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("mysql ", sql, ": ", e.what()));
    }
  }

 private:
  static absl::Status CheckWidths(const std::vector<std::string>& columns,
                                  const std::vector<Params>& rows) {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].size() != columns.size()) {
        return absl::InvalidArgumentError(absl::StrCat("InsertRows: row ", i, " has ",
                                                       rows[i].size(), " values for ",
                                                       columns.size(), " columns"));
      }
    }
    return absl::OkStatus();
  }

  // `rows` in LOAD DATA form (`data`) through an anonymous in-memory file, opened by the client
  // library through /proc/self/fd: nothing on disk to clean up, even after a crash. Multi-row
  // INSERTs of `rows` where the server refuses LOAD DATA LOCAL.
  absl::StatusOr<int64_t> LoadText(std::string_view table, const std::vector<std::string>& columns,
                                   const std::string& data, const std::vector<Params>& rows) {
    int fd = memfd_create("seimbang-load-data", MFD_CLOEXEC);
    if (fd < 0) return Connection::InsertRows(table, columns, rows);
    struct Closer {
      int fd;
      ~Closer() { close(fd); }
    } closer{fd};
    for (size_t written = 0; written < data.size();) {
      ssize_t n = write(fd, data.data() + written, data.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return absl::InternalError(absl::StrCat("InsertRows: memfd write: ", errno));
      written += static_cast<size_t>(n);
    }
    absl::StatusOr<int64_t> loaded =
        LoadDataFile(table, columns, fd, static_cast<int64_t>(rows.size()));
    if (!local_infile_) return Connection::InsertRows(table, columns, rows);  // refused
    return loaded;
  }

  static absl::Status BrokenError() {
    return absl::UnavailableError("mysql connection is broken; take a new one from the pool");
  }

  absl::Status Map(const sql::SQLException& e, absl::string_view what) {
    int code = e.getErrorCode();
    std::string message = absl::StrCat("mysql ", what, ": ", e.what(), " (error ", code,
                                       ", SQLSTATE ", e.getSQLStateCStr(), ")");
    // Connector/C++ reports a closed session with code 0 and no SQLSTATE of its own.
    bool closed = false;
    try {
      closed = code == 0 && conn_->isClosed();
    } catch (...) {
      closed = true;
    }
    if (IsConnectionLost(code) || closed) {
      broken_ = true;
      in_transaction_ = false;
      return absl::UnavailableError(message);
    }
    switch (code) {
      case 1062:  // ER_DUP_ENTRY
      case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
        return absl::AlreadyExistsError(message);
      case 1213:  // ER_LOCK_DEADLOCK: the server rolled the transaction back
      case 1205:  // ER_LOCK_WAIT_TIMEOUT
        return RetryableAbortedError(message);
      default:
        return absl::InternalError(message);
    }
  }

  absl::StatusOr<sql::PreparedStatement*> Prepare(std::string_view sql, const Params& params) {
    std::string key(sql);
    sql::PreparedStatement* stmt = nullptr;
    uncached_.reset();
    if (params.size() > kMaxCachedParams) {
      // Bulk statements (multi-row INSERTs, long IN lists) change shape from call to call and
      // hold buffers per placeholder: prepared for this call only, so they never pile up in
      // the cache of every pooled connection.
      uncached_.reset(conn_->prepareStatement(key));
      stmt = uncached_.get();
    } else {
      auto it = statements_.find(key);
      if (it == statements_.end()) {
        if (statements_.size() >= kMaxCachedStatements) statements_.clear();
        std::unique_ptr<sql::PreparedStatement> prepared(conn_->prepareStatement(key));
        it = statements_.emplace(key, std::move(prepared)).first;
      }
      stmt = it->second.get();
    }
    stmt->clearParameters();
    for (size_t i = 0; i < params.size(); ++i) {
      unsigned int index = static_cast<unsigned int>(i) + 1;
      const Value& v = params[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        stmt->setInt64(index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        stmt->setDouble(index, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        stmt->setString(index, sql::SQLString(s->data(), s->size()));
      } else {
        stmt->setNull(index, sql::DataType::SQLNULL);
      }
    }
    return stmt;
  }

  // MariaDB's client library keeps a prepared statement's last result (every row, and the
  // buffers they were bound to) with the statement until it runs again. A statement kept for
  // reuse therefore held the largest result it had read, on every pooled connection: a
  // service's memory rose in steps of megabytes as more connections got a large query
  // (workload-service's RunAnalysis, issue 22's soak). So a statement made for this call only
  // goes at once, and a kept one goes when its rows came to more than kMaxKeptResultBytes
  // (the next such query prepares it again: one round trip beside a large read).
  void LetGoOfReadRows(std::string_view sql, size_t bytes) {
    uncached_.reset();
    if (bytes > kMaxKeptResultBytes) statements_.erase(std::string(sql));
  }

  // The rows of `rs`; `bytes` grows by their size (text as its length, numbers as 8).
  static ResultSet Convert(sql::ResultSet& rs, size_t& bytes) {
    ResultSet result;
    sql::ResultSetMetaData* meta = rs.getMetaData();  // owned by the result set
    unsigned int n = meta->getColumnCount();
    std::vector<int> types(n);
    for (unsigned int i = 1; i <= n; ++i) {
      result.columns.emplace_back(meta->getColumnLabel(i));
      types[i - 1] = meta->getColumnType(i);
    }
    auto columns = std::make_shared<const std::vector<std::string>>(result.columns);
    while (rs.next()) {
      std::vector<Value> values;
      values.reserve(n);
      for (unsigned int i = 1; i <= n; ++i) {
        // Connector/C++ 1.1 returns 0 / "" for NULL from the getters: ask first.
        if (rs.isNull(i)) {
          values.emplace_back(std::monostate{});
          continue;
        }
        switch (types[i - 1]) {
          case sql::DataType::BIT:
          case sql::DataType::TINYINT:
          case sql::DataType::SMALLINT:
          case sql::DataType::MEDIUMINT:
          case sql::DataType::INTEGER:
          case sql::DataType::BIGINT:
          case sql::DataType::YEAR:
            values.emplace_back(static_cast<int64_t>(rs.getInt64(i)));
            bytes += sizeof(int64_t);
            break;
          case sql::DataType::REAL:
          case sql::DataType::DOUBLE:
            values.emplace_back(static_cast<double>(rs.getDouble(i)));
            bytes += sizeof(double);
            break;
          default: {  // text, DECIMAL (kept exact as text), dates, blobs
            sql::SQLString s = rs.getString(i);
            values.emplace_back(std::string(s.c_str(), s.length()));
            bytes += s.length();
          }
        }
      }
      result.rows.emplace_back(columns, std::move(values));
    }
    return result;
  }

  std::unique_ptr<sql::Connection> conn_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  std::unique_ptr<sql::PreparedStatement> uncached_;  // the bulk statement of the call under way
  bool local_infile_;
};

}  // namespace

void InitMysqlDriver() { Driver(); }

absl::StatusOr<std::unique_ptr<Connection>> OpenMysqlConnection(const Dsn& dsn) {
  sql::Driver* driver = Driver();
  if (driver == nullptr) return absl::InternalError("MySQL Connector/C++ driver unavailable");
  sql::ConnectOptionsMap options;
  options["hostName"] = dsn.socket.empty()
                            ? sql::SQLString(absl::StrCat("tcp://", dsn.host, ":", dsn.port))
                            : sql::SQLString(absl::StrCat("unix://", dsn.socket));
  options["userName"] = sql::SQLString(dsn.user);
  options["password"] = sql::SQLString(dsn.password);
  options["schema"] = sql::SQLString(dsn.database);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  options["OPT_RECONNECT"] = false;
  options["OPT_CONNECT_TIMEOUT"] = kConnectTimeoutSeconds;
  // Affected rows = matched rows, as in SQLite; optimistic-locking UPDATEs rely on it.
  options["CLIENT_FOUND_ROWS"] = true;
  // InsertRows streams bulk rows as LOAD DATA LOCAL INFILE; the database is the service's own.
  if (dsn.local_infile) options["OPT_LOCAL_INFILE"] = 1;
  if (dsn.read_timeout_seconds > 0) options["OPT_READ_TIMEOUT"] = dsn.read_timeout_seconds;
  if (dsn.write_timeout_seconds > 0) options["OPT_WRITE_TIMEOUT"] = dsn.write_timeout_seconds;
  std::string where = dsn.socket.empty() ? absl::StrCat(dsn.host, ":", dsn.port) : dsn.socket;
  try {
    std::unique_ptr<sql::Connection> conn(driver->connect(options));
    auto connection = std::make_unique<MysqlConnection>(std::move(conn), dsn.local_infile);
    for (const char* setup : {"SET time_zone = '+00:00'", "SET NAMES utf8mb4"}) {
      if (absl::Status s = connection->Plain(setup); !s.ok()) {
        return absl::UnavailableError(
            absl::StrCat("cannot configure mysql session on ", where, ": ", s.message()));
      }
    }
    return std::unique_ptr<Connection>(std::move(connection));
  } catch (const sql::SQLException& e) {
    return absl::UnavailableError(absl::StrCat("cannot connect to mysql at ", where, " as ",
                                               dsn.user, ": ", e.what(), " (error ",
                                               e.getErrorCode(), ")"));
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to mysql at ", where, ": ", e.what()));
  }
}

}  // namespace seimbang::db
