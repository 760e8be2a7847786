// ProjectStaffing, GetProjection and ListProjections end to end (issue 21), on both engines:
// workload-service with a real personnel-service (people, birth dates, BUP), an analysis run
// for the need, and a projection checked against hand-computed figures.
//
// Agency 73.71 on 2026-01-15, projected over 2027..2031 (years 1..5):
//   101/PLK-ADM (general_administration, pelaksana, BUP 58): A born 1970-05-10 (TMT pensiun
//     2028-06-01: a retirement in year 2), B and C born 1985; need 3 (225,000 min / 75,000).
//   101/JF-TS-AP (civil_engineering): D born 1985; need 1.
//   102/PLK-ADM: E born 1985; need 2.
// (The other hand-computed cases of issue 21, staff 3 with two retirements in year 3 and a
// vacancy kept apart from retirements, are agency 73.73 below.)
// The plan moves C from 101/PLK-ADM to 102/PLK-ADM; general_administration grows 10 % a year:
// need 3 -> 4, 4, 4, 5, 5 and 2 -> 3, 3, 3, 3, 4 (ceil(n x 1.1^k)).
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/workload_records.h"
#include "tests/integration/workload/workload_fixture.h"

namespace seimbang::workload {
namespace {

namespace pb = ::seimbang::workload::v1;
namespace ppb = ::seimbang::personnel::v1;
using ::seimbang::testing::CallContext;
using ::seimbang::testing::MintTestToken;
using ::seimbang::testing::ProtoDate;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

constexpr char kRetiring[] = "197005101995011001";  // A: TMT pensiun 2028-06-01
constexpr char kMoved[] = "198503122010011003";     // C: moved to 102 by the plan

const std::vector<Placement> kPeople = {{kRetiring, 101, "PLK-ADM"},
                                        {"198503122010011002", 101, "PLK-ADM"},
                                        {kMoved, 101, "PLK-ADM"},
                                        {"198503122010011004", 101, "JF-TS-AP"},
                                        {"198503122010011005", 102, "PLK-ADM"}};

pb::ProjectionYear Year(int year, int64_t staff, int64_t retirements, int64_t need, int64_t total,
                        int64_t existing, int64_t retired, int64_t growth) {
  pb::ProjectionYear y = testing::ProjectionYearOf(year, staff, retirements, need);
  y.mutable_formasi()->set_total(total);
  y.mutable_formasi()->set_existing_shortage(existing);
  y.mutable_formasi()->set_retirements(retired);
  y.mutable_formasi()->set_growth(growth);
  return y;
}

MATCHER_P(EqualsProto, want, "") {
  std::string diff;
  google::protobuf::util::MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  if (d.Compare(arg, want)) return true;
  *result_listener << diff;
  return false;
}

std::set<std::string> ViolatedFields(const grpc::Status& st) {
  std::set<std::string> out;
  for (const auto& v : errors::FieldViolationsOf(st)) out.insert(v.field);
  return out;
}

class ProjectionTest : public WorkloadWithPersonnelTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServices("projection", {}, AgencyRecords(kPeople)));
    ASSERT_NO_FATAL_FAILURE(DefineNeedAndRun());
  }

  // Needs 3, 1 and 2: a task of `volume` a year at 75 minutes each, over 75,000 minutes.
  void DefineNeedAndRun() {
    DefineNeedAndRun(kAgency, operator_,
                     {{101, "PLK-ADM", 3000}, {101, "JF-TS-AP", 1000}, {102, "PLK-ADM", 2000}},
                     run_id_);
  }

  void DefineNeedAndRun(const std::string& agency, const std::string& token,
                        const std::vector<std::tuple<int64_t, std::string, double>>& needs,
                        std::string& run_id) {
    for (const auto& [unit, code, volume] : needs) {
      pb::UpsertWorkloadRequest req;
      *req.mutable_workload() =
          testing::OneTaskWorkload(agency, unit, code, testing::WorkloadTask("Tugas", volume, 75));
      pb::UpsertWorkloadResponse resp;
      grpc::Status st = stub_->UpsertWorkload(CallContext(token).get(), req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
    }
    pb::RunAnalysisRequest req;
    req.set_agency_code(agency);
    *req.mutable_as_of() = ProtoDate(2026, 1, 15);
    auto ctx = CallContext(token);
    auto reader = stub_->RunAnalysis(ctx.get(), req);
    pb::RunAnalysisResponse msg;
    while (reader->Read(&msg)) {
      if (msg.has_summary()) run_id = msg.summary().run_id();
    }
    grpc::Status st = reader->Finish();
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_FALSE(run_id.empty());
  }

  pb::ProjectStaffingRequest Request(bool with_plan) const {
    pb::ProjectStaffingRequest req;
    req.set_agency_code(kAgency);
    *req.mutable_as_of() = ProtoDate(2026, 1, 15);
    pb::FamilyGrowth* g = req.add_growth();
    g->set_job_family("general_administration");
    g->set_yearly_growth(0.1);
    if (with_plan) {
      req.mutable_plan()->set_plan_id("plan-1");
      pb::ProjectionMove* m = req.mutable_plan()->add_moves();
      m->set_nip(kMoved);
      m->set_to_unit_id(102);
      m->set_to_position_code("PLK-ADM");
      pb::UnfilledNeedDiagnosis* d = req.mutable_plan()->add_unfilled_needs();
      d->set_unit_id(101);
      d->set_position_code("PLK-ADM");
      d->set_diagnosis("NO_CANDIDATE");
    }
    return req;
  }

  grpc::Status Project(const std::string& token, const pb::ProjectStaffingRequest& req,
                       pb::Projection* out) {
    pb::ProjectStaffingResponse resp;
    grpc::Status st = stub_->ProjectStaffing(CallContext(token).get(), req, &resp);
    if (out != nullptr) *out = resp.projection();
    return st;
  }

  const pb::PositionProjection* Find(const pb::Projection& p, int64_t unit,
                                     const std::string& code) {
    for (const auto& pos : p.positions()) {
      if (pos.unit_id() == unit && pos.position_code() == code) return &pos;
    }
    ADD_FAILURE() << "no row " << unit << "/" << code;
    return nullptr;
  }

  std::string run_id_;
};

TEST_P(ProjectionTest, HandComputedAgencyWithPlanAndGrowth) {
  pb::Projection p;
  grpc::Status st = Project(operator_, Request(/*with_plan=*/true), &p);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const pb::ProjectionSummary& s = p.summary();
  EXPECT_EQ(s.run_id(), run_id_);  // the agency's latest run when none is named
  EXPECT_THAT(s.years(), ElementsAre(2027, 2028, 2029, 2030, 2031));
  EXPECT_EQ(s.plan_id(), "plan-1");
  EXPECT_EQ(s.moves_given(), 1);
  EXPECT_EQ(s.moves_applied(), 1);
  EXPECT_EQ(s.employees(), 5);
  EXPECT_EQ(s.positions(), 3);

  // 101/PLK-ADM after the move: A and B. A retires in 2028 (year 2), not before.
  const pb::PositionProjection* a = Find(p, 101, "PLK-ADM");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->staff_now(), 2);
  EXPECT_EQ(a->need_now(), 3);
  EXPECT_EQ(a->unfilled_diagnosis(), "NO_CANDIDATE");
  EXPECT_THAT(a->years(), ElementsAre(EqualsProto(Year(2027, 2, 0, 4, 2, 1, 0, 1)),
                                      EqualsProto(Year(2028, 2, 1, 4, 1, 0, 1, 0)),
                                      EqualsProto(Year(2029, 1, 0, 4, 0, 0, 0, 0)),
                                      EqualsProto(Year(2030, 1, 0, 5, 1, 0, 0, 1)),
                                      EqualsProto(Year(2031, 1, 0, 5, 0, 0, 0, 0))));
  // 102/PLK-ADM after the move: E and C.
  const pb::PositionProjection* b = Find(p, 102, "PLK-ADM");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->staff_now(), 2);
  EXPECT_THAT(b->years(), ElementsAre(EqualsProto(Year(2027, 2, 0, 3, 1, 0, 0, 1)),
                                      EqualsProto(Year(2028, 2, 0, 3, 0, 0, 0, 0)),
                                      EqualsProto(Year(2029, 2, 0, 3, 0, 0, 0, 0)),
                                      EqualsProto(Year(2030, 2, 0, 3, 0, 0, 0, 0)),
                                      EqualsProto(Year(2031, 2, 0, 4, 1, 0, 0, 1))));
  // 101/JF-TS-AP: no growth, nobody retires: balanced every year.
  const pb::PositionProjection* c = Find(p, 101, "JF-TS-AP");
  ASSERT_NE(c, nullptr);
  for (const auto& y : c->years()) EXPECT_EQ(y.gap(), 0) << y.year();

  // Agency totals are the sums; the formasi lines are the position-years with recruits.
  ASSERT_EQ(s.agency_size(), 5);
  EXPECT_EQ(s.agency(0).formasi().total(), 3);
  EXPECT_EQ(s.agency(1).retirements(), 1);
  EXPECT_EQ(s.formasi_total(), 6);
  ASSERT_EQ(p.formasi_size(), 5);
  EXPECT_EQ(p.formasi(0).year(), 2027);
  EXPECT_EQ(p.formasi(0).unit_id(), 101);
  EXPECT_EQ(p.formasi(0).unfilled_diagnosis(), "NO_CANDIDATE");
  ASSERT_EQ(p.families_size(), 2);
  EXPECT_EQ(p.families(1).job_family(), "general_administration");
  EXPECT_EQ(p.families(1).years(0).need(), 7);

  // Without the plan, both units' projections change: C counts in 101, not in 102.
  pb::Projection without;
  ASSERT_TRUE(Project(operator_, Request(/*with_plan=*/false), &without).ok());
  EXPECT_EQ(Find(without, 101, "PLK-ADM")->staff_now(), 3);
  EXPECT_EQ(Find(without, 102, "PLK-ADM")->staff_now(), 1);
  EXPECT_EQ(without.summary().moves_applied(), 0);
}

TEST_P(ProjectionTest, GetReturnsWhatWasStoredAndReplayReturnsIt) {
  pb::ProjectStaffingRequest req = Request(true);
  req.set_request_id("proj-1");
  pb::Projection stored;
  ASSERT_TRUE(Project(operator_, req, &stored).ok());
  EXPECT_TRUE(stored.has_plan());
  EXPECT_EQ(stored.plan().moves_size(), 1);

  pb::GetProjectionRequest get;
  get.set_projection_id(stored.summary().projection_id());
  pb::GetProjectionResponse got;
  grpc::Status st = stub_->GetProjection(CallContext(viewer_).get(), get, &got);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_THAT(got.projection(), EqualsProto(stored));

  pb::Projection again;
  ASSERT_TRUE(Project(operator_, req, &again).ok());
  EXPECT_THAT(again, EqualsProto(stored));

  get.set_projection_id("nope");
  EXPECT_EQ(stub_->GetProjection(CallContext(viewer_).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_P(ProjectionTest, OtherAgencyIsRefused) {
  pb::Projection p;
  ASSERT_TRUE(Project(operator_, Request(false), &p).ok());
  EXPECT_EQ(Project(other_operator_, Request(false), nullptr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  pb::GetProjectionRequest get;
  get.set_projection_id(p.summary().projection_id());
  pb::GetProjectionResponse got;
  EXPECT_EQ(stub_->GetProjection(CallContext(other_operator_).get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  pb::ListProjectionsRequest list;
  list.set_agency_code(kAgency);
  pb::ListProjectionsResponse listed;
  EXPECT_EQ(stub_->ListProjections(CallContext(other_operator_).get(), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A viewer reads but may not project.
  EXPECT_EQ(Project(viewer_, Request(false), nullptr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(ProjectionTest, BadRangesAreFieldViolationsAndRunsAreChecked) {
  pb::ProjectStaffingRequest req = Request(true);
  req.set_years(31);
  req.set_first_year(2025);
  req.mutable_growth(0)->set_yearly_growth(2.0);
  pb::FamilyGrowth* twice = req.add_growth();
  twice->set_job_family("general_administration");
  req.mutable_plan()->mutable_moves(0)->clear_nip();
  req.mutable_plan()->mutable_unfilled_needs(0)->set_unit_id(0);
  grpc::Status st = Project(operator_, req, nullptr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(st), IsSupersetOf({"years", "first_year", "growth[0].yearly_growth",
                                                "growth[1].job_family", "plan.moves[0].nip",
                                                "plan.unfilled_needs[0].unit_id"}));
  req = Request(false);
  req.set_years(-1);
  req.mutable_as_of()->set_month(13);
  EXPECT_THAT(ViolatedFields(Project(operator_, req, nullptr)), IsSupersetOf({"years", "as_of"}));

  req = Request(false);
  req.set_run_id("no-such-run");
  EXPECT_EQ(Project(operator_, req, nullptr).error_code(), grpc::StatusCode::NOT_FOUND);
  req = Request(false);
  req.set_agency_code("73.72");  // no analysis run there
  EXPECT_EQ(Project(admin_, req, nullptr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  req.set_run_id(run_id_);  // a run of 73.71 for 73.72
  EXPECT_THAT(ViolatedFields(Project(admin_, req, nullptr)), ElementsAre("run_id"));
}

TEST_P(ProjectionTest, ListPagesNewestFirst) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    pb::Projection p;
    pb::ProjectStaffingRequest req = Request(false);
    req.set_years(i + 1);
    ASSERT_TRUE(Project(operator_, req, &p).ok());
    ids.insert(ids.begin(), p.summary().projection_id());
  }
  pb::ListProjectionsRequest req;
  req.set_agency_code(kAgency);
  req.mutable_page()->set_page_size(2);
  std::vector<std::string> listed;
  for (int page = 0; page < 3; ++page) {
    pb::ListProjectionsResponse resp;
    grpc::Status st = stub_->ListProjections(CallContext(viewer_).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    for (const auto& s : resp.projections()) listed.push_back(s.projection_id());
    if (resp.page().next_page_token().empty()) break;
    req.mutable_page()->set_page_token(resp.page().next_page_token());
  }
  EXPECT_EQ(listed, ids);
  // Without agency_code a viewer lists their own agency (auth::ListAgency), as in every List
  // RPC of the three services.
  req.clear_agency_code();
  req.mutable_page()->clear_page_token();
  req.mutable_page()->set_page_size(10);
  pb::ListProjectionsResponse resp;
  ASSERT_TRUE(stub_->ListProjections(CallContext(viewer_).get(), req, &resp).ok());
  std::vector<std::string> own;
  for (const auto& s : resp.projections()) own.push_back(s.projection_id());
  EXPECT_EQ(own, ids);
}

// Agency 73.73 on 2026-01-15, projected over 2027..2031, without plan or growth:
//   201/JF-TS-AP (BUP 58): two born 1971-03-10 (TMT pensiun 2029-04-01, year 3) and one born
//     1985; need 3: staff 3, need 3, two retirements in year 3.
//   202/JF-TS-AP: need 2 and nobody in post: a vacancy, not a retirement.
//   203/PLK-ADM: need 1; one person seconded from 2028-07-01 (leaves in year 2) and one retired
//     early since 2025-06-01 (not in post: only ACTIVE people count).
TEST_P(ProjectionTest, RetirementsInYearThreeVacanciesAndEmploymentStatus) {
  const std::string agency = "73.73";
  const std::string op = MintTestToken(kSecret, auth::Role::kOperator, agency);
  std::vector<ppb::ImportRecordsRequest> records(1);
  records[0].mutable_agency()->set_code(agency);
  records[0].mutable_agency()->set_name("Kabupaten Contoh");
  records[0].mutable_agency()->set_kind(ppb::AGENCY_KIND_REGENCY);
  records[0].mutable_agency()->set_province_code("73");
  for (int64_t id : {201, 202, 203}) {
    ppb::Unit* u = records.emplace_back().mutable_unit();
    u->set_id(id);
    u->set_agency_code(agency);
    u->set_name(absl::StrCat("Unit ", id));
    u->set_kind(ppb::UNIT_KIND_DINAS);
    u->set_active(true);
  }
  struct Person {
    Placement at;
    ppb::EmploymentStatus status;
    int since_year, since_month;
  };
  for (const Person& p : std::vector<Person>{
           {{"197103101996031001", 201, "JF-TS-AP"}, ppb::EMPLOYMENT_STATUS_ACTIVE, 0, 0},
           {{"197103101996031002", 201, "JF-TS-AP"}, ppb::EMPLOYMENT_STATUS_ACTIVE, 0, 0},
           {{"198503122010011006", 201, "JF-TS-AP"}, ppb::EMPLOYMENT_STATUS_ACTIVE, 0, 0},
           {{"198201012007011001", 203, "PLK-ADM"}, ppb::EMPLOYMENT_STATUS_SECONDED, 2028, 7},
           {{"198001012005011001", 203, "PLK-ADM"}, ppb::EMPLOYMENT_STATUS_RETIRED, 2025, 6}}) {
    ppb::Employee* e = records.emplace_back(EmployeeRecord(p.at)).mutable_employee();
    e->set_employment_status(p.status);
    if (p.since_year != 0) *e->mutable_status_since() = ProtoDate(p.since_year, p.since_month, 1);
  }
  ASSERT_NO_FATAL_FAILURE(Import(records));
  std::string run_id;
  ASSERT_NO_FATAL_FAILURE(DefineNeedAndRun(
      agency, op, {{201, "JF-TS-AP", 3000}, {202, "JF-TS-AP", 2000}, {203, "PLK-ADM", 1000}},
      run_id));

  pb::ProjectStaffingRequest req;
  req.set_agency_code(agency);
  *req.mutable_as_of() = ProtoDate(2026, 1, 15);
  pb::Projection p;
  grpc::Status st = Project(op, req, &p);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(p.summary().employees(), 4);  // the one retired early is not in post

  // Staff 3, need 3, two retirements in year 3: gap 2 from year 3, formasi 2 in year 3 only.
  const pb::PositionProjection* a = Find(p, 201, "JF-TS-AP");
  ASSERT_NE(a, nullptr);
  EXPECT_THAT(a->years(), ElementsAre(EqualsProto(Year(2027, 3, 0, 3, 0, 0, 0, 0)),
                                      EqualsProto(Year(2028, 3, 0, 3, 0, 0, 0, 0)),
                                      EqualsProto(Year(2029, 3, 2, 3, 2, 0, 2, 0)),
                                      EqualsProto(Year(2030, 1, 0, 3, 0, 0, 0, 0)),
                                      EqualsProto(Year(2031, 1, 0, 3, 0, 0, 0, 0))));
  // A vacancy is an existing shortage recruited in year 1, never counted as a retirement.
  const pb::PositionProjection* v = Find(p, 202, "JF-TS-AP");
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(v->vacant_now());
  EXPECT_FALSE(a->vacant_now());
  EXPECT_EQ(v->years(0).retirements(), 0);
  EXPECT_THAT(v->years(0), EqualsProto(Year(2027, 0, 0, 2, 2, 2, 0, 0)));
  for (int k = 1; k < v->years_size(); ++k) EXPECT_EQ(v->years(k).formasi().total(), 0);
  // Seconded from 2028-07-01: in post until then, a departure in 2028 like a retirement.
  const pb::PositionProjection* s = Find(p, 203, "PLK-ADM");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->staff_now(), 1);
  EXPECT_THAT(s->years(1), EqualsProto(Year(2028, 1, 1, 1, 1, 0, 1, 0)));
}

INSTANTIATE_TEST_SUITE_P(Engines, ProjectionTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::workload
