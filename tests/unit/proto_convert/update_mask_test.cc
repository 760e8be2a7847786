// AIP-134 update masks (common/proto_convert/update_mask.h), on the contracts' own resources.
#include "common/proto_convert/update_mask.h"

#include <string>
#include <vector>

#include "common/errors/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "seimbang/transfer/v1/transfer.pb.h"

namespace seimbang::proto_convert {
namespace {

namespace pv1 = ::seimbang::personnel::v1;
namespace tv1 = ::seimbang::transfer::v1;
using ::testing::AllOf;
using ::testing::Each;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const std::vector<std::string_view> kFixed = {"nip", "agency_code", "etag", "version"};

google::protobuf::FieldMask Mask(const std::vector<std::string>& paths) {
  google::protobuf::FieldMask m;
  m.mutable_paths()->Add(paths.begin(), paths.end());
  return m;
}

pv1::Employee Stored() {
  pv1::Employee e;
  e.set_nip("198503122010011002");
  e.set_name("Stored Name");
  e.set_rank("III/a");
  e.add_competency_tags("a");
  e.add_competency_tags("b");
  e.mutable_flags()->set_study_assignment(true);
  e.mutable_flags()->mutable_leave_until()->set_year(2026);
  e.set_agency_code("73.71");
  e.set_etag("7");
  e.set_version(7);
  return e;
}

absl::StatusOr<pv1::Employee> Apply(const google::protobuf::FieldMask& mask,
                                    const pv1::Employee& request) {
  return ApplyUpdateMask(mask, request, kFixed,
                         []() -> absl::StatusOr<pv1::Employee> { return Stored(); });
}

TEST(UpdateMask, EmptyAndStarAreFullReplacementWithoutReadingTheStore) {
  pv1::Employee request;
  request.set_name("Only Name");
  for (const auto& mask : {Mask({}), Mask({"*"})}) {
    bool loaded = false;
    auto out = ApplyUpdateMask(mask, request, kFixed, [&]() -> absl::StatusOr<pv1::Employee> {
      loaded = true;
      return Stored();
    });
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->SerializeAsString(), request.SerializeAsString());
    EXPECT_FALSE(loaded);
  }
}

TEST(UpdateMask, NamedFieldsComeFromTheRequestEverythingElseAsStored) {
  pv1::Employee request;
  request.set_nip("198503122010011002");
  request.set_name("New Name");
  request.set_rank("IV/e");  // not in the mask: ignored
  request.set_etag("6");     // the caller's etag wins, so the write checks what it saw
  auto out = Apply(Mask({"name"}), request);
  ASSERT_TRUE(out.ok()) << out.status();
  pv1::Employee want = Stored();
  want.set_name("New Name");
  want.set_etag("6");
  EXPECT_EQ(out->SerializeAsString(), want.SerializeAsString()) << out->DebugString();
}

TEST(UpdateMask, NestedPathChangesOnlyThatSubfield) {
  pv1::Employee request;
  request.mutable_flags()->mutable_leave_until()->set_year(2030);
  request.mutable_flags()->set_study_assignment(false);  // not named: stays true
  auto out = Apply(Mask({"flags.leave_until"}), request);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->flags().leave_until().year(), 2030);
  EXPECT_TRUE(out->flags().study_assignment());
  EXPECT_EQ(out->name(), "Stored Name");
}

TEST(UpdateMask, NamedButUnsetFieldsAreClearedAndMessagesAndListsReplaced) {
  pv1::Employee request;
  request.add_competency_tags("c");
  request.mutable_flags()->set_judicial_process(true);
  auto out = Apply(Mask({"rank", "competency_tags", "flags"}), request);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->rank(), "");
  EXPECT_THAT(out->competency_tags(), ::testing::ElementsAre("c"));
  EXPECT_TRUE(out->flags().judicial_process());
  EXPECT_FALSE(out->flags().study_assignment());  // replaced, not merged
  EXPECT_FALSE(out->flags().has_leave_until());
}

TEST(UpdateMask, StoreErrorsPassThrough) {
  auto out = ApplyUpdateMask(Mask({"name"}), pv1::Employee(), kFixed,
                             []() -> absl::StatusOr<pv1::Employee> {
                               return absl::NotFoundError("employee 1985****1002 not found");
                             });
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound);
}

// Every bad path is INVALID_ARGUMENT with one violation on update_mask, and the store is not read.
void ExpectRejected(const std::vector<std::string>& paths, size_t violations, const char* why) {
  bool loaded = false;
  auto out =
      ApplyUpdateMask(Mask(paths), pv1::Employee(), kFixed, [&]() -> absl::StatusOr<pv1::Employee> {
        loaded = true;
        return Stored();
      });
  ASSERT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << why;
  EXPECT_FALSE(loaded) << why;
  auto v = errors::FieldViolationsOf(out.status());
  EXPECT_THAT(v, SizeIs(violations)) << why;
  EXPECT_THAT(v, Each(Field(&errors::FieldViolation::field, "update_mask"))) << why;
  EXPECT_THAT(std::string(out.status().message()), HasSubstr(why));
}

TEST(UpdateMask, UnknownAndMalformedPathsAreRejected) {
  ExpectRejected({"no_such_field"}, 1, "is not a field of Employee");
  ExpectRejected({"flags.no_such_flag"}, 1, "is not a field of Employee");
  ExpectRejected({"name.first"}, 1, "is not a field of Employee");         // into a string
  ExpectRejected({"competency_tags.x"}, 1, "is not a field of Employee");  // into a list
  ExpectRejected({"Name"}, 1, "is not a field of Employee");               // JSON/camel names
  ExpectRejected({""}, 1, "an empty path");
  ExpectRejected({"name", "*"}, 1, "must be the only path");
  ExpectRejected({"x", "y", "name"}, 2, "is not a field of Employee");
}

TEST(UpdateMask, OutputOnlyAndImmutableFieldsAreRejected) {
  for (const char* path : {"nip", "agency_code", "etag", "version"}) {
    ExpectRejected({path}, 1, "which is output only or cannot change");
  }
  // Under and above a fixed field too.
  const std::vector<std::string_view> fixed = {"flags.leave_until"};
  for (const char* path : {"flags", "flags.leave_until.year"}) {
    auto s = CheckUpdateMask(Mask({path}), *pv1::Employee::descriptor(), fixed);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << path;
  }
  EXPECT_TRUE(
      CheckUpdateMask(Mask({"flags.leave"}), *pv1::StatusFlags::descriptor(), {"leave_until"})
          .code() == absl::StatusCode::kInvalidArgument);  // unknown, not a prefix match
  EXPECT_TRUE(
      CheckUpdateMask(Mask({"flags.service_bond_until"}), *pv1::Employee::descriptor(), fixed)
          .ok());
}

TEST(UpdateMask, HostileMasksAreBounded) {
  std::vector<std::string> many(kMaxUpdateMaskPaths + 1, "name");
  ExpectRejected(many, 1, "at most 100 paths");
  ExpectRejected({std::string(100000, 'x')}, 1, "is not a field of Employee");
  auto out = Apply(Mask({std::string(100000, 'x')}), pv1::Employee());
  EXPECT_LT(out.status().message().size(), errors::kMaxMessageBytes + 1);
  ExpectRejected({"\xff\xfe"}, 1, "a path with characters no field name has");
}

TEST(UpdateMask, WorksOnAnyResourceWithoutAnEtagOrWithOtherNesting) {
  tv1::Policy stored;
  stored.set_name("p");
  stored.mutable_weights()->set_per_km(2);
  stored.mutable_weights()->set_base_per_move(100);
  tv1::Policy request;
  request.mutable_weights()->set_per_km(5);
  auto out = ApplyUpdateMask(Mask({"weights.per_km"}), request, {"id", "etag"},
                             [&]() -> absl::StatusOr<tv1::Policy> { return stored; });
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->weights().per_km(), 5);
  EXPECT_EQ(out->weights().base_per_move(), 100);
  EXPECT_EQ(out->name(), "p");
  pv1::Placement placement;  // no etag field at all
  placement.set_nip("1");
  pv1::Placement req;
  req.set_decree_number("SK 1");
  MergeMasked(req, Mask({"decree_number"}), placement);
  EXPECT_EQ(placement.nip(), "1");
  EXPECT_EQ(placement.decree_number(), "SK 1");
}

}  // namespace
}  // namespace seimbang::proto_convert
