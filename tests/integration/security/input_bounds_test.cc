// Issue 15 items 5 and 6 end to end, against the three real service binaries
// (tests/integration/authz/three_services.h): numbers outside their documented
// range are INVALID_ARGUMENT under the request's own field path, the ABK
// arithmetic at the limits never stores a negative need, a body that does not
// parse is INVALID_ARGUMENT with a message, and no status echoes a huge input.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "tests/harness/raw_call.h"
#include "tests/harness/workload_records.h"
#include "tests/integration/authz/three_services.h"

namespace seimbang::authz {
namespace {

using ::seimbang::testing::RawUnary;

// A status small enough to be called bounded: the 8 MiB input is nowhere in it.
constexpr size_t kSmallStatus = 1024;

std::vector<std::string> Fields(const grpc::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : errors::FieldViolationsOf(st)) out.push_back(v.field);
  return out;
}

// Asserts `st` is INVALID_ARGUMENT naming `field` alone.
void ExpectInvalidField(const grpc::Status& st, const std::string& field) {
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(Fields(st), ::testing::ElementsAre(field));
}

// `text` (protobuf text format) parsed as a message of type Req.
template <typename Req>
Req FromText(const std::string& text) {
  Req req;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &req)) << text;
  return req;
}

// Field 1 (a string) holding bytes that are not UTF-8.
std::string StringFieldWithInvalidUtf8() { return std::string("\x0a\x03\xff\xfe\xfd", 5); }

class InputBoundsTest : public ThreeServicesTest {
 protected:
  // The status of the unary `rpc` of `stub` called with `req` as the admin.
  template <typename Stub, typename Req, typename Resp>
  grpc::Status AsAdmin(Stub& stub,
                       grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
                       const Req& req) {
    Resp resp;
    return (stub.*rpc)(Ctx(admin_).get(), req, &resp);
  }
};

// Issue 15 item 6: invalid UTF-8 in a string field was INTERNAL with an empty message, on
// all three services (unary and server-streaming methods).
TEST_F(InputBoundsTest, InvalidUtf8InAStringFieldIsInvalidArgumentWithTheMessageType) {
  const std::vector<std::pair<int, std::string>> calls = {
      {0, absl::StrCat("/", kPersonnel, "/GetEmployee")},
      {1, absl::StrCat("/", kWorkload, "/GetAnalysis")},
      {2, absl::StrCat("/", kTransfer, "/GetPlan")},
      {2, absl::StrCat("/", kTransfer, "/ExportPlan")}};
  const std::vector<std::string> types = {
      "seimbang.personnel.v1.GetEmployeeRequest", "seimbang.workload.v1.GetAnalysisRequest",
      "seimbang.transfer.v1.GetPlanRequest", "seimbang.transfer.v1.ExportPlanRequest"};
  for (size_t i = 0; i < calls.size(); ++i) {
    const grpc::Status st =
        RawUnary(channels_[calls[i].first], calls[i].second, StringFieldWithInvalidUtf8(), admin_);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << calls[i].second;
    EXPECT_EQ(st.error_message(),
              absl::StrCat("request body is not a valid ", types[i],
                           " (malformed bytes or invalid UTF-8 in a string field)"))
        << calls[i].second;
  }
}

// Issue 15 item 6: bytes that are no protobuf message at all are the caller's fault too.
TEST_F(InputBoundsTest, ABodyThatDoesNotParseIsInvalidArgument) {
  // A length-delimited field 1 claiming 100 bytes with 2 present; then a bare end-group tag.
  for (const std::string& body : {std::string("\x0a\x64xy", 4), std::string("\x0c", 1)}) {
    const grpc::Status st =
        RawUnary(channels_[0], absl::StrCat("/", kPersonnel, "/GetAgency"), body, admin_);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(st.error_message(), "seimbang.personnel.v1.GetAgencyRequest"))
        << st.error_message();
  }
  // A well-formed body is still served (the guard changes nothing else).
  ppb::GetAgencyRequest ok;
  ok.set_code("73.99");
  const grpc::Status st = RawUnary(channels_[0], absl::StrCat("/", kPersonnel, "/GetAgency"),
                                   ok.SerializeAsString(), admin_);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(st.error_message(), "agency 73.99 not found");
}

// Issue 15 item 6: an 8 MiB NIP came back as an 8 MiB status.
TEST_F(InputBoundsTest, AnEightMebibyteNipIsNotEchoed) {
  const std::string huge(8 << 20, '1');
  ppb::GetEmployeeRequest get;
  get.set_nip(huge);
  ppb::GetEmployeeResponse got;
  grpc::Status st = pstub_->GetEmployee(Ctx(admin_).get(), get, &got);
  EXPECT_THAT(st.error_code(),
              ::testing::AnyOf(grpc::StatusCode::NOT_FOUND, grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_LT(st.error_message().size(), kSmallStatus) << st.error_message().substr(0, 200);
  EXPECT_LT(st.error_details().size(), kSmallStatus);

  ppb::CreateEmployeeRequest create;
  *create.mutable_employee() = EmployeeRow(kNip71, 1).employee();
  create.mutable_employee()->set_nip(huge);
  create.mutable_employee()->set_rank(std::string(1 << 20, 'X'));
  create.mutable_employee()->add_competency_tags(std::string(1 << 20, 'Y'));
  ppb::CreateEmployeeResponse created;
  st = pstub_->CreateEmployee(Ctx(admin_).get(), create, &created);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(st.error_message().size(), kSmallStatus) << st.error_message().substr(0, 200);
  EXPECT_LT(st.error_details().size(), 2 * kSmallStatus);
  EXPECT_THAT(Fields(st), ::testing::Contains("employee.nip"));

  ppb::GetAgencyRequest agency;
  agency.set_code(huge);
  ppb::GetAgencyResponse agency_resp;
  st = pstub_->GetAgency(Ctx(admin_).get(), agency, &agency_resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_LT(st.error_message().size(), kSmallStatus);
}

// Issue 15 item 5: NaN or infinite coordinates reached the database and came back as INTERNAL.
TEST_F(InputBoundsTest, NonFiniteCoordinatesAreInvalidArgumentNamingTheField) {
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), 1e308}) {
    ppb::CreateUnitRequest req;
    auto* u = req.mutable_unit();
    u->set_agency_code("73.71");
    u->set_name("Kantor Lurah");
    u->set_kind(ppb::UNIT_KIND_KELURAHAN);
    u->set_active(true);
    u->mutable_location()->set_latitude(bad);
    u->mutable_location()->set_longitude(-bad);
    ppb::CreateUnitResponse resp;
    const grpc::Status st = pstub_->CreateUnit(Ctx(admin_).get(), req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(Fields(st),
                ::testing::ElementsAre("unit.location.latitude", "unit.location.longitude"))
        << st.error_message();
  }
}

// Issue 15 item 5: a demand count of 10^13 was accepted and RunAnalysis then stored negative
// headcounts. The count is refused at the edge; at the largest accepted count and the smallest
// baseline the analysis saturates instead of wrapping.
TEST_F(InputBoundsTest, DemandCountsAreBoundedAndTheAnalysisNeverGoesNegative) {
  Seed();
  wpb::RecordDemandSignalsRequest rec;
  *rec.add_signals() = testing::ComplaintsSignal("73.72", 21, 2025, 12, 10000000000000);
  wpb::RecordDemandSignalsResponse recorded;
  grpc::Status st = wstub_->RecordDemandSignals(Ctx(admin_).get(), rec, &recorded);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(st), ::testing::ElementsAre("signals[0].count"));

  // The limits: the largest count, the smallest baseline, the largest task.
  rec.mutable_signals(0)->set_count(1000000000);
  st = wstub_->RecordDemandSignals(Ctx(admin_).get(), rec, &recorded);
  ASSERT_TRUE(st.ok()) << st.error_message();
  wpb::GetWorkloadRequest gw;
  gw.set_unit_id(21);
  gw.set_position_code("P1");
  wpb::GetWorkloadResponse current;
  st = wstub_->GetWorkload(Ctx(admin_).get(), gw, &current);
  ASSERT_TRUE(st.ok()) << st.error_message();
  wpb::UpsertWorkloadRequest up;
  *up.mutable_workload() = current.workload();
  auto* task = up.mutable_workload()->mutable_tasks(0);
  task->set_volume(3000);  // 3000 a day x 250 x 1000 minutes = 7.5e8, the 10,000-FTE ceiling
  task->set_period(wpb::PERIOD_DAY);
  task->set_norm_minutes(1000);
  task->mutable_driver()->set_signal_kind(wpb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
  task->mutable_driver()->set_baseline_per_month(0.001);
  wpb::UpsertWorkloadResponse upserted;
  st = wstub_->UpsertWorkload(Ctx(admin_).get(), up, &upserted);
  ASSERT_TRUE(st.ok()) << st.error_message();

  wpb::RunAnalysisRequest run;
  run.set_agency_code("73.72");
  *run.mutable_as_of() = D(2026, 1, 1);
  wpb::AnalysisSummary summary;
  st = RunAnalysis(*wstub_, run, Ctx(admin_), &summary);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_GT(summary.total_need(), 1000000);
  EXPECT_GE(summary.total_deficit(), 0);
  EXPECT_GE(summary.total_surplus(), 0);
  wpb::GetAnalysisRequest ga;
  ga.set_run_id(summary.run_id());
  ga.set_include_units(true);
  wpb::GetAnalysisResponse analysis;
  st = wstub_->GetAnalysis(Ctx(admin_).get(), ga, &analysis);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_GT(analysis.rows_size(), 0);
  for (const auto& row : analysis.rows()) {
    EXPECT_GE(row.required_headcount(), 0) << row.ShortDebugString();
    EXPECT_TRUE(std::isfinite(row.workload_minutes())) << row.ShortDebugString();
  }
  for (const auto& unit : analysis.units()) EXPECT_GE(unit.required_headcount(), 0);
}

// Issue 15 item 5: weights up to 1e308 and 100,000 pinned moves were accepted and failed later
// under a field name that does not exist.
TEST_F(InputBoundsTest, PolicyWeightsAndListsAreBoundedAtCreate) {
  tpb::CreatePolicyRequest req;
  req.mutable_policy()->set_agency_code("73.72");
  req.mutable_policy()->set_name("batas");
  req.mutable_policy()->mutable_weights()->set_per_km(1e308);
  for (int i = 0; i < 100000; ++i) {
    auto* pin = req.mutable_policy()->mutable_rules()->add_pinned();
    pin->set_nip(kNips72[0]);
    pin->set_to_unit_id(21);
    pin->set_to_position_code("P1");
  }
  tpb::CreatePolicyResponse resp;
  const grpc::Status st = tstub_->CreatePolicy(Ctx(admin_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(st),
              ::testing::UnorderedElementsAre("policy.weights.per_km", "policy.rules.pinned"));
  EXPECT_LT(st.error_message().size(), kSmallStatus);
}

// Issue 15 item 6: an unknown export format fell through to decree drafts.
TEST_F(InputBoundsTest, ExportPlanWithAnUnknownFormatIsInvalidArgument) {
  Seed();
  tpb::ExportPlanRequest req;
  req.set_plan_id(plan_id_);
  req.set_format(static_cast<tpb::ExportFormat>(7));
  auto ctx = Ctx(admin_);
  auto reader = tstub_->ExportPlan(ctx.get(), req);
  tpb::ExportPlanResponse line;
  int lines = 0;
  while (reader->Read(&line)) ++lines;
  const grpc::Status st = reader->Finish();
  EXPECT_EQ(lines, 0);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(st), ::testing::ElementsAre("format"));
}

// Issue 15 item 5: the optional id and version filters of list and get RPCs were taken
// negative without a word (matching nothing, or NOT_FOUND); each has a documented range now
// (0 = none, else positive) and a negative one is INVALID_ARGUMENT naming the field.
TEST_F(InputBoundsTest, NegativeFilterIdsAndVersionsAreInvalidArgument) {
  Seed();
  const std::vector<std::pair<grpc::Status, std::string>> refusals = {
      {AsAdmin(*pstub_, &ppb::PersonnelService::Stub::ListUnits,
               FromText<ppb::ListUnitsRequest>(R"(agency_code: "73.71" subtree_of: -1)")),
       "subtree_of"},
      {AsAdmin(*wstub_, &wpb::WorkloadAnalysisService::Stub::ListWorkloads,
               FromText<wpb::ListWorkloadsRequest>(R"(agency_code: "73.71" unit_id: -1)")),
       "unit_id"},
      {AsAdmin(*wstub_, &wpb::WorkloadAnalysisService::Stub::GetAnalysis,
               FromText<wpb::GetAnalysisRequest>(R"(run_id: "run-x" unit_id: -1)")),
       "unit_id"},
      {AsAdmin(*tstub_, &tpb::TransferPlanningService::Stub::GetPolicy,
               FromText<tpb::GetPolicyRequest>(R"(id: "pol-x" version: -1)")),
       "version"},
      {AsAdmin(*tstub_, &tpb::TransferPlanningService::Stub::ListMoves,
               FromText<tpb::ListMovesRequest>(
                   absl::StrCat(R"(plan_id: ")", plan_id_, R"(" unit_id: -1)"))),
       "unit_id"},
  };
  for (const auto& [status, field] : refusals) {
    SCOPED_TRACE(field);
    ExpectInvalidField(status, field);
  }
}

}  // namespace
}  // namespace seimbang::authz
