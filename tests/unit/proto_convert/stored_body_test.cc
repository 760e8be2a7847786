#include "common/proto_convert/stored_body.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::proto_convert {
namespace {

using ::testing::HasSubstr;

TEST(StoredBody, ABodyReadsBackAsTheMessageThatWasStored) {
  workload::v1::PositionRow row;
  row.set_unit_id(42);
  row.set_position_code("JF-1");
  row.set_ej(2.5);
  const std::string text = EncodeBody(row);
  // Text that survives a utf8mb4 column: base64's alphabet only.
  EXPECT_EQ(
      text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
      std::string::npos);
  const auto back = DecodeBody<workload::v1::PositionRow>(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), row.SerializeAsString());
}

TEST(StoredBody, DecodeBodyIntoReplacesWhatTheMessageHeld) {
  workload::v1::PositionRow stored;
  stored.set_unit_id(7);
  workload::v1::PositionRow target;
  target.set_position_code("old");
  ASSERT_TRUE(DecodeBodyInto(EncodeBody(stored), target).ok());
  EXPECT_EQ(target.unit_id(), 7);
  EXPECT_EQ(target.position_code(), "");
}

TEST(StoredBody, ACorruptBodyIsInternalAndNamesTheMessageType) {
  for (const std::string text : {"not base64 at all!", "////"}) {
    SCOPED_TRACE(text);
    const auto back = DecodeBody<workload::v1::PositionRow>(text);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.status().code(), absl::StatusCode::kInternal);
    EXPECT_THAT(back.status().message(), HasSubstr("seimbang.workload.v1.PositionRow"));
  }
}

}  // namespace
}  // namespace seimbang::proto_convert
