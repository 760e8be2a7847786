#include "common/db/dsn.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace seimbang::db {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(std::string_view dsn) {
  absl::StatusOr<Dsn> parsed = ParseDsn(dsn);
  EXPECT_FALSE(parsed.ok()) << dsn;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(ParseDsn, SqliteTakesEverythingAfterTheSchemeAsThePath) {
  absl::StatusOr<Dsn> dsn = ParseDsn("sqlite:/var/lib/seimbang/personnel.db");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->dialect, Dialect::kSqlite);
  EXPECT_EQ(dsn->path, "/var/lib/seimbang/personnel.db");
  EXPECT_FALSE(dsn->in_memory());
}

TEST(ParseDsn, SqliteMemoryIsInMemory) {
  absl::StatusOr<Dsn> dsn = ParseDsn("sqlite::memory:");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->path, ":memory:");
  EXPECT_TRUE(dsn->in_memory());
}

TEST(ParseDsn, SqliteWithoutPathIsRejected) {
  EXPECT_EQ(ErrorOf("sqlite:"), "sqlite DSN needs a path (sqlite:PATH or sqlite::memory:)");
}

TEST(ParseDsn, MysqlHasUserPasswordHostPortAndDatabase) {
  absl::StatusOr<Dsn> dsn = ParseDsn("mysql://seimbang:s3cret@db.example:3307/personnel");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->dialect, Dialect::kMysql);
  EXPECT_EQ(dsn->user, "seimbang");
  EXPECT_EQ(dsn->password, "s3cret");
  EXPECT_EQ(dsn->host, "db.example");
  EXPECT_EQ(dsn->port, 3307);
  EXPECT_EQ(dsn->database, "personnel");
  EXPECT_EQ(dsn->socket, "");
}

TEST(ParseDsn, MysqlPortDefaultsTo3306AndPasswordIsOptional) {
  absl::StatusOr<Dsn> dsn = ParseDsn("mysql://reader@10.0.0.5/workload");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->user, "reader");
  EXPECT_EQ(dsn->password, "");
  EXPECT_EQ(dsn->host, "10.0.0.5");
  EXPECT_EQ(dsn->port, 3306);
}

TEST(ParseDsn, MysqlUserAndPasswordArePercentDecoded) {
  absl::StatusOr<Dsn> dsn = ParseDsn("mysql://app%2Buser:p%40ss%3Aw%2Fd@host/db");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->user, "app+user");
  EXPECT_EQ(dsn->password, "p@ss:w/d");
}

TEST(ParseDsn, MysqlUnencodedAtInPasswordSplitsAtTheLastAt) {
  absl::StatusOr<Dsn> dsn = ParseDsn("mysql://u:a@b@host:3306/db");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->password, "a@b");
  EXPECT_EQ(dsn->host, "host");
}

TEST(ParseDsn, MysqlSocketOptionSelectsTheUnixSocket) {
  absl::StatusOr<Dsn> dsn =
      ParseDsn("mysql://seimbang@localhost/transfer?socket=/run/mysqld/mysqld.sock");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->host, "localhost");
  EXPECT_EQ(dsn->database, "transfer");
  EXPECT_EQ(dsn->socket, "/run/mysqld/mysqld.sock");
}

TEST(ParseDsn, MysqlIpv6HostInBrackets) {
  absl::StatusOr<Dsn> dsn = ParseDsn("mysql://u:p@[::1]:3310/db");
  ASSERT_TRUE(dsn.ok()) << dsn.status();
  EXPECT_EQ(dsn->host, "::1");
  EXPECT_EQ(dsn->port, 3310);
}

TEST(ParseDsn, UnknownSchemeIsRejectedNamingTheScheme) {
  EXPECT_EQ(ErrorOf("postgres://u@h/db"),
            "unknown DSN scheme 'postgres', expected sqlite: or mysql://");
}

TEST(ParseDsn, MissingSchemeIsRejected) {
  EXPECT_EQ(ErrorOf("/var/lib/x.db"), "DSN has no scheme, expected sqlite: or mysql://");
}

TEST(ParseDsn, MysqlWithoutSlashesIsRejected) {
  EXPECT_EQ(ErrorOf("mysql:u@h/db"), "mysql DSN must start with mysql://");
}

TEST(ParseDsn, MysqlNeedsADatabaseName) {
  EXPECT_EQ(ErrorOf("mysql://u:p@host:3306/"), "mysql DSN needs a database name");
  EXPECT_EQ(ErrorOf("mysql://u:p@host:3306"), "mysql DSN needs a database name");
}

TEST(ParseDsn, MysqlNeedsAUserAndAHost) {
  EXPECT_EQ(ErrorOf("mysql://host/db"),
            "mysql DSN needs a user (mysql://USER:PASSWORD@HOST:PORT/DB)");
  EXPECT_EQ(ErrorOf("mysql://:pw@host/db"),
            "mysql DSN needs a user (mysql://USER:PASSWORD@HOST:PORT/DB)");
  EXPECT_EQ(ErrorOf("mysql://u@:3306/db"), "mysql DSN needs a host");
}

TEST(ParseDsn, MysqlPortMustBeANumberInRange) {
  EXPECT_EQ(ErrorOf("mysql://u@h:70000/db"), "port 70000 out of range");
  EXPECT_EQ(ErrorOf("mysql://u@h:0/db"), "port 0 out of range");
  EXPECT_EQ(ErrorOf("mysql://u@h:abc/db"), "invalid port 'abc' in mysql DSN");
  EXPECT_EQ(ErrorOf("mysql://u@h:/db"), "invalid port '' in mysql DSN");
}

TEST(ParseDsn, MysqlBadPercentEncodingIsRejected) {
  EXPECT_EQ(ErrorOf("mysql://u:%zz@h/db"),
            "invalid percent-encoding in mysql DSN user or password");
  EXPECT_EQ(ErrorOf("mysql://u:abc%4@h/db"),
            "invalid percent-encoding in mysql DSN user or password");
}

TEST(ParseDsn, MysqlUnknownOptionIsRejected) {
  EXPECT_EQ(ErrorOf("mysql://u@h/db?sslmode=require"),
            "unknown mysql DSN option 'sslmode', expected socket=, local_infile=, "
            "read_timeout= or write_timeout=");
  EXPECT_EQ(ErrorOf("mysql://u@h/db?socket="), "mysql DSN option socket= needs a path");
  EXPECT_EQ(ErrorOf("mysql://u@h/db?local_infile=yes"),
            "mysql DSN option local_infile= takes 0 or 1");
}

TEST(ParseDsn, MysqlReadAndWriteTimeoutsAreOffUnlessGivenInWholeSeconds) {
  absl::StatusOr<Dsn> plain = ParseDsn("mysql://u@h/db");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->read_timeout_seconds, 0);
  EXPECT_EQ(plain->write_timeout_seconds, 0);
  absl::StatusOr<Dsn> set = ParseDsn("mysql://u@h/db?read_timeout=300&write_timeout=60");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->read_timeout_seconds, 300);
  EXPECT_EQ(set->write_timeout_seconds, 60);
  for (const char* bad : {"read_timeout=0", "read_timeout=-1", "read_timeout=1.5",
                          "read_timeout=", "read_timeout=86401"}) {
    EXPECT_EQ(ErrorOf(std::string("mysql://u@h/db?") + bad),
              "mysql DSN option read_timeout= takes whole seconds, 1..86400")
        << bad;
  }
  EXPECT_EQ(ErrorOf("mysql://u@h/db?write_timeout=x"),
            "mysql DSN option write_timeout= takes whole seconds, 1..86400");
}

TEST(ParseDsn, MysqlLocalInfileIsOnUnlessTurnedOff) {
  absl::StatusOr<Dsn> plain = ParseDsn("mysql://u@h/db");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->local_infile);
  absl::StatusOr<Dsn> off = ParseDsn("mysql://u@h/db?socket=/s.sock&local_infile=0");
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_FALSE(off->local_infile);
  EXPECT_EQ(off->socket, "/s.sock");
}

TEST(RedactDsn, ReplacesThePasswordOnly) {
  EXPECT_EQ(RedactDsn("mysql://seimbang:s3cret@db:3306/personnel"),
            "mysql://seimbang:***@db:3306/personnel");
  EXPECT_EQ(RedactDsn("mysql://u:a@b@h/db?socket=/s.sock"), "mysql://u:***@h/db?socket=/s.sock");
}

TEST(RedactDsn, LeavesDsnsWithoutPasswordUnchanged) {
  EXPECT_EQ(RedactDsn("mysql://seimbang@db/personnel"), "mysql://seimbang@db/personnel");
  EXPECT_EQ(RedactDsn("sqlite:/tmp/x.db"), "sqlite:/tmp/x.db");
  EXPECT_THAT(RedactDsn("mysql://u:pw@h/db"), ::testing::Not(HasSubstr("pw")));
}

}  // namespace
}  // namespace seimbang::db
