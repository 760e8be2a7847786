#include "common/proto_convert/row.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::proto_convert {
namespace {

db::Row MakeRow(std::vector<std::string> columns, db::Params values) {
  return db::Row(std::make_shared<const std::vector<std::string>>(std::move(columns)),
                 std::move(values));
}

TEST(MessageFromRow, EveryScalarTypeIsReadFromTheColumnOfItsName) {
  const db::Row row = MakeRow({"has_workload", "unit_id", "ej", "staff", "grade", "position_code"},
                              {db::Bool(true), db::Int(1234567890123), db::Real(1.25), db::Int(7),
                               db::Int(3), db::Text("JF-1")});
  const auto p = MessageFromRow<workload::v1::PositionRow>(row);
  EXPECT_TRUE(p.has_workload());
  EXPECT_EQ(p.unit_id(), 1234567890123);      // int64
  EXPECT_DOUBLE_EQ(p.ej(), 1.25);             // double
  EXPECT_EQ(p.staff(), 7);                    // int32
  EXPECT_EQ(static_cast<int>(p.grade()), 3);  // enum, by its number
  EXPECT_EQ(p.position_code(), "JF-1");
  EXPECT_EQ(p.job_family(), "");  // no column: left alone
}

TEST(MessageFromRow, NullColumnsUnknownColumnsAndMessageFieldsAreLeftAlone) {
  // effective_date is a message field: the caller converts it; "agency_code" names no field.
  const db::Row row = MakeRow({"id", "nip", "decree_number", "effective_date", "agency_code"},
                              {db::Int(9), db::Null(), db::Text("800/1/2026"),
                               db::Text("2026-01-02"), db::Text("KOTA-MKS")});
  const auto p = MessageFromRow<personnel::v1::Placement>(row);
  EXPECT_EQ(p.id(), 9);
  EXPECT_EQ(p.nip(), "");
  EXPECT_EQ(p.decree_number(), "800/1/2026");
  EXPECT_FALSE(p.has_effective_date());
}

TEST(SetFieldsFromRow, KeepsWhatTheCallerSetForFieldsWithoutAColumn) {
  common::v1::AuditEvent e;
  e.set_subject("kept");
  e.set_method("replaced");
  SetFieldsFromRow(MakeRow({"method", "time_ms"}, {db::Text("/a.B/C"), db::Int(5)}), e);
  EXPECT_EQ(e.subject(), "kept");
  EXPECT_EQ(e.method(), "/a.B/C");
  EXPECT_EQ(e.time_ms(), 5);
}

TEST(SetFieldsFromRow, ARowWithoutColumnNamesSetsNothing) {
  common::v1::AuditEvent e;
  SetFieldsFromRow(db::Row(nullptr, {db::Text("x")}), e);
  EXPECT_EQ(e.ByteSizeLong(), 0u);
}

}  // namespace
}  // namespace seimbang::proto_convert
