// The same specification runs on SQLite and on the throwaway MariaDB (through Connector/C++,
// over TCP and over the Unix socket): repositories may rely on exactly these behaviours.
#include <sys/mman.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/domain/enum_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_db.h"

namespace seimbang::db {
namespace {

using ::testing::HasSubstr;

enum class Engine { kSqlite, kMariaDbTcp, kMariaDbSocket };

constexpr domain::EnumName<Engine> kEngineNames[] = {
    {Engine::kSqlite, "Sqlite"},
    {Engine::kMariaDbTcp, "MariaDbTcp"},
    {Engine::kMariaDbSocket, "MariaDbSocket"},
};
static_assert(domain::CoversEveryValue(kEngineNames, Engine::kSqlite, Engine::kMariaDbSocket));

std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return std::string(domain::NameOf(kEngineNames, info.param, "Unknown"));
}

class EngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dsn = FreshDsn();
    ASSERT_TRUE(dsn.ok()) << dsn.status();
    dsn_ = *dsn;
    pool_ = OpenPool(4);
    ASSERT_NE(pool_, nullptr);
  }

  absl::StatusOr<std::string> FreshDsn() {
    switch (GetParam()) {
      case Engine::kSqlite:
        return testsupport::FreshSqliteDsn();
      case Engine::kMariaDbTcp:
        return testsupport::FreshMariaDbDsn("db_it");
      case Engine::kMariaDbSocket:
        return testsupport::FreshMariaDbSocketDsn("db_it_sock");
    }
    return absl::InternalError("unknown engine");
  }

  std::unique_ptr<Pool> OpenPool(int max, absl::Duration timeout = absl::Seconds(5)) {
    PoolOptions options;
    options.max_connections = max;
    options.checkout_timeout = timeout;
    absl::StatusOr<std::unique_ptr<Pool>> pool = Pool::Open(dsn_, options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  bool sqlite() const { return GetParam() == Engine::kSqlite; }

  PooledConnection Conn() {
    absl::StatusOr<PooledConnection> c = pool_->Acquire();
    EXPECT_TRUE(c.ok()) << c.status();
    return *std::move(c);
  }

  // The one table most tests use; ids are generated, name is unique.
  void CreatePeople() {
    std::string ddl =
        sqlite() ? "CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, nip TEXT NOT NULL "
                   "UNIQUE, name TEXT, grade INTEGER, score REAL)"
                 : "CREATE TABLE people (id BIGINT AUTO_INCREMENT PRIMARY KEY, nip VARCHAR(18) "
                   "NOT NULL UNIQUE, name LONGTEXT, grade BIGINT, score DOUBLE) ENGINE=InnoDB";
    ASSERT_TRUE(Conn()->Execute(ddl).ok());
  }

  // MariaDB: the pool reopened with local_infile=0 in its DSN, and `people` created.
  void WithoutLocalInfile() {
    dsn_ += dsn_.find('?') == std::string::npos ? "?local_infile=0" : "&local_infile=0";
    pool_ = OpenPool(1);
    ASSERT_NE(pool_, nullptr);
    CreatePeople();
  }

  // Asserts the first row of the tests below (NIP 198501012010011000) holds `name`.
  void ExpectFirstName(Connection& c, const std::string& name) {
    absl::StatusOr<std::optional<Row>> row =
        c.QueryOne("SELECT name FROM people WHERE nip = '198501012010011000'");
    ASSERT_TRUE(row.ok() && row->has_value());
    EXPECT_EQ((*row)->GetString("name"), name);
  }

  int64_t CountPeople(Connection& c) {
    absl::StatusOr<std::optional<Row>> row = c.QueryOne("SELECT COUNT(*) AS n FROM people");
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() && row->has_value() ? (*row)->GetInt("n") : -1;
  }

  // v (k, i, d, s, t): the table of the typed-value round trips below.
  void CreateSampleTable() {
    ASSERT_TRUE(Conn()
                    ->Execute(sqlite()
                                  ? "CREATE TABLE v (k INTEGER PRIMARY KEY, i INTEGER, d REAL, "
                                    "s TEXT, t TEXT)"
                                  : "CREATE TABLE v (k INT PRIMARY KEY, i BIGINT, d DOUBLE, "
                                    "s LONGTEXT, t TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")
                    .ok());
  }

  // Row k of the sample (k, i, d, s): extremes, NULLs, quotes, escapes, NUL, emoji, newlines.
  static const std::vector<std::string>& SampleStrings() {
    static const std::vector<std::string> strings = {"O'Neil",
                                                     "say \"hi\"",
                                                     "back\\slash\\",
                                                     "a ? b",
                                                     std::string("nul\0in", 6),
                                                     "Kota Makassar \xE2\x80\x94 \xF0\x9F\x98\x80",
                                                     "--",
                                                     "';DROP TABLE v;--",
                                                     "\n\r\t\x1a",
                                                     "tab\there",
                                                     "\\N",
                                                     "\\t not a tab",
                                                     "line\nbreak\r\n",
                                                     ""};
    return strings;
  }
  static const std::vector<double>& SampleDoubles() {
    static const std::vector<double> doubles = {-5.040436, 119.328416, 0.1,   1e300,
                                                -0.0,      1.0 / 3,    5e-324};
    return doubles;
  }
  static Params SampleRow(int k) {
    const int64_t min = std::numeric_limits<int64_t>::min();
    return {k, k % 7 == 3 ? Null() : Value(k == 0 ? min : int64_t{k} * 1000003),
            k % 5 == 4 ? Null() : Value(SampleDoubles()[k % SampleDoubles().size()]),
            k % 11 == 10 ? Null() : Value(SampleStrings()[k % SampleStrings().size()])};
  }
  // Rows 0..n-1 of v hold SampleRow(k) and t = `t`.
  void ExpectSampleRows(Connection& c, int n, const std::string& t) {
    absl::StatusOr<ResultSet> rs = c.Query("SELECT k, i, d, s, t FROM v ORDER BY k");
    ASSERT_TRUE(rs.ok()) << rs.status();
    ASSERT_EQ(rs->size(), static_cast<size_t>(n));
    for (int k = 0; k < n; ++k) {
      const Row& r = rs->rows[k];
      const Params want = SampleRow(k);
      SCOPED_TRACE(k);
      EXPECT_EQ(r.GetInt("k"), k);
      if (std::holds_alternative<std::monostate>(want[1])) {
        EXPECT_TRUE(r.IsNull("i"));
      } else {
        EXPECT_EQ(r.GetInt("i"), std::get<int64_t>(want[1]));
      }
      if (std::holds_alternative<std::monostate>(want[2])) {
        EXPECT_TRUE(r.IsNull("d"));
      } else {
        EXPECT_EQ(r.GetDouble("d"), std::get<double>(want[2]));
      }
      if (std::holds_alternative<std::monostate>(want[3])) {
        EXPECT_TRUE(r.IsNull("s"));
      } else {
        EXPECT_EQ(r.GetString("s"), std::get<std::string>(want[3]));
      }
      EXPECT_EQ(r.GetString("t"), t);
    }
  }

  std::string dsn_;
  std::unique_ptr<Pool> pool_;
};

TEST_P(EngineTest, TypedValuesRoundTripIncludingNullUnicodeLargeTextAndInt64Extremes) {
  std::string ddl = sqlite() ? "CREATE TABLE v (k INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT)"
                             : "CREATE TABLE v (k INT PRIMARY KEY, i BIGINT, d DOUBLE, s LONGTEXT) "
                               "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  PooledConnection c = Conn();
  ASSERT_TRUE(c->Execute(ddl).ok());
  const std::string unicode =
      "Kota Makassar \xE2\x80\x94 \xE1\xA8\x86\xE1\xA8\x80 \xF0\x9F\x98\x80";
  const std::string large(2 * 1024 * 1024, 'x');
  const std::string with_nul("a\0b", 3);
  const int64_t min = std::numeric_limits<int64_t>::min();
  const int64_t max = std::numeric_limits<int64_t>::max();
  const char* insert = "INSERT INTO v (k, i, d, s) VALUES (?, ?, ?, ?)";
  ASSERT_TRUE(c->Execute(insert, {1, min, -0.125, unicode}).ok());
  ASSERT_TRUE(c->Execute(insert, {2, max, 1e300, large}).ok());
  ASSERT_TRUE(c->Execute(insert, {3, Null(), Null(), Null()}).ok());
  ASSERT_TRUE(c->Execute(insert, {4, 0, 0.0, with_nul}).ok());

  absl::StatusOr<ResultSet> rs = c->Query("SELECT k, i, d, s FROM v ORDER BY k");
  ASSERT_TRUE(rs.ok()) << rs.status();
  ASSERT_EQ(rs->size(), 4u);
  EXPECT_EQ(rs->columns, (std::vector<std::string>{"k", "i", "d", "s"}));
  const auto& r = rs->rows;
  EXPECT_EQ(std::get<int64_t>(r[0].at(1)), min);
  EXPECT_EQ(std::get<double>(r[0].at(2)), -0.125);
  EXPECT_EQ(std::get<std::string>(r[0].at(3)), unicode);
  EXPECT_EQ(r[1].GetInt("i"), max);
  EXPECT_DOUBLE_EQ(r[1].GetDouble("d"), 1e300);
  EXPECT_EQ(r[1].GetString("s"), large);
  EXPECT_TRUE(r[2].IsNull("i"));
  EXPECT_TRUE(r[2].IsNull("d"));
  EXPECT_TRUE(r[2].IsNull("s"));
  EXPECT_EQ(r[2].GetOptionalInt("i"), std::nullopt);
  EXPECT_EQ(r[3].GetOptionalInt("i"), std::optional<int64_t>(0));
  EXPECT_EQ(r[3].GetString("s"), with_nul);

  // Parameters bind as values, never as SQL.
  absl::StatusOr<std::optional<Row>> found = c->QueryOne("SELECT k FROM v WHERE s = ?", {unicode});
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->GetInt(0), 1);
}

TEST_P(EngineTest, WrongNumberOfParametersIsAnError) {
  CreatePeople();
  absl::StatusOr<int64_t> r = Conn()->Execute("INSERT INTO people (nip) VALUES (?)", {});
  EXPECT_FALSE(r.ok());
}

// Multi-row INSERTs bind hundreds of parameters in one statement.
TEST_P(EngineTest, MultiRowInsertWithHundredsOfParametersStoresEveryValueExactly) {
  CreateSampleTable();
  PooledConnection c = Conn();
  std::string sql = "INSERT INTO v (k, i, d, s, t) VALUES ";
  Params params;
  constexpr int kRows = 100;
  for (int k = 0; k < kRows; ++k) {
    absl::StrAppend(&sql, k ? "," : "", "(?, ?, ?, ?, 'lit?''x')");
    for (Value& v : SampleRow(k)) params.push_back(std::move(v));
  }
  absl::StatusOr<int64_t> n = c->Execute(sql, params);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, kRows);
  ExpectSampleRows(*c, kRows, "lit?'x");
}

TEST_P(EngineTest, MultiRowInsertWithADuplicateKeyIsAlreadyExistsAndWritesNothing) {
  CreatePeople();
  PooledConnection c = Conn();
  std::string sql = "INSERT INTO people (nip, name) VALUES ";
  Params params;
  for (int k = 0; k < 50; ++k) {
    absl::StrAppend(&sql, k ? "," : "", "(?, ?)");
    params.push_back(absl::StrCat("19850101201001", 1000 + (k == 49 ? 0 : k)));
    params.push_back("x");
  }
  absl::StatusOr<int64_t> r = c->Execute(sql, params);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists) << r.status();
  EXPECT_EQ(CountPeople(*c), 0);
}

TEST_P(EngineTest, MultiRowInsertWithTooFewParametersIsAnError) {
  CreatePeople();
  std::string sql = "INSERT INTO people (nip, name) VALUES ";
  Params params;
  for (int k = 0; k < 50; ++k) {
    absl::StrAppend(&sql, k ? "," : "", "(?, ?)");
    params.push_back(absl::StrCat("19850101201001", 1000 + k));
    if (k != 49) params.push_back("x");
  }
  PooledConnection c = Conn();
  EXPECT_FALSE(c->Execute(sql, params).ok());
  EXPECT_EQ(CountPeople(*c), 0);
}

// InsertRows is the bulk path (LOAD DATA LOCAL on MariaDB): every value must arrive exactly as
// a bound parameter would, including the characters LOAD DATA's text format escapes.
TEST_P(EngineTest, InsertRowsStoresEveryValueExactly) {
  CreateSampleTable();
  PooledConnection c = Conn();
  // More rows than one SQLite statement takes (30,000 parameters / 5 columns).
  constexpr int kRows = 6500;
  std::vector<Params> rows;
  for (int k = 0; k < kRows; ++k) {
    rows.push_back(SampleRow(k));
    rows.back().push_back("t");
  }
  absl::StatusOr<int64_t> n = c->InsertRows("v", {"k", "i", "d", "s", "t"}, rows);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, kRows);
  ExpectSampleRows(*c, kRows, "t");
}

#if defined(__GLIBC__)
// What malloc has handed out and not had back, in bytes.
int64_t HeapInUse() {
  const struct mallinfo2 heap = mallinfo2();
  return static_cast<int64_t>(heap.uordblks + heap.hblkhd);
}

// A statement that is kept prepared for the next call must not keep the rows of its last
// result too: with MariaDB's client library they stay with the statement until it runs again,
// so every pooled connection came to hold the largest result it had read, and a service's
// memory rose in steps of megabytes as more connections got a large query (issue 22's soak).
TEST_P(EngineTest, ALargeResultLeavesNothingBehindOnceRead) {
  CreateSampleTable();
  PooledConnection c = Conn();
  constexpr int kRows = 20000;
  const std::string text(200, 'x');
  std::vector<Params> rows;
  for (int k = 0; k < kRows; ++k) rows.push_back({k, k, 0.5, text, "t"});
  ASSERT_TRUE(c->InsertRows("v", {"k", "i", "d", "s", "t"}, rows).ok());
  rows.clear();
  rows.shrink_to_fit();
  // One parameter: a statement the connection keeps prepared.
  constexpr char kSelect[] = "SELECT k, i, d, s, t FROM v WHERE k >= ? ORDER BY k";
  ASSERT_TRUE(c->Query(kSelect, {int64_t{kRows - 1}}).ok());  // prepared, one row read
  const int64_t before = HeapInUse();
  {
    absl::StatusOr<ResultSet> all = c->Query(kSelect, {int64_t{0}});
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(all->size(), static_cast<size_t>(kRows));
    EXPECT_GT(HeapInUse() - before, int64_t{kRows} * 200);  // the rows, while they are held
  }
  EXPECT_LT(HeapInUse() - before, int64_t{256} << 10);  // and nothing of them after
  // The statement still works, prepared again if it was let go.
  absl::StatusOr<ResultSet> last = c->Query(kSelect, {int64_t{kRows - 1}});
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->size(), 1u);
}
#endif

TEST_P(EngineTest, InsertRowsWithADuplicateKeyIsAlreadyExistsAndTheTransactionWritesNothing) {
  CreatePeople();
  const std::string existing = "198501012010019999";
  ASSERT_TRUE(Conn()->Execute("INSERT INTO people (nip, name) VALUES (?, 'old')", {existing}).ok());
  for (bool in_table : {true, false}) {  // a row already in the table; a repeat in the batch
    SCOPED_TRACE(in_table);
    std::vector<Params> rows;
    for (int k = 0; k < 50; ++k) rows.push_back({absl::StrCat("19850101201001", 1000 + k), "x"});
    rows[49][0] = in_table ? existing : absl::StrCat("19850101201001", 1000);
    absl::Status st = WithTransaction(*pool_, [&](Connection& c) -> absl::Status {
      return c.InsertRows("people", {"nip", "name"}, rows).status();
    });
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), absl::StatusCode::kAlreadyExists) << st;
    PooledConnection c = Conn();
    EXPECT_EQ(CountPeople(*c), 1);
  }
}

TEST_P(EngineTest, InsertRowsRejectsARowWithTheWrongNumberOfValues) {
  CreatePeople();
  PooledConnection c = Conn();
  absl::StatusOr<int64_t> r =
      c->InsertRows("people", {"nip", "name"}, {{"198501012010011000", "a"}, {"x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("row 1 has 1 values for 2 columns"));
  EXPECT_EQ(CountPeople(*c), 0);
}

// MariaDB only: SQLite stores what it is given, MariaDB must not truncate silently (LOAD DATA
// LOCAL turns errors into warnings; InsertRows turns them back into errors).
TEST_P(EngineTest, InsertRowsNeverTruncatesSilently) {
  if (sqlite()) GTEST_SKIP() << "SQLite does not convert values";
  PooledConnection c = Conn();
  ASSERT_TRUE(c->Execute("CREATE TABLE short_names (id INT PRIMARY KEY, name VARCHAR(5)) "
                         "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")
                  .ok());
  absl::StatusOr<int64_t> r =
      c->InsertRows("short_names", {"id", "name"}, {{1, "abc"}, {2, "much too long"}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("name"));
}

TEST_P(EngineTest, InsertRowsWorksWithLocalInfileTurnedOff) {
  if (sqlite()) GTEST_SKIP() << "local_infile is a MySQL DSN option";
  WithoutLocalInfile();
  PooledConnection c = Conn();
  std::vector<Params> rows = {{"198501012010011000", "a\tb"}, {"198501012010011001", Null()}};
  absl::StatusOr<int64_t> n = c->InsertRows("people", {"nip", "name"}, rows);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(CountPeople(*c), 2);
  ExpectFirstName(*c, "a\tb");
}

// Rows prepared ahead (an import formats a batch while the one before is written) arrive as
// InsertRows' would, whether their LOAD DATA text was made or not.
TEST_P(EngineTest, InsertBulkRowsStoresEveryValueExactlyWithOrWithoutTheirText) {
  CreateSampleTable();
  PooledConnection c = Conn();
  constexpr int kRows = 6500;
  for (bool load_data : {true, false}) {
    SCOPED_TRACE(load_data);
    ASSERT_TRUE(c->Execute("DELETE FROM v").ok());
    std::vector<Params> rows;
    for (int k = 0; k < kRows; ++k) {
      rows.push_back(SampleRow(k));
      rows.back().push_back(load_data ? "text" : "rows");
    }
    BulkRows bulk = PrepareBulkRows(std::move(rows), load_data);
    EXPECT_EQ(bulk.load_data.empty(), !load_data);
    absl::StatusOr<int64_t> n = c->InsertBulkRows("v", {"k", "i", "d", "s", "t"}, bulk);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, kRows);
    ExpectSampleRows(*c, kRows, load_data ? "text" : "rows");
  }
}

TEST_P(EngineTest, InsertBulkRowsChecksWidthsAndKeysAsInsertRows) {
  CreatePeople();
  PooledConnection c = Conn();
  absl::StatusOr<int64_t> r = c->InsertBulkRows(
      "people", {"nip", "name"}, PrepareBulkRows({{"198501012010011000", "a"}, {"x"}}, true));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("row 1 has 1 values for 2 columns"));
  const BulkRows twice =
      PrepareBulkRows({{"198501012010011000", "a"}, {"198501012010011000", "b"}}, true);
  EXPECT_EQ(c->InsertBulkRows("people", {"nip", "name"}, twice).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(EngineTest, InsertBulkRowsWithTheirTextWorksWithLocalInfileTurnedOff) {
  if (sqlite()) GTEST_SKIP() << "local_infile is a MySQL DSN option";
  WithoutLocalInfile();
  PooledConnection c = Conn();
  const BulkRows bulk =
      PrepareBulkRows({{"198501012010011000", "a\tb"}, {"198501012010011001", Null()}}, true);
  absl::StatusOr<int64_t> n = c->InsertBulkRows("people", {"nip", "name"}, bulk);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  ExpectFirstName(*c, "a\tb");
}

// A file of AppendLoadDataRow rows, read from its start whatever the descriptor's offset.
int LoadDataFileOf(const std::vector<Params>& rows) {
  std::string data;
  for (const Params& r : rows) AppendLoadDataRow(r, data);
  int fd = memfd_create("engine-test", MFD_CLOEXEC);
  EXPECT_EQ(write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  return fd;
}

TEST_P(EngineTest, LoadDataFileInsertsEveryRowOfTheFileOnMariaDbOnly) {
  CreatePeople();
  PooledConnection c = Conn();
  const int fd =
      LoadDataFileOf({{"198501012010011000", "a\tb\\c"}, {"198501012010011001", Null()}});
  absl::StatusOr<int64_t> n = c->LoadDataFile("people", {"nip", "name"}, fd, 2);
  if (sqlite()) {
    // SQLite has no LOAD DATA: nothing done, and the caller knew (loads_data_files).
    EXPECT_FALSE(c->loads_data_files());
    EXPECT_EQ(n.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(CountPeople(*c), 0);
  } else {
    EXPECT_TRUE(c->loads_data_files());
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, 2);
    ASSERT_NO_FATAL_FAILURE(ExpectFirstName(*c, "a\tb\\c"));
    // The same rows again collide with their keys: ALREADY_EXISTS, as InsertRows.
    absl::StatusOr<int64_t> again = c->LoadDataFile("people", {"nip", "name"}, fd, 2);
    EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  }
  close(fd);
}

TEST_P(EngineTest, LoadDataFileIsRefusedWithLocalInfileTurnedOff) {
  if (sqlite()) GTEST_SKIP() << "local_infile is a MySQL DSN option";
  WithoutLocalInfile();
  PooledConnection c = Conn();
  EXPECT_FALSE(c->loads_data_files());
  const int fd = LoadDataFileOf({{"198501012010011000", "a"}});
  EXPECT_EQ(c->LoadDataFile("people", {"nip", "name"}, fd, 1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CountPeople(*c), 0);
  close(fd);
}

TEST_P(EngineTest, LastInsertIdIsTheGeneratedKey) {
  CreatePeople();
  PooledConnection c = Conn();
  ASSERT_TRUE(c->Execute("INSERT INTO people (nip, name) VALUES (?, ?)", {"1", "A"}).ok());
  ASSERT_TRUE(c->Execute("INSERT INTO people (nip, name) VALUES (?, ?)", {"2", "B"}).ok());
  absl::StatusOr<int64_t> id = c->LastInsertId();
  ASSERT_TRUE(id.ok()) << id.status();
  absl::StatusOr<std::optional<Row>> row = c->QueryOne("SELECT id FROM people WHERE nip = '2'");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ(*id, (*row)->GetInt("id"));
}

TEST_P(EngineTest, ExecuteCountsMatchedRowsEvenWhenValuesAreUnchanged) {
  CreatePeople();
  PooledConnection c = Conn();
  ASSERT_TRUE(c->Execute("INSERT INTO people (nip, grade) VALUES ('1', 3)").ok());
  absl::StatusOr<int64_t> n = c->Execute("UPDATE people SET grade = ? WHERE nip = ?", {3, "1"});
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  n = c->Execute("UPDATE people SET grade = 4 WHERE nip = 'none'");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 0);
}

TEST_P(EngineTest, BatchRunsOnePreparedStatementForEveryParameterSet) {
  CreatePeople();
  std::vector<Params> batch;
  for (int i = 0; i < 200; ++i) batch.push_back({std::to_string(i), "Pegawai", i % 17});
  absl::Status s = WithTransaction(*pool_, [&](Connection& c) {
    absl::StatusOr<int64_t> n =
        c.ExecuteBatch("INSERT INTO people (nip, name, grade) VALUES (?, ?, ?)", batch);
    if (!n.ok()) return n.status();
    EXPECT_EQ(*n, 200);
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  PooledConnection c = Conn();
  EXPECT_EQ(CountPeople(*c), 200);
}

TEST_P(EngineTest, CommittedTransactionIsVisibleToOtherConnections) {
  CreatePeople();
  PooledConnection writer = Conn();
  PooledConnection reader = Conn();
  ASSERT_TRUE(writer->Begin().ok());
  ASSERT_TRUE(writer->Execute("INSERT INTO people (nip) VALUES ('1')").ok());
  EXPECT_EQ(CountPeople(*reader), 0);  // WAL readers never block, and see the last commit
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(CountPeople(*reader), 1);
}

TEST_P(EngineTest, RolledBackTransactionLeavesNoTrace) {
  CreatePeople();
  absl::Status s = WithTransaction(*pool_, [](Connection& c) {
    absl::StatusOr<int64_t> n = c.Execute("INSERT INTO people (nip) VALUES ('1')");
    if (!n.ok()) return n.status();
    return absl::InvalidArgumentError("changed my mind");
  });
  EXPECT_EQ(s, absl::InvalidArgumentError("changed my mind"));
  PooledConnection c = Conn();
  EXPECT_EQ(CountPeople(*c), 0);
  ASSERT_TRUE(c->Begin().ok());
  ASSERT_TRUE(c->Execute("INSERT INTO people (nip) VALUES ('2')").ok());
  ASSERT_TRUE(c->Rollback().ok());
  EXPECT_EQ(CountPeople(*c), 0);
}

TEST_P(EngineTest, DuplicateKeyIsAlreadyExists) {
  CreatePeople();
  PooledConnection c = Conn();
  ASSERT_TRUE(c->Execute("INSERT INTO people (nip) VALUES (?)", {"198501012010011001"}).ok());
  absl::StatusOr<int64_t> again =
      c->Execute("INSERT INTO people (nip) VALUES (?)", {"198501012010011001"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  EXPECT_FALSE(c->broken());
  EXPECT_EQ(CountPeople(*c), 1);
}

TEST_P(EngineTest, SyntaxErrorIsInternalWithTheEngineMessage) {
  absl::StatusOr<ResultSet> rs = Conn()->Query("SELEKT 1");
  ASSERT_FALSE(rs.ok());
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rs.status().message(), HasSubstr("SELEKT"));
}

TEST_P(EngineTest, LockContentionIsARetryableAbort) {
  CreatePeople();
  ASSERT_TRUE(Conn()->Execute("INSERT INTO people (nip, grade) VALUES ('1', 1)").ok());
  PooledConnection holder = Conn();
  PooledConnection other = Conn();
  // Shorten the wait so the test is fast: the engines then give up instead of waiting.
  ASSERT_TRUE(other
                  ->Execute(sqlite() ? "PRAGMA busy_timeout = 0"
                                     : "SET SESSION innodb_lock_wait_timeout = 1")
                  .ok());
  ASSERT_TRUE(holder->Begin().ok());
  ASSERT_TRUE(holder->Execute("UPDATE people SET grade = 2 WHERE nip = '1'").ok());
  absl::Status blocked = other->Begin();
  if (blocked.ok()) {
    absl::StatusOr<int64_t> n = other->Execute("UPDATE people SET grade = 3 WHERE nip = '1'");
    blocked = n.status();
    if (other->in_transaction()) other->Rollback().IgnoreError();
  }
  EXPECT_EQ(blocked.code(), absl::StatusCode::kAborted) << blocked;
  EXPECT_TRUE(IsRetryable(blocked));
  ASSERT_TRUE(holder->Commit().ok());
}

TEST_P(EngineTest, CheckoutTimesOutWithAClearMessageWhenThePoolIsExhausted) {
  std::unique_ptr<Pool> small = OpenPool(1, absl::Milliseconds(100));
  ASSERT_NE(small, nullptr);
  absl::StatusOr<PooledConnection> held = small->Acquire();
  ASSERT_TRUE(held.ok());
  absl::StatusOr<PooledConnection> second = small->Acquire();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(second.status().message(),
            "no database connection became free within 100ms (all 1 in use)");
  EXPECT_EQ(small->Stats().wait_timeouts_total, 1);
}

std::vector<Migration> Schema(bool sqlite) {
  if (sqlite) {
    return {{1, "create_unit",
             "CREATE TABLE unit (\n  id INTEGER PRIMARY KEY,\n  name TEXT\n);\n"
             "CREATE INDEX unit_name ON unit (name);\n"},
            {2, "add_audit", "CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);\n"}};
  }
  return {{1, "create_unit",
           "CREATE TABLE unit (\n  id BIGINT PRIMARY KEY,\n  name VARCHAR(100)\n);\n"
           "CREATE INDEX unit_name ON unit (name);\n"},
          {2, "add_audit", "CREATE TABLE audit (id BIGINT PRIMARY KEY, what TEXT);\n"}};
}

TEST_P(EngineTest, MigrationsApplyOnceAndAreRecorded) {
  std::vector<Migration> schema = Schema(sqlite());
  ASSERT_TRUE(Migrate(*pool_, "personnel", schema).ok());
  absl::Status again = Migrate(*pool_, "personnel", schema);
  ASSERT_TRUE(again.ok()) << again;  // a second run would fail on CREATE TABLE
  PooledConnection c = Conn();
  absl::StatusOr<ResultSet> rs = c->Query(
      "SELECT version, name, checksum, applied_at FROM schema_migrations WHERE service = ? "
      "ORDER BY version",
      {"personnel"});
  ASSERT_TRUE(rs.ok()) << rs.status();
  ASSERT_EQ(rs->size(), 2u);
  EXPECT_EQ(rs->rows[0].GetInt("version"), 1);
  EXPECT_EQ(rs->rows[1].GetString("name"), "add_audit");
  EXPECT_EQ(rs->rows[1].GetString("checksum"), MigrationChecksum(schema[1].sql));
  EXPECT_GT(rs->rows[0].GetInt("applied_at"), 1700000000000);
  EXPECT_TRUE(c->Execute("INSERT INTO audit (id, what) VALUES (1, 'x')").ok());
}

TEST_P(EngineTest, PendingMigrationsApplyInOrderAfterEarlierOnes) {
  std::vector<Migration> schema = Schema(sqlite());
  ASSERT_TRUE(Migrate(*pool_, "personnel", {schema[0]}).ok());
  ASSERT_TRUE(Migrate(*pool_, "personnel", schema).ok());
  EXPECT_TRUE(Conn()->Execute("INSERT INTO audit (id, what) VALUES (1, 'x')").ok());
}

TEST_P(EngineTest, MigrateCountsTheMigrationsThisCallApplied) {
  std::vector<Migration> schema = Schema(sqlite());
  int applied = -1;
  ASSERT_TRUE(Migrate(*pool_, "personnel", {schema[0]}, &applied).ok());
  EXPECT_EQ(applied, 1);
  ASSERT_TRUE(Migrate(*pool_, "personnel", schema, &applied).ok());
  EXPECT_EQ(applied, 1) << "only migration 2 was pending";
  ASSERT_TRUE(Migrate(*pool_, "personnel", schema, &applied).ok());
  EXPECT_EQ(applied, 0) << "nothing pending";
  std::vector<Migration> broken = schema;
  broken.push_back({3, "broken", "CREATE TABLE x (;\n"});
  EXPECT_FALSE(Migrate(*pool_, "personnel", broken, &applied).ok());
  EXPECT_EQ(applied, 0) << "a failed migration is not counted";
}

TEST_P(EngineTest, AChangedMigrationIsRefused) {
  std::vector<Migration> schema = Schema(sqlite());
  ASSERT_TRUE(Migrate(*pool_, "personnel", schema).ok());
  schema[1].sql += "CREATE INDEX audit_what ON audit (what(10));\n";
  absl::Status s = Migrate(*pool_, "personnel", schema);
  EXPECT_EQ(
      s, absl::FailedPreconditionError("migration 2 (add_audit) was changed after it was applied"));
}

TEST_P(EngineTest, ADatabaseNewerThanTheBinaryIsRefused) {
  std::vector<Migration> schema = Schema(sqlite());
  ASSERT_TRUE(Migrate(*pool_, "personnel", schema).ok());
  absl::Status s = Migrate(*pool_, "personnel", {schema[0]});
  EXPECT_EQ(s, absl::FailedPreconditionError(
                   "database has migration 2 (add_audit) of personnel which this binary does "
                   "not know; run a newer binary"));
}

TEST_P(EngineTest, VerifyMigratedNamesThePendingMigrationAndChangesNothing) {
  std::vector<Migration> schema = Schema(sqlite());
  ASSERT_TRUE(Migrate(*pool_, "personnel", {schema[0]}).ok());
  absl::Status s = VerifyMigrated(*pool_, "personnel", schema);
  EXPECT_EQ(s, absl::FailedPreconditionError(
                   "migration 2 (add_audit) of personnel is not applied; run the service once "
                   "with --migrations=only"));
  // Nothing was applied: the table of migration 2 does not exist.
  EXPECT_FALSE(Conn()->Execute("INSERT INTO audit (id, what) VALUES (1, 'x')").ok());
  ASSERT_TRUE(Migrate(*pool_, "personnel", schema).ok());
  EXPECT_TRUE(VerifyMigrated(*pool_, "personnel", schema).ok());
  schema[1].sql += "-- edited\n";
  EXPECT_EQ(VerifyMigrated(*pool_, "personnel", schema).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(EngineTest, MigrationVersionsMustIncrease) {
  std::vector<Migration> schema = Schema(sqlite());
  std::swap(schema[0], schema[1]);
  absl::Status s = Migrate(*pool_, "personnel", schema);
  EXPECT_EQ(s, absl::InvalidArgumentError("migration versions must be positive and strictly "
                                          "increasing; 1 (create_unit) follows 2"));
}

TEST_P(EngineTest, AFailingMigrationNamesItselfAndIsNotRecorded) {
  std::vector<Migration> schema = {{1, "broken", "CREATE TABLE x (;\n"}};
  absl::Status s = Migrate(*pool_, "personnel", schema);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("migration 1 (broken) failed: "));
  absl::StatusOr<ResultSet> rs = Conn()->Query("SELECT * FROM schema_migrations");
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_TRUE(rs->empty());
}

TEST_P(EngineTest, ABrokenConnectionIsReplacedAndThePoolRecovers) {
  CreatePeople();
  {
    PooledConnection victim = Conn();
    ASSERT_TRUE(victim->Execute("INSERT INTO people (nip) VALUES ('1')").ok());
    if (sqlite()) {
      victim->MarkBroken();
    } else {
      // Kill the session from another connection, as a server restart or failover would.
      absl::StatusOr<std::optional<Row>> id = victim->QueryOne("SELECT CONNECTION_ID()");
      ASSERT_TRUE(id.ok() && id->has_value()) << id.status();
      PooledConnection killer = Conn();
      ASSERT_TRUE(killer->Execute("KILL " + std::to_string((*id)->GetInt(0))).ok());
      absl::StatusOr<ResultSet> after = victim->Query("SELECT COUNT(*) FROM people");
      ASSERT_FALSE(after.ok());
      EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable) << after.status();
      EXPECT_TRUE(victim->broken());
      // Once broken, the connection refuses work instead of touching the dead session.
      EXPECT_EQ(victim->Ping().code(), absl::StatusCode::kUnavailable);
    }
  }
  int64_t created_before = pool_->Stats().connections_created_total;
  EXPECT_GE(pool_->Stats().errors_total, 1);
  for (int i = 0; i < 4; ++i) {
    PooledConnection c = Conn();
    EXPECT_EQ(CountPeople(*c), 1);
  }
  EXPECT_TRUE(pool_->Healthy());
  EXPECT_LE(pool_->Stats().connections_created_total, created_before + 1);
}

TEST_P(EngineTest, HealthyIsTrueWhileTheDatabaseAnswers) {
  EXPECT_TRUE(pool_->Healthy());
  EXPECT_EQ(pool_->Stats().in_use, 0);
}

INSTANTIATE_TEST_SUITE_P(AllEngines, EngineTest,
                         ::testing::Values(Engine::kSqlite, Engine::kMariaDbTcp,
                                           Engine::kMariaDbSocket),
                         EngineName);

TEST(SqliteMemory, AllCheckoutsShareOneDatabase) {
  absl::StatusOr<std::unique_ptr<Pool>> pool = Pool::Open("sqlite::memory:");
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_EQ((*pool)->options().max_connections, 1);
  {
    absl::StatusOr<PooledConnection> c = (*pool)->Acquire();
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Execute("CREATE TABLE t (x INTEGER)").ok());
  }
  absl::StatusOr<PooledConnection> c = (*pool)->Acquire();
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE((*c)->Query("SELECT x FROM t").ok());
}

TEST(Sqlite, ForeignKeysAreEnforced) {
  absl::StatusOr<std::unique_ptr<Pool>> pool = Pool::Open(testsupport::FreshSqliteDsn());
  ASSERT_TRUE(pool.ok()) << pool.status();
  absl::StatusOr<PooledConnection> c = (*pool)->Acquire();
  ASSERT_TRUE((*c)->Execute("CREATE TABLE a (id INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE((*c)->Execute("CREATE TABLE b (a_id INTEGER REFERENCES a(id))").ok());
  absl::StatusOr<int64_t> r = (*c)->Execute("INSERT INTO b (a_id) VALUES (42)");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("FOREIGN KEY constraint failed"));
}

TEST(MariaDb, UnreachableServerIsUnavailableNotACrash) {
  PoolOptions options;
  options.max_connections = 1;
  absl::StatusOr<std::unique_ptr<Pool>> pool =
      Pool::Open("mysql://nobody:pw@127.0.0.1:1/none", options);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(pool.status().message(), HasSubstr("cannot connect to mysql at 127.0.0.1:1"));
  EXPECT_THAT(pool.status().message(), ::testing::Not(HasSubstr("pw")));
}

}  // namespace
}  // namespace seimbang::db
