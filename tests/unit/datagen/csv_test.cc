#include "tools/csv/csv.h"

#include <sstream>

#include "gtest/gtest.h"

namespace seimbang::csv {
namespace {

TEST(Csv, PlainFieldsAreWrittenAsIs) {
  EXPECT_EQ(FormatRecord({"73.71", "Mariso", ""}), "73.71,Mariso,\n");
}

TEST(Csv, FieldsWithCommasQuotesOrNewlinesAreQuotedAndQuotesDoubled) {
  EXPECT_EQ(FormatRecord({"a,b", "say \"hi\"", "two\nlines"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
}

TEST(Csv, ReaderRoundTripsWhatTheWriterWrote) {
  std::vector<std::string> row = {"Kelurahan Pa'batong", "x,y", "\"q\"", "line1\nline2", ""};
  std::istringstream in("h1,h2,h3,h4,h5\r\n" + FormatRecord(row));
  auto reader = Reader::FromStream(in);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> got;
  ASSERT_TRUE(*(*reader)->Next(got));
  EXPECT_EQ(got, row);
  EXPECT_EQ((*reader)->line(), 2);
  EXPECT_FALSE(*(*reader)->Next(got));
}

// Found by the csv fuzzer: the CR of a CRLF inside a quoted field used to be dropped.
TEST(Csv, ALineBreakInsideAQuotedFieldIsKeptAsWrittenCrlfOrLf) {
  for (const std::string& value :
       {std::string("x\r\ny"), std::string("x\ny"), std::string("x\r\r\ny")}) {
    std::istringstream in("h\r\n" + FormatRecord({value}));
    auto reader = Reader::FromStream(in);
    ASSERT_TRUE(reader.ok());
    std::vector<std::string> got;
    ASSERT_TRUE(*(*reader)->Next(got));
    EXPECT_EQ(got, std::vector<std::string>{value});
  }
}

TEST(Csv, LineNumbersCountPhysicalLinesOfMultiLineFields) {
  std::istringstream in("a\n\"x\ny\"\nz\n");
  auto reader = Reader::FromStream(in);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> got;
  ASSERT_TRUE(*(*reader)->Next(got));
  ASSERT_TRUE(*(*reader)->Next(got));
  EXPECT_EQ(got[0], "z");
  EXPECT_EQ((*reader)->line(), 4);
}

TEST(Csv, UnterminatedQuoteIsAnErrorWithTheLine) {
  std::istringstream in("a\n\"oops\n");
  auto reader = Reader::FromStream(in);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> got;
  auto r = (*reader)->Next(got);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "line 2: unterminated quoted field");
}

TEST(Csv, MissingColumnsAreNamed) {
  std::istringstream in("nip,name\n");
  auto reader = Reader::FromStream(in);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Column("name"), 1);
  EXPECT_EQ((*reader)->RequireColumns({"nip", "rank", "unit_id"}).message(),
            "missing column(s): rank, unit_id");
}

TEST(Csv, ParseRecordSplitsOneLine) {
  auto r = ParseRecord("1,\"a,b\",c");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"1", "a,b", "c"}));
}

}  // namespace
}  // namespace seimbang::csv
