#include "common/db/migrations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace seimbang::db {
namespace {

using ::testing::ElementsAre;

TEST(SplitStatements, SplitsAtSemicolonsThatEndALine) {
  EXPECT_THAT(SplitStatements("CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n"),
              ElementsAre("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"));
}

TEST(SplitStatements, KeepsSemicolonsInsideALine) {
  EXPECT_THAT(SplitStatements("INSERT INTO t VALUES ('a;b');\n"),
              ElementsAre("INSERT INTO t VALUES ('a;b')"));
}

TEST(SplitStatements, MultiLineStatementsStayWhole) {
  EXPECT_THAT(SplitStatements("CREATE TABLE a (\n  x INT\n);\r\n"),
              ElementsAre("CREATE TABLE a (\n  x INT\n)"));
}

TEST(SplitStatements, DropsCommentOnlyAndBlankParts) {
  EXPECT_THAT(SplitStatements("-- header\n\nCREATE TABLE a (x INT);\n-- trailing note\n"),
              ElementsAre("-- header\n\nCREATE TABLE a (x INT)"));
  EXPECT_THAT(SplitStatements("  \n-- nothing\n"), ElementsAre());
}

TEST(SplitStatements, LastStatementMayLackASemicolon) {
  EXPECT_THAT(SplitStatements("SELECT 1;\nSELECT 2"), ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(MigrationChecksum, IsSixteenHexDigitsAndIgnoresCarriageReturns) {
  std::string a = MigrationChecksum("CREATE TABLE a (x INT);\n");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(a, MigrationChecksum("CREATE TABLE a (x INT);\r\n"));
}

TEST(MigrationChecksum, ChangesWhenTheSqlChanges) {
  EXPECT_NE(MigrationChecksum("CREATE TABLE a (x INT);"),
            MigrationChecksum("CREATE TABLE a (x BIGINT);"));
  // FNV-1a 64 of the empty string is the offset basis.
  EXPECT_EQ(MigrationChecksum(""), "cbf29ce484222325");
}

}  // namespace
}  // namespace seimbang::db
