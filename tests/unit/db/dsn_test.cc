#include "common/db/dsn.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
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

// Each DSN is refused with its message.
void ExpectRefused(std::initializer_list<std::pair<std::string_view, std::string_view>> cases) {
  for (const auto& [dsn, message] : cases) EXPECT_EQ(ErrorOf(dsn), message) << dsn;
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

// A DSN a test expects to parse as MySQL, its connection fields on one line to compare ("" when
// it does not parse, with the error reported).
std::string MysqlFields(std::string_view text) {
  absl::StatusOr<Dsn> dsn = ParseDsn(text);
  EXPECT_TRUE(dsn.ok()) << text << ": " << dsn.status();
  if (!dsn.ok()) return "";
  EXPECT_EQ(dsn->dialect, Dialect::kMysql) << text;
  return absl::StrCat("user=", dsn->user, " password=", dsn->password, " host=", dsn->host,
                      " port=", dsn->port, " database=", dsn->database, " socket=", dsn->socket);
}

TEST(ParseDsn, MysqlHasUserPasswordHostPortAndDatabase) {
  EXPECT_EQ(MysqlFields("mysql://seimbang:s3cret@db.example:3307/personnel"),
            "user=seimbang password=s3cret host=db.example port=3307 database=personnel socket=");
}

TEST(ParseDsn, MysqlPortDefaultsTo3306AndPasswordIsOptional) {
  EXPECT_EQ(MysqlFields("mysql://reader@10.0.0.5/workload"),
            "user=reader password= host=10.0.0.5 port=3306 database=workload socket=");
}

TEST(ParseDsn, MysqlUserAndPasswordArePercentDecoded) {
  EXPECT_EQ(MysqlFields("mysql://app%2Buser:p%40ss%3Aw%2Fd@host/db"),
            "user=app+user password=p@ss:w/d host=host port=3306 database=db socket=");
}

TEST(ParseDsn, MysqlUnencodedAtInPasswordSplitsAtTheLastAt) {
  EXPECT_EQ(MysqlFields("mysql://u:a@b@host:3306/db"),
            "user=u password=a@b host=host port=3306 database=db socket=");
}

TEST(ParseDsn, MysqlSocketOptionSelectsTheUnixSocket) {
  EXPECT_EQ(MysqlFields("mysql://seimbang@localhost/transfer?socket=/run/mysqld/mysqld.sock"),
            "user=seimbang password= host=localhost port=3306 database=transfer "
            "socket=/run/mysqld/mysqld.sock");
}

TEST(ParseDsn, MysqlIpv6HostInBrackets) {
  EXPECT_EQ(MysqlFields("mysql://u:p@[::1]:3310/db"),
            "user=u password=p host=::1 port=3310 database=db socket=");
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
  ExpectRefused({{"mysql://u:p@host:3306/", "mysql DSN needs a database name"},
                 {"mysql://u:p@host:3306", "mysql DSN needs a database name"}});
}

TEST(ParseDsn, MysqlNeedsAUserAndAHost) {
  ExpectRefused(
      {{"mysql://host/db", "mysql DSN needs a user (mysql://USER:PASSWORD@HOST:PORT/DB)"},
       {"mysql://:pw@host/db", "mysql DSN needs a user (mysql://USER:PASSWORD@HOST:PORT/DB)"},
       {"mysql://u@:3306/db", "mysql DSN needs a host"}});
}

TEST(ParseDsn, MysqlPortMustBeANumberInRange) {
  ExpectRefused({{"mysql://u@h:70000/db", "port 70000 out of range"},
                 {"mysql://u@h:0/db", "port 0 out of range"},
                 {"mysql://u@h:abc/db", "invalid port 'abc' in mysql DSN"},
                 {"mysql://u@h:/db", "invalid port '' in mysql DSN"}});
}

TEST(ParseDsn, MysqlBadPercentEncodingIsRejected) {
  ExpectRefused(
      {{"mysql://u:%zz@h/db", "invalid percent-encoding in mysql DSN user or password"},
       {"mysql://u:abc%4@h/db", "invalid percent-encoding in mysql DSN user or password"}});
}

TEST(ParseDsn, MysqlUnknownOptionIsRejected) {
  ExpectRefused(
      {{"mysql://u@h/db?sslmode=require",
        "unknown mysql DSN option 'sslmode', expected socket=, local_infile=, "
        "read_timeout= or write_timeout="},
       {"mysql://u@h/db?socket=", "mysql DSN option socket= needs a path"},
       {"mysql://u@h/db?local_infile=yes", "mysql DSN option local_infile= takes 0 or 1"}});
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
