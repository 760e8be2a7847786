#include "common/db/value.h"

#include "gtest/gtest.h"

namespace seimbang::db {
namespace {

Row MakeRow(std::vector<Value> values) {
  auto columns = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"id", "score", "name", "note"});
  return Row(columns, std::move(values));
}

TEST(Row, TypedGettersReadTheirOwnType) {
  Row row = MakeRow({int64_t{42}, 2.5, std::string("Andi"), Null()});
  EXPECT_EQ(row.GetInt(0), 42);
  EXPECT_DOUBLE_EQ(row.GetDouble(1), 2.5);
  EXPECT_EQ(row.GetString(2), "Andi");
  EXPECT_TRUE(row.IsNull(3));
  EXPECT_FALSE(row.IsNull(0));
}

TEST(Row, ColumnsCanBeReadByName) {
  Row row = MakeRow({int64_t{7}, 1.25, std::string("Budi"), std::string("x")});
  EXPECT_EQ(row.GetInt("id"), 7);
  EXPECT_DOUBLE_EQ(row.GetDouble("score"), 1.25);
  EXPECT_EQ(row.GetString("name"), "Budi");
  EXPECT_EQ(row.ColumnIndex("note"), 3);
  EXPECT_EQ(row.ColumnIndex("missing"), -1);
}

TEST(Row, UnknownColumnReadsAsNull) {
  Row row = MakeRow({int64_t{1}, 1.0, std::string("a"), Null()});
  EXPECT_TRUE(row.IsNull("missing"));
  EXPECT_EQ(row.GetOptionalInt("missing"), std::nullopt);
  EXPECT_TRUE(row.IsNull(17));
}

TEST(Row, OptionalGettersAreEmptyOnlyForNull) {
  Row row = MakeRow({int64_t{0}, Null(), std::string(""), Null()});
  EXPECT_EQ(row.GetOptionalInt(0), std::optional<int64_t>(0));
  EXPECT_EQ(row.GetOptionalDouble(1), std::nullopt);
  EXPECT_EQ(row.GetOptionalString(2), std::optional<std::string>(""));
  EXPECT_EQ(row.GetOptionalString("note"), std::nullopt);
}

TEST(Row, NumericTextConvertsBecauseMysqlReturnsDecimalAsText) {
  Row row = MakeRow({std::string("12"), std::string("3.75"), int64_t{5}, 2.0});
  EXPECT_EQ(row.GetInt(0), 12);
  EXPECT_DOUBLE_EQ(row.GetDouble(1), 3.75);
  EXPECT_EQ(row.GetString(2), "5");
  EXPECT_EQ(row.GetInt(3), 2);
}

TEST(Row, BooleansAreIntegersZeroAndOne) {
  Row row = MakeRow({Bool(true), Bool(false), Null(), Null()});
  EXPECT_TRUE(row.GetBool(0));
  EXPECT_FALSE(row.GetBool("score"));
}

TEST(Value, OptionalHelpersMapEmptyToNull) {
  EXPECT_TRUE(std::holds_alternative<std::monostate>(OptionalInt(std::nullopt)));
  EXPECT_EQ(std::get<int64_t>(OptionalInt(5)), 5);
  EXPECT_EQ(std::get<std::string>(OptionalText(std::string("x"))), "x");
  EXPECT_EQ(ValueToString(Null()), "NULL");
  EXPECT_EQ(ValueToString(Text("a")), "'a'");
  EXPECT_EQ(ValueToString(Int(-3)), "-3");
}

TEST(Value, PlainIntegersAndLiteralsConvertWithoutHelpers) {
  Params params = {1, int64_t{2}, 2.5, "text", std::string("s")};
  EXPECT_TRUE(std::holds_alternative<int64_t>(params[0]));
  EXPECT_TRUE(std::holds_alternative<double>(params[2]));
  EXPECT_TRUE(std::holds_alternative<std::string>(params[3]));
}

}  // namespace
}  // namespace seimbang::db
