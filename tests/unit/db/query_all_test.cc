#include <string>
#include <utility>
#include <vector>

#include "common/db/connection.h"
#include "common/db/dsn.h"
#include "gtest/gtest.h"

namespace seimbang::db {
namespace {

std::unique_ptr<Connection> OpenMemory() {
  absl::StatusOr<Dsn> dsn = ParseDsn("sqlite::memory:");
  EXPECT_TRUE(dsn.ok()) << dsn.status();
  absl::StatusOr<std::unique_ptr<Connection>> conn = OpenConnection(*dsn);
  EXPECT_TRUE(conn.ok()) << conn.status();
  EXPECT_TRUE((*conn)->Execute("CREATE TABLE t (k INTEGER, v TEXT)").ok());
  EXPECT_TRUE((*conn)->Execute("INSERT INTO t VALUES (3, 'c'), (1, 'a'), (2, 'b')").ok());
  return std::move(*conn);
}

TEST(QueryAll, MapsEveryRowInTheOrderReturned) {
  std::unique_ptr<Connection> conn = OpenMemory();
  absl::StatusOr<std::vector<std::pair<int64_t, std::string>>> rows =
      QueryAll(*conn, "SELECT k, v FROM t WHERE k >= ? ORDER BY k", {Int(2)},
               [](const Row& r) { return std::make_pair(r.GetInt(0), r.GetString("v")); });
  ASSERT_TRUE(rows.ok()) << rows.status();
  const std::vector<std::pair<int64_t, std::string>> want = {{2, "b"}, {3, "c"}};
  EXPECT_EQ(*rows, want);
}

TEST(QueryAll, ReturnsTheQueryErrorAndNoRows) {
  std::unique_ptr<Connection> conn = OpenMemory();
  auto rows = QueryAll(*conn, "SELECT nope FROM t", {}, [](const Row& r) { return r.GetInt(0); });
  EXPECT_FALSE(rows.ok());
}

TEST(AppendLimit, ANonNegativeLimitBoundsTheQueryAndANegativeOneReadsAll) {
  std::unique_ptr<Connection> conn = OpenMemory();
  for (const auto& [limit, expected] :
       std::vector<std::pair<int, size_t>>{{2, 2}, {0, 0}, {-1, 3}}) {
    SCOPED_TRACE(limit);
    std::string sql = "SELECT k FROM t ORDER BY k";
    Params params;
    AppendLimit(limit, sql, params);
    EXPECT_EQ(params.size(), limit < 0 ? 0u : 1u);
    auto rows = QueryAll(*conn, sql, params, [](const Row& r) { return r.GetInt(0); });
    ASSERT_TRUE(rows.ok()) << rows.status();
    EXPECT_EQ(rows->size(), expected);
  }
}

TEST(AndWhere, AddsAConditionAndItsValueOnlyWhenTheFilterIsSet) {
  std::unique_ptr<Connection> conn = OpenMemory();
  std::string sql = "SELECT k FROM t WHERE 1=1";
  Params params;
  AndWhere(false, "k = ?", Int(1), sql, params);
  AndWhere(true, "k >= ?", Int(2), sql, params);
  AndWhere(true, "v <> ?", Text("c"), sql, params);
  EXPECT_EQ(sql, "SELECT k FROM t WHERE 1=1 AND k >= ? AND v <> ?");
  ASSERT_EQ(params.size(), 2u);
  auto rows = QueryAll(*conn, sql, params, [](const Row& r) { return r.GetInt(0); });
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, std::vector<int64_t>{2});
}

}  // namespace
}  // namespace seimbang::db
