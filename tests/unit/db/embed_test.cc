#include <vector>

#include "common/db/migrations.h"
#include "gtest/gtest.h"

namespace seimbang::db::testdata {
std::vector<Migration> UnitMigrations(Dialect dialect);
}  // namespace seimbang::db::testdata

namespace seimbang::db {
namespace {

TEST(EmbedMigrations, GeneratesOneMigrationPerFileInVersionOrder) {
  std::vector<Migration> sqlite = testdata::UnitMigrations(Dialect::kSqlite);
  ASSERT_EQ(sqlite.size(), 2u);
  EXPECT_EQ(sqlite[0].version, 1);
  EXPECT_EQ(sqlite[0].name, "create_unit");
  EXPECT_EQ(sqlite[1].version, 2);
  EXPECT_EQ(sqlite[1].name, "add_code");
}

TEST(EmbedMigrations, EmbedsTheFileTextVerbatimPerDialect) {
  std::vector<Migration> sqlite = testdata::UnitMigrations(Dialect::kSqlite);
  std::vector<Migration> mysql = testdata::UnitMigrations(Dialect::kMysql);
  ASSERT_EQ(mysql.size(), 2u);
  EXPECT_EQ(sqlite[1].sql, "ALTER TABLE unit ADD COLUMN code TEXT;\n");
  EXPECT_EQ(mysql[1].sql, "ALTER TABLE unit ADD COLUMN code VARCHAR(32);\n");
  EXPECT_NE(sqlite[0].sql.find("INTEGER PRIMARY KEY AUTOINCREMENT"), std::string::npos);
  EXPECT_NE(mysql[0].sql.find("BIGINT AUTO_INCREMENT PRIMARY KEY"), std::string::npos);
  EXPECT_EQ(SplitStatements(mysql[0].sql).size(), 2u);
}

}  // namespace
}  // namespace seimbang::db
