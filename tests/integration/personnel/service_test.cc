// personnel-service end to end: the real binary on SQLite and on MariaDB, called over gRPC
// with HS256 tokens of each role.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/verifier.h"
#include "common/db/pool.h"
#include "common/domain/date.h"
#include "common/errors/errors.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "services/personnel/importer.h"
#include "tests/harness/calls.h"
#include "tests/harness/service_process.h"
#include "tests/support/http.h"
#include "tests/support/test_db.h"

namespace seimbang::personnel {
namespace {

namespace pv1 = ::seimbang::personnel::v1;
namespace cv1 = ::seimbang::common::v1;
using auth::Role;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

// The binary under test, by absolute path (see CMakeLists.txt).
constexpr char kBinary[] = "personnel-service";  // In build/bin, found by the fixture.
const std::string kSecret = "personnel-integration-secret-0123456789";
constexpr char kNipA[] = "198503122010011002";        // born 1985-03-12, male
constexpr char kNipRetiree[] = "196805011990011001";  // born 1968-05-01: BUP 58 -> 2026-06-01
constexpr char kNipPppk[] = "202401010000000001";     // PPPK: 18 digits, no layout
constexpr char kNipOther[] = "199001012015012003";    // in agency 73.72

std::string Token(Role role, const std::string& agency = "", const std::string& nip = "") {
  return testing::MintTestToken(kSecret, role, agency, nip, "tester");
}

cv1::Date D(int y, int m, int d) { return testing::ProtoDate(y, m, d); }

pv1::ImportRecordsRequest AgencyRow(const std::string& code) {
  pv1::ImportRecordsRequest r;
  r.mutable_agency()->set_code(code);
  r.mutable_agency()->set_name("Agency " + code);
  r.mutable_agency()->set_kind(pv1::AGENCY_KIND_CITY);
  r.mutable_agency()->set_province_code("73");
  return r;
}

pv1::ImportRecordsRequest UnitRow(int64_t id, int64_t parent, const std::string& agency) {
  pv1::ImportRecordsRequest r;
  auto* u = r.mutable_unit();
  u->set_id(id);
  u->set_parent_id(parent);
  u->set_agency_code(agency);
  u->set_name("Unit " + std::to_string(id));
  u->set_kind(pv1::UNIT_KIND_DINAS);
  u->set_active(true);
  return r;
}

pv1::ImportRecordsRequest PositionRow(const std::string& code) {
  pv1::ImportRecordsRequest r;
  auto* p = r.mutable_position();
  p->set_code(code);
  p->set_name("Pelaksana " + code);
  p->set_kind(pv1::POSITION_KIND_PELAKSANA);
  p->set_level(pv1::FUNCTIONAL_LEVEL_NONE);
  p->set_job_family("general_administration");
  return r;
}

pv1::ImportRecordsRequest EmployeeRow(const std::string& nip, int64_t unit,
                                      pv1::EmploymentType type = pv1::EMPLOYMENT_TYPE_PNS) {
  pv1::ImportRecordsRequest r;
  auto* e = r.mutable_employee();
  e->set_nip(nip);
  e->set_name("Pegawai " + nip.substr(14));
  e->set_employment_type(type);
  e->set_unit_id(unit);
  e->set_position_code("P1");
  *e->mutable_in_post_since() = D(2020, 1, 1);
  if (type == pv1::EMPLOYMENT_TYPE_PPPK) {
    *e->mutable_birth_date() = D(1995, 5, 5);
    e->set_gender(pv1::GENDER_FEMALE);
  }
  return r;
}

// Asserts an import's rejected row: its sequence, the field at fault and why.
void ExpectRowError(const cv1::RowError& e, int64_t sequence, const std::string& field,
                    const std::string& reason) {
  EXPECT_EQ(e.sequence(), sequence);
  EXPECT_EQ(e.field(), field);
  EXPECT_EQ(e.reason(), reason);
}

// kNipA's move from unit 2 to unit 1 (position P1) on 2026-07-01, as move `move_id` of `plan`.
pv1::TransferMove MoveOfA(const std::string& plan, const std::string& move_id) {
  pv1::TransferMove m;
  m.set_plan_id(plan);
  m.set_move_id(move_id);
  m.set_nip(kNipA);
  m.set_from_unit_id(2);
  m.set_from_position_code("P1");
  m.set_to_unit_id(1);
  m.set_to_position_code("P1");
  *m.mutable_effective_date() = D(2026, 7, 1);
  return m;
}

class PersonnelServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto dsn = testsupport::FreshDsn(GetParam(), "personnel_svc");
    ASSERT_TRUE(dsn.ok()) << dsn.status();
    dsn_ = *dsn;
    StartService();
  }

  // (Re)starts personnel-service on the test's database.
  void StartService() {
    const std::string secret =
        ::testing::TempDir() + "/personnel-hs256-" + std::to_string(getpid()) + ".secret";
    std::ofstream(secret) << kSecret << "\n";
    testsupport::RemoveAtExit(secret);
    testing::ServiceProcessOptions options;
    // A short grace, so a test that stops the service mid-call does not wait the default 10 s.
    options.args = {"--db=" + dsn_, "--auth-hs256-secret-file=" + secret, "--shutdown-grace=2s"};
    auto proc = testing::ServiceProcess::Start(kBinary, options);
    ASSERT_TRUE(proc.ok()) << proc.status();
    proc_ = std::make_unique<testing::ServiceProcess>(std::move(*proc));
    stub_ = pv1::PersonnelService::NewStub(
        grpc::CreateChannel(proc_->address(), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + token);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  // The NIPs of the first page ListEmployees answers `token` for `req` (a failure: none).
  std::vector<std::string> ListedNips(const std::string& token,
                                      const pv1::ListEmployeesRequest& req) {
    pv1::ListEmployeesResponse resp;
    auto st = stub_->ListEmployees(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> out;
    for (const auto& e : resp.employees()) out.push_back(e.nip());
    return out;
  }

  // Reads into *nips the NIPs StreamEmployees sends `token` for `req`, in order; whether the
  // stream ended OK.
  [[nodiscard]] bool StreamNips(const std::string& token, const pv1::StreamEmployeesRequest& req,
                                std::vector<std::string>* nips) {
    auto ctx = Ctx(token);
    auto reader = stub_->StreamEmployees(ctx.get(), req);
    pv1::StreamEmployeesResponse m;
    while (reader->Read(&m)) nips->push_back(m.employee().nip());
    return reader->Finish().ok();
  }

  grpc::Status Import(const std::string& token, const std::vector<pv1::ImportRecordsRequest>& rows,
                      pv1::ImportRecordsResponse* resp) {
    return testing::ImportRecords(*stub_, rows, token, resp);
  }

  // Agencies 73.71 (units 1 <- 2) and 73.72 (unit 10), position P1, employees A, retiree,
  // PPPK in 73.71 and one employee in 73.72.
  void Seed() {
    pv1::ImportRecordsResponse resp;
    auto st =
        Import(admin_,
               {AgencyRow("73.71"), AgencyRow("73.72"), UnitRow(1, 0, "73.71"),
                UnitRow(2, 1, "73.71"), UnitRow(10, 0, "73.72"), PositionRow("P1"),
                EmployeeRow(kNipA, 2), EmployeeRow(kNipRetiree, 2),
                EmployeeRow(kNipPppk, 1, pv1::EMPLOYMENT_TYPE_PPPK), EmployeeRow(kNipOther, 10)},
               &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(resp.summary().inserted(), 10) << resp.DebugString();
  }

  pv1::Employee Get(const std::string& nip) {
    pv1::GetEmployeeRequest req;
    req.set_nip(nip);
    pv1::GetEmployeeResponse resp;
    auto st = stub_->GetEmployee(Ctx(admin_).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.employee();
  }

  const std::string admin_ = Token(Role::kAdmin);
  const std::string service_ = Token(Role::kService);
  const std::string operator71_ = Token(Role::kOperator, "73.71");
  std::string dsn_;
  std::unique_ptr<testing::ServiceProcess> proc_;
  std::unique_ptr<pv1::PersonnelService::Stub> stub_;
};

TEST_P(PersonnelServiceTest, ImportKeepsGoodRowsAndListsEveryBadRowWithItsReason) {
  Seed();
  std::vector<pv1::ImportRecordsRequest> rows = {
      EmployeeRow("19850312201001100", 2),  // 17 digits
      EmployeeRow("198503122010011005", 999),
      EmployeeRow("198503122010011006", 2),
      EmployeeRow("198503122010011007", 2),
      UnitRow(11, 10, "73.72"),  // another agency
      EmployeeRow(kNipA, 2),     // unchanged
  };
  *rows[2].mutable_employee()->mutable_birth_date() = D(1985, 3, 13);
  for (size_t i = 0; i < rows.size(); ++i) rows[i].set_sequence(static_cast<int64_t>(i) + 101);
  pv1::ImportRecordsResponse resp;
  auto st = Import(operator71_, rows, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const auto& s = resp.summary();
  EXPECT_EQ(s.received(), 6);
  EXPECT_EQ(s.inserted(), 1);
  EXPECT_EQ(s.unchanged(), 1);
  EXPECT_EQ(s.updated(), 0);
  EXPECT_EQ(s.rejected(), 4);
  ASSERT_EQ(s.errors_size(), 4);
  ExpectRowError(s.errors(0), 101, "employee.nip", "NIP must have 18 digits, got 17");
  ExpectRowError(s.errors(1), 102, "employee.unit_id", "unit 999 does not exist");
  ExpectRowError(s.errors(2), 103, "employee.birth_date",
                 "does not match the NIP, which says 1985-03-12");
  EXPECT_EQ(s.errors(3).sequence(), 105);
  EXPECT_EQ(s.errors(3).reason(), "outside caller's agency");
  Get("198503122010011007");  // the good row is there
  pv1::GetUnitRequest unit;
  unit.set_id(11);
  pv1::GetUnitResponse unit_resp;
  EXPECT_EQ(stub_->GetUnit(Ctx(admin_).get(), unit, &unit_resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Issue 18 item 3: an import never silently undoes an executed transfer. The monthly sync from
// the registry (a file older than the transfer) would move kNipA back: it is a conflict, counted
// and named, and nothing changes; a dry run says the same; a file whose as-of date is after the
// transfer, or an explicit override (written in the audit row), applies it.
TEST_P(PersonnelServiceTest, AnImportNeverSilentlyUndoesAnExecutedTransfer) {
  Seed();  // kNipA is in unit 2
  auto transfer = [&](const std::string& plan, int64_t from, int64_t to) {
    pv1::ApplyTransfersRequest req;
    auto* m = req.add_moves();
    m->set_plan_id(plan);
    m->set_move_id("m1");
    m->set_nip(kNipA);
    m->set_from_unit_id(from);
    m->set_from_position_code("P1");
    m->set_to_unit_id(to);
    m->set_to_position_code("P1");
    *m->mutable_effective_date() = D(2026, 7, 1);
    pv1::ApplyTransfersResponse resp;
    ASSERT_TRUE(stub_->ApplyTransfers(Ctx(service_).get(), req, &resp).ok());
    ASSERT_EQ(resp.results(0).outcome(), pv1::MOVE_OUTCOME_APPLIED) << resp.ShortDebugString();
  };
  transfer("plan-7", 2, 1);
  ASSERT_EQ(Get(kNipA).unit_id(), 1);

  auto import = [&](std::optional<domain::Date> as_of, bool override, bool dry_run) {
    pv1::ImportRecordsRequest options;
    options.mutable_options()->set_dry_run(dry_run);
    options.mutable_options()->set_override_transfers(override);
    if (as_of)
      *options.mutable_options()->mutable_as_of() = D(as_of->year, as_of->month, as_of->day);
    pv1::ImportRecordsResponse resp;
    grpc::Status st = Import(operator71_, {options, EmployeeRow(kNipA, 2)}, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.summary();
  };
  const domain::Date today = domain::Today();
  const domain::Date tomorrow = domain::CivilFromDays(domain::DaysFromCivil(today) + 1);
  for (bool dry_run : {true, false}) {
    SCOPED_TRACE(dry_run ? "dry run" : "import");
    for (std::optional<domain::Date> as_of :
         {std::optional<domain::Date>(), std::optional(today)}) {
      const auto s = import(as_of, /*override=*/false, dry_run);
      EXPECT_EQ(s.received(), 1);
      EXPECT_EQ(s.conflicts(), 1);
      EXPECT_EQ(s.updated(), 0);
      EXPECT_EQ(s.rejected(), 0);
      ASSERT_EQ(s.errors_size(), 1);
      EXPECT_EQ(s.errors(0).field(), "employee.unit_id");
      EXPECT_THAT(s.errors(0).reason(),
                  ::testing::HasSubstr("would undo the executed transfer of plan plan-7 move m1"));
      EXPECT_EQ(Get(kNipA).unit_id(), 1);  // the transfer stands
    }
  }
  // The registry has seen the transfer (its extract is newer) and still says unit 2.
  auto s = import(tomorrow, /*override=*/false, /*dry_run=*/false);
  EXPECT_EQ(s.conflicts(), 0);
  EXPECT_EQ(s.updated(), 1);
  EXPECT_EQ(Get(kNipA).unit_id(), 2);

  // An explicit override, on the record.
  transfer("plan-8", 2, 1);
  s = import(std::nullopt, /*override=*/true, /*dry_run=*/false);
  EXPECT_EQ(s.conflicts(), 0);
  EXPECT_EQ(s.updated(), 1);
  EXPECT_EQ(Get(kNipA).unit_id(), 2);
  pv1::ListAuditEventsRequest audit;
  audit.set_method("/seimbang.personnel.v1.PersonnelService/ImportRecords");
  audit.mutable_page()->set_page_size(100);
  pv1::ListAuditEventsResponse events;
  ASSERT_TRUE(stub_->ListAuditEvents(Ctx(admin_).get(), audit, &events).ok());
  int overrides = 0;
  for (const auto& e : events.events()) {
    if (e.resource().find("override_transfers") != std::string::npos) {
      ++overrides;
      EXPECT_EQ(e.role(), "operator");
    }
  }
  EXPECT_EQ(overrides, 1);
}

TEST_P(PersonnelServiceTest, ApplyTransfersIsIdempotentPerPlanAndMove) {
  Seed();
  pv1::ApplyTransfersRequest req;
  auto* m = req.add_moves();
  *m = MoveOfA("plan-7", "m1");
  m->set_decree_number("SK-1/2026");
  auto* stale = req.add_moves();
  *stale = *m;
  stale->set_move_id("m2");
  stale->set_nip(kNipRetiree);
  stale->set_from_unit_id(1);  // the retiree is at unit 2
  auto* unknown = req.add_moves();
  *unknown = *m;
  unknown->set_move_id("m3");
  unknown->set_nip("198503122010011099");

  pv1::ApplyTransfersResponse first;
  ASSERT_TRUE(stub_->ApplyTransfers(Ctx(service_).get(), req, &first).ok());
  ASSERT_EQ(first.results_size(), 3);
  EXPECT_EQ(first.results(0).outcome(), pv1::MOVE_OUTCOME_APPLIED);
  EXPECT_FALSE(first.results(0).replayed());
  EXPECT_EQ(first.results(1).outcome(), pv1::MOVE_OUTCOME_STALE);
  EXPECT_EQ(first.results(1).detail(), "employee is at unit 2 position P1, not unit 1 position P1");
  EXPECT_EQ(first.results(2).outcome(), pv1::MOVE_OUTCOME_FAILED);
  EXPECT_EQ(first.results(2).detail(), "unknown NIP");
  EXPECT_EQ(Get(kNipA).unit_id(), 1);
  EXPECT_EQ(Get(kNipRetiree).unit_id(), 2);  // stale: nothing changed

  pv1::ApplyTransfersResponse replay;
  ASSERT_TRUE(stub_->ApplyTransfers(Ctx(service_).get(), req, &replay).ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(replay.results(i).replayed());
    EXPECT_EQ(replay.results(i).outcome(), first.results(i).outcome());
  }
  EXPECT_EQ(Get(kNipA).version(), 2);  // moved once, not twice

  // The outcome counter (gauges.h): each decided move once, by its agency; replays add nothing.
  const std::string metrics = testsupport::HttpGet(proc_->metrics_port());
  for (const char* outcome : {"applied", "stale", "failed"}) {
    const std::string series = absl::StrCat(
        "seimbang_personnel_transfer_outcomes_total{agency=\"73.71\",outcome=\"", outcome, "\"} ");
    const size_t at = metrics.find(series);
    ASSERT_NE(at, std::string::npos) << series << " missing from\n" << metrics;
    EXPECT_EQ(std::stod(metrics.substr(at + series.size())), 1.0) << series;
  }

  pv1::ListPlacementHistoryRequest hreq;
  hreq.set_nip(kNipA);
  pv1::ListPlacementHistoryResponse hist;
  ASSERT_TRUE(stub_->ListPlacementHistory(Ctx(admin_).get(), hreq, &hist).ok());
  ASSERT_EQ(hist.placements_size(), 2);
  EXPECT_EQ(hist.placements(0).reason(), pv1::PLACEMENT_REASON_TRANSFER);
  EXPECT_EQ(hist.placements(0).decree_number(), "SK-1/2026");
  EXPECT_EQ(hist.placements(0).move_id(), "m1");

  // Operators may not execute transfers.
  pv1::ApplyTransfersResponse denied;
  EXPECT_EQ(stub_->ApplyTransfers(Ctx(operator71_).get(), req, &denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(PersonnelServiceTest, UpdateWithAStaleEtagIsAborted) {
  Seed();
  pv1::UpdateEmployeeRequest req;
  *req.mutable_employee() = Get(kNipA);
  req.mutable_employee()->set_name("Andi Baru");
  pv1::UpdateEmployeeResponse resp;
  ASSERT_TRUE(stub_->UpdateEmployee(Ctx(operator71_).get(), req, &resp).ok());
  EXPECT_EQ(resp.employee().etag(), "2");
  auto st = stub_->UpdateEmployee(Ctx(operator71_).get(), req, &resp);  // still etag 1
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED);
  req.mutable_employee()->clear_etag();
  st = stub_->UpdateEmployee(Ctx(operator71_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(errors::FieldViolationsOf(st),
              ElementsAre(errors::FieldViolation{"employee.etag", "is required"}));
}

TEST_P(PersonnelServiceTest, StaffingAsOfADateLeavesOutWhoHasRetiredByThen) {
  Seed();
  pv1::GetStaffingRequest req;
  req.set_agency_code("73.71");
  *req.mutable_as_of() = D(2026, 5, 31);
  pv1::GetStaffingResponse before;
  ASSERT_TRUE(stub_->GetStaffing(Ctx(service_).get(), req, &before).ok());
  EXPECT_EQ(before.employees_counted(), 3);
  EXPECT_EQ(before.employees_retired_excluded(), 0);
  *req.mutable_as_of() = D(2026, 6, 1);  // the retiree's TMT pensiun
  pv1::GetStaffingResponse after;
  ASSERT_TRUE(stub_->GetStaffing(Ctx(service_).get(), req, &after).ok());
  EXPECT_EQ(after.employees_counted(), 2);
  EXPECT_EQ(after.employees_retired_excluded(), 1);
  ASSERT_EQ(after.rows_size(), 2);
  EXPECT_EQ(after.rows(0).unit_id(), 1);
  EXPECT_EQ(after.rows(0).pppk(), 1);
  EXPECT_EQ(after.rows(1).unit_id(), 2);
  EXPECT_EQ(after.rows(1).pns(), 1);
  // The position's facts reach each row (read once per page, not joined per employee).
  EXPECT_EQ(after.rows(0).job_family(), "general_administration");
  EXPECT_EQ(after.rows(1).job_family(), "general_administration");
  EXPECT_EQ(after.digest().size(), 64u);
  EXPECT_NE(after.digest(), before.digest());
  pv1::GetStaffingResponse again;
  ASSERT_TRUE(stub_->GetStaffing(Ctx(service_).get(), req, &again).ok());
  EXPECT_EQ(again.digest(), after.digest());
}

TEST_P(PersonnelServiceTest, ChangeFeedResumesAfterTheLastSequenceSeen) {
  Seed();
  pv1::WatchChangesRequest req;
  req.set_agency_code("73.71");
  std::vector<pv1::WatchChangesResponse> seen;
  {
    auto ctx = Ctx(operator71_);
    auto reader = stub_->WatchChanges(ctx.get(), req);
    pv1::WatchChangesResponse c;
    while (reader->Read(&c)) seen.push_back(c);
    ASSERT_TRUE(reader->Finish().ok());
  }
  ASSERT_EQ(seen.size(), 6u);  // agency, units 1 and 2, three employees of 73.71
  EXPECT_EQ(seen[0].kind(), pv1::CHANGE_KIND_AGENCY_CREATED);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i].sequence(), seen[i - 1].sequence());

  // A follower sees a change made after it connected, then its deadline ends the stream.
  req.set_after_sequence(seen.back().sequence());
  req.set_follow(true);
  auto ctx = Ctx(operator71_);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto reader = stub_->WatchChanges(ctx.get(), req);
  pv1::UpdateEmployeeRequest up;
  *up.mutable_employee() = Get(kNipA);
  up.mutable_employee()->set_name("Nama Baru");
  pv1::UpdateEmployeeResponse up_resp;
  ASSERT_TRUE(stub_->UpdateEmployee(Ctx(admin_).get(), up, &up_resp).ok());
  pv1::WatchChangesResponse next;
  ASSERT_TRUE(reader->Read(&next));
  EXPECT_EQ(next.kind(), pv1::CHANGE_KIND_EMPLOYEE_UPDATED);
  EXPECT_EQ(next.resource_id(), kNipA);
  EXPECT_GT(next.sequence(), seen.back().sequence());
}

TEST_P(PersonnelServiceTest, ScopeConfinesOperatorsAndEmployeesToWhatIsTheirs) {
  Seed();
  // Without a filter an operator's list is scoped to their own agency.
  pv1::ListEmployeesRequest list;
  pv1::ListEmployeesResponse listed;
  ASSERT_TRUE(stub_->ListEmployees(Ctx(operator71_).get(), list, &listed).ok());
  EXPECT_EQ(listed.employees_size(), 3);
  for (const auto& e : listed.employees()) EXPECT_EQ(e.agency_code(), "73.71");
  // Naming another agency is denied.
  list.mutable_filter()->set_agency_code("73.72");
  auto st = stub_->ListEmployees(Ctx(operator71_).get(), list, &listed);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(st.error_message(), "caller of agency 73.71 may not act on agency 73.72");
  // Reading one employee of another agency is denied too.
  pv1::GetEmployeeRequest get;
  get.set_nip(kNipOther);
  pv1::GetEmployeeResponse got;
  EXPECT_EQ(stub_->GetEmployee(Ctx(operator71_).get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // An employee reads their own record and nobody else's.
  const std::string self = Token(Role::kEmployee, "73.71", kNipA);
  get.set_nip(kNipA);
  EXPECT_TRUE(stub_->GetEmployee(Ctx(self).get(), get, &got).ok());
  get.set_nip(kNipRetiree);
  EXPECT_EQ(stub_->GetEmployee(Ctx(self).get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Viewers read but never write; audit is admin only.
  pv1::CreatePositionRequest create;
  *create.mutable_position() = PositionRow("P9").position();
  pv1::CreatePositionResponse created;
  EXPECT_EQ(stub_->CreatePosition(Ctx(Token(Role::kViewer, "73.71")).get(), create, &created)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  pv1::ListAuditEventsRequest audit;
  pv1::ListAuditEventsResponse events;
  EXPECT_EQ(stub_->ListAuditEvents(Ctx(operator71_).get(), audit, &events).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->ListAuditEvents(Ctx(admin_).get(), audit, &events).ok());
  ASSERT_GE(events.events_size(), 1);
  EXPECT_EQ(events.events(0).method(), "/seimbang.personnel.v1.PersonnelService/ImportRecords");
}

TEST_P(PersonnelServiceTest, CreateEmployeeValidatesAndWarnsOnRankBand) {
  Seed();
  pv1::CreatePositionRequest pos;
  *pos.mutable_position() = PositionRow("JF-TS-AP").position();
  pos.mutable_position()->set_kind(pv1::POSITION_KIND_FUNCTIONAL_EXPERTISE);
  pos.mutable_position()->set_level(pv1::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  pos.mutable_position()->set_rank_min("III/a");
  pos.mutable_position()->set_rank_max("III/b");
  pv1::CreatePositionResponse pos_resp;
  ASSERT_TRUE(stub_->CreatePosition(Ctx(admin_).get(), pos, &pos_resp).ok());

  pv1::CreateEmployeeRequest req;
  *req.mutable_employee() = EmployeeRow("198503122010011008", 2).employee();
  req.mutable_employee()->set_position_code("JF-TS-AP");
  req.mutable_employee()->set_rank("II/c");
  req.set_request_id("create-8");
  pv1::CreateEmployeeResponse resp;
  ASSERT_TRUE(stub_->CreateEmployee(Ctx(operator71_).get(), req, &resp).ok());
  ASSERT_EQ(resp.warnings_size(), 1);
  EXPECT_EQ(resp.warnings(0).field(), "employee.rank");
  EXPECT_EQ(resp.employee().agency_code(), "73.71");
  EXPECT_EQ(resp.employee().birth_date().year(), 1985);
  // The same request_id replays the first response instead of ALREADY_EXISTS.
  pv1::CreateEmployeeResponse replay;
  ASSERT_TRUE(stub_->CreateEmployee(Ctx(operator71_).get(), req, &replay).ok());
  EXPECT_EQ(replay.SerializeAsString(), resp.SerializeAsString());
  req.clear_request_id();
  EXPECT_EQ(stub_->CreateEmployee(Ctx(operator71_).get(), req, &replay).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  req.mutable_employee()->set_nip("198503122010011009");
  req.mutable_employee()->set_gender(pv1::GENDER_FEMALE);
  auto st = stub_->CreateEmployee(Ctx(operator71_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(errors::FieldViolationsOf(st),
              ElementsAre(errors::FieldViolation{"employee.gender",
                                                 "does not match the NIP, which says male"}));
}

TEST_P(PersonnelServiceTest, BulkImportIsUpsertAndStreamsPageThroughEveryEmployee) {
  Seed();
  constexpr int kRows = 2500;  // five batches
  std::vector<pv1::ImportRecordsRequest> rows;
  for (int i = 0; i < kRows; ++i) {
    // Born 1980-01-01, CPNS 2005-01, sequence 1..999 over several birth days.
    char nip[19];
    std::snprintf(nip, sizeof nip, "198001%02d2005011%03d", 1 + i / 999, 1 + i % 999);
    rows.push_back(EmployeeRow(nip, 2));
  }
  auto start = std::chrono::steady_clock::now();
  pv1::ImportRecordsResponse first;
  ASSERT_TRUE(Import(operator71_, rows, &first).ok());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ INFO     ] %s: %d rows in %.2f s (%.0f rows/s)\n", GetParam().c_str(), kRows, secs,
              kRows / secs);
  EXPECT_EQ(first.summary().inserted(), kRows);
  pv1::ImportRecordsResponse again;
  start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Import(operator71_, rows, &again).ok());
  secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ INFO     ] %s: re-import of %d unchanged rows in %.2f s\n", GetParam().c_str(),
              kRows, secs);
  EXPECT_EQ(again.summary().unchanged(), kRows);
  EXPECT_EQ(again.summary().inserted(), 0);

  pv1::StreamEmployeesRequest req;
  req.mutable_filter()->set_unit_subtree(1);
  *req.mutable_eligible_as_of() = D(2026, 1, 1);
  auto ctx = Ctx(operator71_);
  auto reader = stub_->StreamEmployees(ctx.get(), req);
  pv1::StreamEmployeesResponse m;
  int n = 0;
  std::string last;
  while (reader->Read(&m)) {
    ++n;
    EXPECT_GT(m.employee().nip(), last);
    last = m.employee().nip();
    if (m.employee().nip() == "198001012005011001") {
      EXPECT_EQ(m.months_in_post(), 72);            // since 2020-01-01
      EXPECT_EQ(m.retirement_date().year(), 2038);  // BUP 58 -> 2038-02-01
      EXPECT_EQ(m.months_to_retirement(), 145);
      EXPECT_EQ(m.job_family(), "general_administration");
    }
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(n, kRows + 3);
}

// Batches run on parallel lanes on MariaDB; the outcome must be that of applying them one by
// one in stream order, and a follower of the change feed must miss nothing while they commit.
TEST_P(PersonnelServiceTest, ImportAppliesBatchesAsIfOneByOneAndTheFeedMissesNothing) {
  Seed();
  auto nip_of = [](int i) {
    return absl::StrFormat("198001%02d2005011%03d", 1 + i / 999, 1 + i % 999);
  };
  auto renamed = [&](int i, const std::string& name) {
    pv1::ImportRecordsRequest r = EmployeeRow(nip_of(i), 2);
    r.mutable_employee()->set_name(name);
    return r;
  };
  // Batch 2 is applied while batch 1's inserts are still being written (Importer::
  // ApplyPipelined): its first row must see the employee batch 1 inserts.
  const int b = static_cast<int>(Importer::kBatchSize);
  std::vector<pv1::ImportRecordsRequest> rows;
  for (int i = 0; i < b; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));  // batch 1
  rows.push_back(renamed(0, "Kedua"));  // batch 2 starts with a NIP of batch 1
  for (int i = b; i < 2 * b - 1; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));
  rows.push_back(UnitRow(3, 1, "73.71"));  // batch 3: a new unit, then employees in it
  for (int i = 2 * b - 1; i < 3 * b - 2; ++i) rows.push_back(EmployeeRow(nip_of(i), 3));
  for (int i = 3 * b - 2; i < 4 * b - 2; ++i) rows.push_back(EmployeeRow(nip_of(i), 3));  // batch 4
  rows.push_back(renamed(0, "Terakhir"));  // the last row wins
  const int employees = 4 * b - 2;

  // The feed so far, and a follower from its end while the import runs.
  pv1::WatchChangesRequest from;
  from.set_agency_code("73.71");
  int64_t start = 0;
  {
    auto ctx = Ctx(admin_);
    auto reader = stub_->WatchChanges(ctx.get(), from);
    pv1::WatchChangesResponse c;
    while (reader->Read(&c)) start = c.sequence();
    ASSERT_TRUE(reader->Finish().ok());
  }
  from.set_after_sequence(start);
  std::vector<int64_t> followed;
  auto follow_ctx = Ctx(admin_);
  follow_ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  pv1::WatchChangesRequest follow = from;
  follow.set_follow(true);
  auto follower = stub_->WatchChanges(follow_ctx.get(), follow);

  pv1::ImportRecordsResponse resp;
  ASSERT_TRUE(Import(operator71_, rows, &resp).ok());
  EXPECT_EQ(resp.summary().rejected(), 0) << resp.summary().DebugString();
  EXPECT_EQ(resp.summary().inserted(), employees + 1);  // employees and the unit
  EXPECT_EQ(resp.summary().updated(), 2);
  EXPECT_EQ(Get(nip_of(0)).name(), "Terakhir");
  EXPECT_EQ(Get(nip_of(2 * b)).unit_id(), 3);
  EXPECT_EQ(Get(nip_of(employees - 1)).unit_id(), 3);

  std::vector<int64_t> all;
  {
    auto ctx = Ctx(admin_);
    auto reader = stub_->WatchChanges(ctx.get(), from);
    pv1::WatchChangesResponse c;
    while (reader->Read(&c)) all.push_back(c.sequence());
    ASSERT_TRUE(reader->Finish().ok());
  }
  ASSERT_EQ(all.size(), employees + 1u + 2);  // created employees and unit, two updates
  pv1::WatchChangesResponse c;
  while (followed.size() < all.size() && follower->Read(&c)) followed.push_back(c.sequence());
  follow_ctx->TryCancel();
  EXPECT_EQ(followed, all);
}

// An employee the import already wrote, in a batch since written, is read where that write is
// visible (on MariaDB the other employees are read on a second connection, which sees only
// committed rows): a later row that sets kNipA back to its value before the import is an
// update, not "unchanged", and a later row of an employee inserted two batches before updates it.
TEST_P(PersonnelServiceTest, AnEmployeeInTwoBatchesEndsAsTheLaterRowSaysEvenBackToItsOldValue) {
  Seed();
  const pv1::Employee before = Get(kNipA);
  auto nip_of = [](int i) {
    return absl::StrFormat("198203%02d2007031%03d", 1 + i / 999, 1 + i % 999);
  };
  const int b = static_cast<int>(Importer::kBatchSize);
  std::vector<pv1::ImportRecordsRequest> rows;
  pv1::ImportRecordsRequest moved = EmployeeRow(kNipA, 1);  // batch 1: kNipA renamed and moved
  moved.mutable_employee()->set_name("Nama Sementara");
  rows.push_back(moved);
  for (int i = 1; i < b; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));
  for (int i = b; i < 2 * b; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));  // batch 2
  rows.push_back(EmployeeRow(kNipA, 2));  // batch 3: kNipA as it was before the import
  for (int i = 2 * b; i < 3 * b - 1; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));
  // Batch 4 (its own batch: a batch whose insert collides is replayed row by row on the lane's
  // connection, which would hide a wrong read of kNipA in the same batch).
  pv1::ImportRecordsRequest renamed = EmployeeRow(nip_of(1), 2);
  renamed.mutable_employee()->set_name("Ketiga");
  rows.push_back(renamed);
  for (int i = 3 * b - 1; i < 3 * b + 9; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));

  pv1::ImportRecordsResponse resp;
  ASSERT_TRUE(Import(operator71_, rows, &resp).ok());
  const cv1::ImportSummary& sum = resp.summary();
  EXPECT_EQ(sum.rejected() + sum.conflicts(), 0) << sum.DebugString();
  EXPECT_EQ(sum.inserted(), 3 * b + 9 - 1);
  EXPECT_EQ(sum.updated(), 3);
  EXPECT_EQ(sum.unchanged(), 0);
  const pv1::Employee a = Get(kNipA);
  EXPECT_EQ(a.name(), before.name());
  EXPECT_EQ(a.unit_id(), 2);
  EXPECT_EQ(a.version(), before.version() + 2);
  EXPECT_EQ(Get(nip_of(1)).name(), "Ketiga");
  // Its history: the first placement, to unit 1, and back to unit 2.
  pv1::ListPlacementHistoryRequest history;
  history.set_nip(kNipA);
  pv1::ListPlacementHistoryResponse placements;
  ASSERT_TRUE(stub_->ListPlacementHistory(Ctx(admin_).get(), history, &placements).ok());
  ASSERT_EQ(placements.placements_size(), 3);
  EXPECT_EQ(placements.placements(0).to_unit_id(), 2);  // newest first
  EXPECT_EQ(placements.placements(1).to_unit_id(), 1);
}

// A batch's bulk write fails while the next batch is being applied (Importer::ApplyPipelined),
// and the last batch's fails at the end of the stream (Importer::WriteHeld): each is undone and
// replayed row by row, so only the row the database refuses is rejected, every other row of
// both batches is applied exactly once, and the next batch still sees the first's employees.
TEST_P(PersonnelServiceTest, AFailingBulkWriteRejectsOnlyItsCulpritAndLosesNoOtherRow) {
  Seed();
  {
    // The database refuses one name (as an unexpected failure of the bulk insert would).
    auto pool = db::Pool::Open(dsn_);
    ASSERT_TRUE(pool.ok()) << pool.status();
    auto conn = (*pool)->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    const std::string trigger =
        GetParam() == "sqlite"
            ? "CREATE TRIGGER refuse_gagal BEFORE INSERT ON employees WHEN NEW.name LIKE 'Gagal%' "
              "BEGIN SELECT RAISE(ABORT, 'nama ditolak'); END"
            : "CREATE TRIGGER refuse_gagal BEFORE INSERT ON employees FOR EACH ROW "
              "IF NEW.name LIKE 'Gagal%' THEN "
              "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'nama ditolak'; END IF";
    ASSERT_TRUE((*conn)->Execute(trigger).ok());
  }
  auto nip_of = [](int i) {
    return absl::StrFormat("198102%02d2006021%03d", 1 + i / 999, 1 + i % 999);
  };
  const int b = static_cast<int>(Importer::kBatchSize);
  std::vector<pv1::ImportRecordsRequest> rows;
  for (int i = 0; i < b; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));  // batch 1
  rows[b / 2].mutable_employee()->set_name("Gagal Satu");
  pv1::ImportRecordsRequest renamed = EmployeeRow(nip_of(0), 2);  // batch 2: a NIP of batch 1
  renamed.mutable_employee()->set_name("Kedua");
  rows.push_back(renamed);
  for (int i = b; i < 2 * b - 1; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));
  for (int i = 2 * b - 1; i < 2 * b + 9; ++i) rows.push_back(EmployeeRow(nip_of(i), 2));  // last
  rows.back().mutable_employee()->set_name("Gagal Dua");
  const int employees = 2 * b + 9;

  pv1::ImportRecordsResponse resp;
  ASSERT_TRUE(Import(operator71_, rows, &resp).ok());
  const cv1::ImportSummary& sum = resp.summary();
  EXPECT_EQ(sum.received(), employees + 1);
  EXPECT_EQ(sum.inserted(), employees - 2) << sum.DebugString();
  EXPECT_EQ(sum.updated(), 1);
  EXPECT_EQ(sum.rejected(), 2);
  ASSERT_EQ(sum.errors_size(), 2);
  EXPECT_EQ(sum.errors(0).sequence(), b / 2 + 1);
  EXPECT_THAT(sum.errors(0).reason(), HasSubstr("nama ditolak"));
  EXPECT_EQ(sum.errors(1).sequence(), employees + 1);
  EXPECT_EQ(Get(nip_of(0)).name(), "Kedua");
  EXPECT_EQ(Get(nip_of(b - 1)).nip(), nip_of(b - 1));
  EXPECT_EQ(Get(nip_of(employees - 2)).nip(), nip_of(employees - 2));
  for (int i : {b / 2, employees - 1}) {
    pv1::GetEmployeeRequest req;
    req.set_nip(nip_of(i));
    pv1::GetEmployeeResponse got;
    EXPECT_EQ(stub_->GetEmployee(Ctx(admin_).get(), req, &got).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  // One feed row per applied row, none for the refused ones (Seed's rows come before).
  pv1::WatchChangesRequest from;
  from.set_agency_code("73.71");
  auto ctx = Ctx(admin_);
  auto reader = stub_->WatchChanges(ctx.get(), from);
  int feed = 0;
  pv1::WatchChangesResponse c;
  while (reader->Read(&c)) feed += c.resource_id().rfind("198102", 0) == 0 ? 1 : 0;
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(feed, employees - 2 + 1);
}

// ---- Issue 15 item 8: an import applies nothing unless its stream ends with the half-close.

// Issue 20: nobody is deleted. kNipA dies on 2026-03-01: the record stays, readable by NIP and
// listed on request, but from that day the person is not staffing, not a planning candidate
// (StreamEmployees), not listed by default, and a move of them fails at execution.
TEST_P(PersonnelServiceTest, SomeoneWhoLeavesKeepsTheRecordButLeavesStaffingListsAndMoves) {
  Seed();
  pv1::UpdateEmployeeRequest req;
  *req.mutable_employee() = Get(kNipA);
  req.mutable_employee()->set_employment_status(pv1::EMPLOYMENT_STATUS_DECEASED);
  pv1::UpdateEmployeeResponse resp;
  auto st = stub_->UpdateEmployee(Ctx(operator71_).get(), req, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(errors::FieldViolationsOf(st),
              Contains(Field(&errors::FieldViolation::field, "employee.status_since")));
  *req.mutable_employee()->mutable_status_since() = D(2026, 3, 1);
  ASSERT_TRUE(stub_->UpdateEmployee(Ctx(operator71_).get(), req, &resp).ok());
  EXPECT_EQ(Get(kNipA).employment_status(), pv1::EMPLOYMENT_STATUS_DECEASED);
  EXPECT_EQ(Get(kNipA).status_since().month(), 3);

  pv1::GetStaffingRequest staffing;
  staffing.set_agency_code("73.71");
  *staffing.mutable_as_of() = D(2026, 2, 28);
  pv1::GetStaffingResponse before, after;
  ASSERT_TRUE(stub_->GetStaffing(Ctx(service_).get(), staffing, &before).ok());
  EXPECT_EQ(before.employees_counted(), 3);
  EXPECT_EQ(before.employees_inactive_excluded(), 0);
  *staffing.mutable_as_of() = D(2026, 3, 1);
  ASSERT_TRUE(stub_->GetStaffing(Ctx(service_).get(), staffing, &after).ok());
  EXPECT_EQ(after.employees_counted(), 2);
  EXPECT_EQ(after.employees_inactive_excluded(), 1);

  auto streamed = [&](cv1::Date as_of) {
    pv1::StreamEmployeesRequest sreq;
    sreq.mutable_filter()->set_agency_code("73.71");
    *sreq.mutable_eligible_as_of() = as_of;
    std::vector<std::string> nips;
    EXPECT_TRUE(StreamNips(service_, sreq, &nips));
    return nips;
  };
  EXPECT_THAT(streamed(D(2026, 2, 1)), Contains(kNipA));
  EXPECT_THAT(streamed(D(2026, 4, 1)), Not(Contains(kNipA)));

  pv1::ListEmployeesRequest list;
  list.mutable_filter()->set_agency_code("73.71");
  pv1::ListEmployeesResponse listed;
  ASSERT_TRUE(stub_->ListEmployees(Ctx(operator71_).get(), list, &listed).ok());
  EXPECT_EQ(listed.employees_size(), 2);
  for (const auto& e : listed.employees()) EXPECT_NE(e.nip(), kNipA);
  list.mutable_filter()->set_include_inactive(true);
  ASSERT_TRUE(stub_->ListEmployees(Ctx(operator71_).get(), list, &listed).ok());
  EXPECT_EQ(listed.employees_size(), 3);

  pv1::ApplyTransfersRequest apply;
  *apply.add_moves() = MoveOfA("plan-9", "m1");
  pv1::ApplyTransfersResponse applied;
  ASSERT_TRUE(stub_->ApplyTransfers(Ctx(service_).get(), apply, &applied).ok());
  ASSERT_EQ(applied.results_size(), 1);
  EXPECT_EQ(applied.results(0).outcome(), pv1::MOVE_OUTCOME_FAILED);
  EXPECT_THAT(applied.results(0).detail(), HasSubstr("no longer active"));
  EXPECT_EQ(Get(kNipA).unit_id(), 2);
}

// Issue 17 item 4: the inspectorate's clearance is a field of the record, imported and editable.
TEST_P(PersonnelServiceTest, TheInspectorateFlagIsImportedAndEditable) {
  Seed();
  auto row = EmployeeRow("198503122010011007", 2);
  row.mutable_employee()->mutable_flags()->set_inspectorate_pending(true);
  pv1::ImportRecordsResponse resp;
  ASSERT_TRUE(Import(operator71_, {row}, &resp).ok());
  ASSERT_EQ(resp.summary().inserted(), 1) << resp.DebugString();
  EXPECT_TRUE(Get("198503122010011007").flags().inspectorate_pending());
  pv1::UpdateEmployeeRequest req;
  *req.mutable_employee() = Get("198503122010011007");
  req.mutable_employee()->mutable_flags()->set_inspectorate_pending(false);
  pv1::UpdateEmployeeResponse updated;
  ASSERT_TRUE(stub_->UpdateEmployee(Ctx(operator71_).get(), req, &updated).ok());
  EXPECT_FALSE(Get("198503122010011007").flags().inspectorate_pending());
}

// Issue 19: people are found by part of their name (ASCII case ignored, % and _ literal) and by
// the first digits of their NIP, within the caller's scope, with the other filters, page by page
// and in the stream; a bad search value is INVALID_ARGUMENT on its own field.
TEST_P(PersonnelServiceTest, EmployeesAreFoundByPartOfTheirNameOrTheStartOfTheirNip) {
  Seed();
  auto named = [](const std::string& nip, const std::string& name, int64_t unit) {
    auto row = EmployeeRow(nip, unit);
    row.mutable_employee()->set_name(name);
    return row;
  };
  constexpr char kAndi[] = "198503122010011007";
  constexpr char kSiti[] = "199001012015012001";
  constexpr char kAndiElsewhere[] = "199001012015012002";  // in agency 73.72
  pv1::ImportRecordsResponse imported;
  ASSERT_TRUE(Import(admin_,
                     {named(kAndi, "Andi Mappanyukki", 2), named(kSiti, "Siti 100%_Andini", 1),
                      named(kAndiElsewhere, "Andi Lain", 10)},
                     &imported)
                  .ok());
  ASSERT_EQ(imported.summary().inserted(), 3) << imported.DebugString();

  auto nips = [&](const std::string& token, const std::string& agency, const std::string& name,
                  const std::string& nip_prefix) {
    pv1::ListEmployeesRequest req;
    req.mutable_filter()->set_agency_code(agency);
    req.mutable_filter()->set_name_contains(name);
    req.mutable_filter()->set_nip_prefix(nip_prefix);
    return ListedNips(token, req);
  };
  EXPECT_THAT(nips(operator71_, "73.71", "ANDI", ""), ElementsAre(kAndi, kSiti));
  EXPECT_THAT(nips(admin_, "", "andi", ""), ElementsAre(kAndi, kSiti, kAndiElsewhere));
  EXPECT_THAT(nips(operator71_, "73.71", "%_a", ""), ElementsAre(kSiti));
  EXPECT_THAT(nips(operator71_, "73.71", "1_0", ""), ElementsAre());  // _ is not a wildcard
  EXPECT_THAT(nips(operator71_, "73.71", "", "19850312"), ElementsAre(kNipA, kAndi));
  EXPECT_THAT(nips(operator71_, "73.71", "", "1990"), ElementsAre(kSiti));
  EXPECT_THAT(nips(operator71_, "73.71", "pegawai", "1985"), ElementsAre(kNipA));

  pv1::ListEmployeesRequest page;
  page.mutable_filter()->set_agency_code("73.71");
  page.mutable_filter()->set_name_contains("andi");
  page.mutable_page()->set_page_size(1);
  pv1::ListEmployeesResponse first, second;
  ASSERT_TRUE(stub_->ListEmployees(Ctx(operator71_).get(), page, &first).ok());
  ASSERT_EQ(first.employees_size(), 1);
  EXPECT_EQ(first.employees(0).nip(), kAndi);
  page.mutable_page()->set_page_token(first.page().next_page_token());
  ASSERT_TRUE(stub_->ListEmployees(Ctx(operator71_).get(), page, &second).ok());
  ASSERT_EQ(second.employees_size(), 1);
  EXPECT_EQ(second.employees(0).nip(), kSiti);
  EXPECT_TRUE(second.page().next_page_token().empty());
  page.mutable_filter()->set_name_contains("siti");  // a token is bound to its search
  EXPECT_EQ(stub_->ListEmployees(Ctx(operator71_).get(), page, &second).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  pv1::StreamEmployeesRequest stream;
  stream.mutable_filter()->set_agency_code("73.71");
  stream.mutable_filter()->set_name_contains("Andi");
  std::vector<std::string> streamed;
  ASSERT_TRUE(StreamNips(service_, stream, &streamed));
  EXPECT_THAT(streamed, ElementsAre(kAndi, kSiti));

  for (const auto& [field, name, prefix] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"filter.nip_prefix", "", "19a"},
           {"filter.nip_prefix", "", "1234567890123456789"},
           {"filter.name_contains", std::string(201, 'x'), ""}}) {
    pv1::ListEmployeesRequest bad;
    bad.mutable_filter()->set_agency_code("73.71");
    bad.mutable_filter()->set_name_contains(name);
    bad.mutable_filter()->set_nip_prefix(prefix);
    pv1::ListEmployeesResponse resp;
    auto st = stub_->ListEmployees(Ctx(operator71_).get(), bad, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_THAT(errors::FieldViolationsOf(st),
                Contains(Field(&errors::FieldViolation::field, field)));
  }
  // The position and job-family filters are bounded like the fields they match (64 characters).
  for (const std::string field : {"filter.position_code", "filter.job_family"}) {
    pv1::ListEmployeesRequest bad;
    bad.mutable_filter()->set_agency_code("73.71");
    if (field == "filter.position_code") {
      bad.mutable_filter()->set_position_code(std::string(65, 'P'));
    } else {
      bad.mutable_filter()->set_job_family(std::string(65, 'f'));
    }
    pv1::ListEmployeesResponse resp;
    auto st = stub_->ListEmployees(Ctx(operator71_).get(), bad, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_THAT(errors::FieldViolationsOf(st),
                ElementsAre(errors::FieldViolation{field, "at most 64 characters"}));
  }
}

// Issue 20: a unit's id in the national registry is unique within its agency, and reads accept it
// instead of Seimbang's id, within the caller's scope.
TEST_P(PersonnelServiceTest, AnExternalUnitIdIsUniquePerAgencyAndFindsTheUnit) {
  Seed();
  auto ext = [](pv1::ImportRecordsRequest r, const std::string& id) {
    r.mutable_unit()->set_external_id(id);
    return r;
  };
  std::vector<pv1::ImportRecordsRequest> rows = {
      ext(UnitRow(3, 1, "73.71"), "SIASN:3"), ext(UnitRow(4, 1, "73.71"), "SIASN:3"),
      ext(UnitRow(11, 10, "73.72"), "SIASN:3"), ext(UnitRow(5, 1, "73.71"), "bad id!")};
  pv1::ImportRecordsResponse resp;
  ASSERT_TRUE(Import(admin_, rows, &resp).ok());
  EXPECT_EQ(resp.summary().inserted(), 2) << resp.DebugString();
  ASSERT_EQ(resp.summary().errors_size(), 2) << resp.DebugString();
  EXPECT_EQ(resp.summary().errors(0).field(), "unit.external_id");  // taken in 73.71
  EXPECT_EQ(resp.summary().errors(1).field(), "unit.external_id");  // characters

  pv1::GetUnitRequest get;
  get.set_agency_code("73.71");
  get.set_external_id("SIASN:3");
  pv1::GetUnitResponse got;
  ASSERT_TRUE(stub_->GetUnit(Ctx(operator71_).get(), get, &got).ok());
  EXPECT_EQ(got.unit().id(), 3);
  EXPECT_EQ(got.unit().external_id(), "SIASN:3");
  get.set_agency_code("73.72");
  EXPECT_EQ(stub_->GetUnit(Ctx(operator71_).get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->GetUnit(Ctx(admin_).get(), get, &got).ok());
  EXPECT_EQ(got.unit().id(), 11);
  get.set_external_id("SIASN:404");
  EXPECT_EQ(stub_->GetUnit(Ctx(admin_).get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  get.clear_agency_code();
  EXPECT_EQ(stub_->GetUnit(Ctx(admin_).get(), get, &got).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  pv1::ListUnitsRequest list;
  list.set_agency_code("73.71");
  list.set_external_id("SIASN:3");
  pv1::ListUnitsResponse listed;
  ASSERT_TRUE(stub_->ListUnits(Ctx(operator71_).get(), list, &listed).ok());
  ASSERT_EQ(listed.units_size(), 1);
  EXPECT_EQ(listed.units(0).id(), 3);

  // Employee rows name their unit by external id (with the agency) instead of Seimbang's id.
  auto by_ext = EmployeeRow("198503122010011007", 0);
  by_ext.mutable_employee()->set_agency_code("73.71");
  by_ext.mutable_employee()->set_unit_external_id("SIASN:3");
  auto unknown_ext = EmployeeRow("198503122010011008", 0);
  unknown_ext.mutable_employee()->set_agency_code("73.71");
  unknown_ext.mutable_employee()->set_unit_external_id("SIASN:404");
  ASSERT_TRUE(Import(operator71_, {by_ext, unknown_ext}, &resp).ok());
  EXPECT_EQ(resp.summary().inserted(), 1) << resp.DebugString();
  ASSERT_EQ(resp.summary().errors_size(), 1) << resp.DebugString();
  EXPECT_EQ(resp.summary().errors(0).field(), "employee.unit_external_id");
  EXPECT_EQ(Get("198503122010011007").unit_id(), 3);
  pv1::CreateEmployeeRequest create;
  *create.mutable_employee() = unknown_ext.employee();
  pv1::CreateEmployeeResponse created;
  auto st = stub_->CreateEmployee(Ctx(operator71_).get(), create, &created);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(errors::FieldViolationsOf(st),
              Contains(Field(&errors::FieldViolation::field, "employee.unit_external_id")));
  create.mutable_employee()->set_unit_external_id("SIASN:3");
  ASSERT_TRUE(stub_->CreateEmployee(Ctx(operator71_).get(), create, &created).ok());
  EXPECT_EQ(Get("198503122010011008").unit_id(), 3);

  // Moving the id to another unit of the agency is refused; clearing it frees it.
  pv1::GetUnitRequest by_id;
  by_id.set_id(2);
  ASSERT_TRUE(stub_->GetUnit(Ctx(admin_).get(), by_id, &got).ok());
  pv1::UpdateUnitRequest update;
  *update.mutable_unit() = got.unit();
  update.mutable_unit()->set_external_id("SIASN:3");
  pv1::UpdateUnitResponse updated;
  EXPECT_EQ(stub_->UpdateUnit(Ctx(operator71_).get(), update, &updated).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

// Issue 20: the subtree filters (ListUnits, ListEmployees, StreamEmployees, GetStaffing) take a
// unit by its external id within the agency, with the same answer as by Seimbang's id; giving both,
// an unknown external id or none of the agency is INVALID_ARGUMENT on the external id's field.
TEST_P(PersonnelServiceTest, SubtreeFiltersAcceptAUnitsExternalId) {
  Seed();
  auto ext = [](pv1::ImportRecordsRequest r, const std::string& id) {
    r.mutable_unit()->set_external_id(id);
    return r;
  };
  pv1::ImportRecordsResponse imported;
  ASSERT_TRUE(
      Import(admin_,
             {ext(UnitRow(2, 1, "73.71"), "SIASN:2"), ext(UnitRow(3, 2, "73.71"), "SIASN:3"),
              ext(UnitRow(10, 0, "73.72"), "SIASN:2")},
             &imported)
          .ok());
  ASSERT_EQ(imported.summary().errors_size(), 0) << imported.DebugString();

  auto units = [&](int64_t id, const std::string& external_id) {
    pv1::ListUnitsRequest req;
    req.set_agency_code("73.71");
    req.set_subtree_of(id);
    req.set_subtree_of_external_id(external_id);
    pv1::ListUnitsResponse resp;
    auto st = stub_->ListUnits(Ctx(operator71_).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<int64_t> out;
    for (const auto& u : resp.units()) out.push_back(u.id());
    return out;
  };
  EXPECT_THAT(units(0, "SIASN:2"), ElementsAre(2, 3));
  EXPECT_EQ(units(0, "SIASN:3"), units(3, ""));

  auto employees = [&](const std::string& token, const std::string& agency, int64_t id,
                       const std::string& external_id) {
    pv1::ListEmployeesRequest req;
    req.mutable_filter()->set_agency_code(agency);
    req.mutable_filter()->set_unit_subtree(id);
    req.mutable_filter()->set_unit_subtree_external_id(external_id);
    return ListedNips(token, req);
  };
  const auto in_unit_2 = employees(operator71_, "73.71", 2, "");
  EXPECT_THAT(in_unit_2, Contains(kNipA));
  EXPECT_THAT(in_unit_2, Not(Contains(kNipPppk)));  // in unit 1, above the subtree
  EXPECT_EQ(employees(operator71_, "73.71", 0, "SIASN:2"), in_unit_2);
  EXPECT_THAT(employees(admin_, "73.72", 0, "SIASN:2"), ElementsAre(kNipOther));

  pv1::StreamEmployeesRequest stream;
  stream.mutable_filter()->set_agency_code("73.71");
  stream.mutable_filter()->set_unit_subtree_external_id("SIASN:2");
  std::vector<std::string> streamed;
  ASSERT_TRUE(StreamNips(service_, stream, &streamed));
  EXPECT_EQ(streamed, in_unit_2);

  auto staffing = [&](int64_t id, const std::string& external_id) {
    pv1::GetStaffingRequest req;
    req.set_agency_code("73.71");
    req.set_unit_subtree(id);
    req.set_unit_subtree_external_id(external_id);
    *req.mutable_as_of() = D(2026, 1, 1);
    pv1::GetStaffingResponse resp;
    auto st = stub_->GetStaffing(Ctx(service_).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  };
  const auto by_id = staffing(2, "");
  const auto by_external_id = staffing(0, "SIASN:2");
  ASSERT_GT(by_id.rows_size(), 0);
  EXPECT_EQ(by_external_id.SerializeAsString(), by_id.SerializeAsString());

  // Both ids, an unknown external id, none of the agency (admin): INVALID_ARGUMENT on the field;
  // an agency outside the caller's scope: PERMISSION_DENIED.
  struct Bad {
    std::string token, agency;
    int64_t id;
    std::string external_id;
    grpc::StatusCode code;
  };
  for (const auto& bad : std::vector<Bad>{
           {operator71_, "73.71", 2, "SIASN:2", grpc::StatusCode::INVALID_ARGUMENT},
           {operator71_, "73.71", 0, "SIASN:404", grpc::StatusCode::INVALID_ARGUMENT},
           {admin_, "", 0, "SIASN:2", grpc::StatusCode::INVALID_ARGUMENT},
           {operator71_, "73.72", 0, "SIASN:2", grpc::StatusCode::PERMISSION_DENIED}}) {
    pv1::ListEmployeesRequest req;
    req.mutable_filter()->set_agency_code(bad.agency);
    req.mutable_filter()->set_unit_subtree(bad.id);
    req.mutable_filter()->set_unit_subtree_external_id(bad.external_id);
    pv1::ListEmployeesResponse resp;
    auto st = stub_->ListEmployees(Ctx(bad.token).get(), req, &resp);
    EXPECT_EQ(st.error_code(), bad.code) << bad.agency << " " << bad.external_id;
    if (bad.code == grpc::StatusCode::INVALID_ARGUMENT) {
      EXPECT_THAT(
          errors::FieldViolationsOf(st),
          Contains(Field(&errors::FieldViolation::field, "filter.unit_subtree_external_id")));
    }
    pv1::ListUnitsRequest list;
    list.set_agency_code(bad.agency);
    list.set_subtree_of(bad.id);
    list.set_subtree_of_external_id(bad.external_id);
    pv1::ListUnitsResponse listed;
    st = stub_->ListUnits(Ctx(bad.token).get(), list, &listed);
    EXPECT_EQ(st.error_code(), bad.code) << bad.agency << " " << bad.external_id;
    if (bad.code == grpc::StatusCode::INVALID_ARGUMENT) {
      EXPECT_THAT(errors::FieldViolationsOf(st),
                  Contains(Field(&errors::FieldViolation::field, "subtree_of_external_id")));
    }
  }
}

// Issue 17 item 1 (PermenPANRB 45/2022): only a pelaksana position has a class.
TEST_P(PersonnelServiceTest, OnlyAPelaksanaPositionHasAClass) {
  pv1::CreatePositionRequest req;
  auto* p = req.mutable_position();
  p->set_code("PL-KLEREK");
  p->set_name("Pengadministrasi Perkantoran");
  p->set_kind(pv1::POSITION_KIND_PELAKSANA);
  p->set_level(pv1::FUNCTIONAL_LEVEL_NONE);
  p->set_job_family("general_administration");
  p->set_pelaksana_class(pv1::PELAKSANA_CLASS_KLEREK);
  pv1::CreatePositionResponse resp;
  ASSERT_TRUE(stub_->CreatePosition(Ctx(admin_).get(), req, &resp).ok());
  pv1::GetPositionRequest get;
  get.set_code("PL-KLEREK");
  pv1::GetPositionResponse got;
  ASSERT_TRUE(stub_->GetPosition(Ctx(admin_).get(), get, &got).ok());
  EXPECT_EQ(got.position().pelaksana_class(), pv1::PELAKSANA_CLASS_KLEREK);
  p->set_code("JF-X-AP");
  p->set_kind(pv1::POSITION_KIND_FUNCTIONAL_EXPERTISE);
  p->set_level(pv1::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  auto st = stub_->CreatePosition(Ctx(admin_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(errors::FieldViolationsOf(st),
              Contains(Field(&errors::FieldViolation::field, "position.pelaksana_class")));
}

class ImportAtomicityTest : public PersonnelServiceTest {
 protected:
  // Three batches (Importer::kBatchSize), so batches have been applied and written (the last
  // one held, ApplyPipelined) before the stream is cut.
  static constexpr int kStreamed = 3 * static_cast<int>(Importer::kBatchSize);

  static std::string NipOf(int i) {
    return absl::StrFormat("198001%02d2005011%03d", 1 + i / 999, 1 + i % 999);
  }

  // A new unit 3, kStreamed new employees (half of them in unit 3) and a rename of a seeded
  // employee: every kind of write an import makes (insert, barrier, update, change feed).
  std::vector<pv1::ImportRecordsRequest> Stream() {
    std::vector<pv1::ImportRecordsRequest> rows = {UnitRow(3, 1, "73.71")};
    for (int i = 0; i < kStreamed; ++i) rows.push_back(EmployeeRow(NipOf(i), i % 2 ? 3 : 2));
    pv1::ImportRecordsRequest renamed = EmployeeRow(kNipA, 2);
    renamed.mutable_employee()->set_name("Dari Impor");
    rows.push_back(renamed);
    return rows;
  }

  int64_t FeedSize() {
    auto ctx = Ctx(admin_);
    auto reader = stub_->WatchChanges(ctx.get(), pv1::WatchChangesRequest());
    pv1::WatchChangesResponse c;
    int64_t n = 0;
    while (reader->Read(&c)) ++n;
    EXPECT_TRUE(reader->Finish().ok());
    return n;
  }

  int EmployeesOf7371() {
    pv1::StreamEmployeesRequest req;
    req.mutable_filter()->set_unit_subtree(1);
    std::vector<std::string> nips;
    EXPECT_TRUE(StreamNips(operator71_, req, &nips));
    return static_cast<int>(nips.size());
  }

  grpc::StatusCode EmployeeCode(const std::string& nip) {
    pv1::GetEmployeeRequest req;
    req.set_nip(nip);
    pv1::GetEmployeeResponse resp;
    return stub_->GetEmployee(Ctx(admin_).get(), req, &resp).error_code();
  }

  // Nothing of Stream() is visible: no unit 3, no streamed employee, no rename, no feed row.
  // Checked twice, the second time after the server has surely finished with the stream.
  void ExpectNothingOfTheStream(int64_t feed_before) {
    for (int round = 0; round < 2; ++round) {
      SCOPED_TRACE(round == 0 ? "right after the stream ended" : "two seconds later");
      pv1::GetUnitRequest unit;
      unit.set_id(3);
      pv1::GetUnitResponse unit_resp;
      EXPECT_EQ(stub_->GetUnit(Ctx(admin_).get(), unit, &unit_resp).error_code(),
                grpc::StatusCode::NOT_FOUND);
      for (int i : {0, 1, 777, 1500, kStreamed - 1}) {
        EXPECT_EQ(EmployeeCode(NipOf(i)), grpc::StatusCode::NOT_FOUND) << NipOf(i);
      }
      EXPECT_NE(Get(kNipA).name(), "Dari Impor");
      EXPECT_EQ(EmployeesOf7371(), 3);  // the seeded ones only
      EXPECT_EQ(FeedSize(), feed_before);
      if (round == 0) std::this_thread::sleep_for(std::chrono::seconds(2));
    }
  }

  // Streams Stream() without the half-close and waits until the lanes have had time to apply
  // the batches.
  void StreamWithoutHalfClose(grpc::ClientWriter<pv1::ImportRecordsRequest>& writer) {
    for (const auto& r : Stream()) {
      if (!writer.Write(r)) break;  // the deadline may already have ended the call
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
};

// Issue 15 item 8: a client that cancelled ImportRecords mid-stream found every row already
// received committed (and no summary); now nothing of the stream is visible, rows or feed.
TEST_P(ImportAtomicityTest, ACancelledImportAppliesNothing) {
  Seed();
  const int64_t feed = FeedSize();
  auto ctx = Ctx(operator71_);
  pv1::ImportRecordsResponse resp;
  auto writer = stub_->ImportRecords(ctx.get(), &resp);
  StreamWithoutHalfClose(*writer);
  ctx->TryCancel();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  ExpectNothingOfTheStream(feed);
}

// Issue 15 item 8: a deadline that expires mid-stream committed the rows received so far; now
// nothing of the stream is visible.
TEST_P(ImportAtomicityTest, ADeadlineExpiringMidStreamAppliesNothing) {
  Seed();
  const int64_t feed = FeedSize();
  auto ctx = Ctx(operator71_);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1500));
  pv1::ImportRecordsResponse resp;
  auto writer = stub_->ImportRecords(ctx.get(), &resp);
  StreamWithoutHalfClose(*writer);  // two seconds: past the deadline
  writer->WritesDone();             // too late: the call is over
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ExpectNothingOfTheStream(feed);
}

// Issue 15 items 6 and 8: a message that does not parse (invalid UTF-8 in a name) was taken
// by gRPC's Read for the end of the stream, and the rows before it were applied with OK; now
// the import is INVALID_ARGUMENT naming the message type, and nothing of it is visible.
TEST_P(ImportAtomicityTest, AMalformedMessageMidStreamIsInvalidArgumentAndAppliesNothing) {
  Seed();
  const int64_t feed = FeedSize();
  std::vector<pv1::ImportRecordsRequest> rows = Stream();
  pv1::ImportRecordsRequest bad = EmployeeRow(NipOf(kStreamed + 1), 2);
  bad.mutable_employee()->set_name(std::string("Andi\xff\xfe", 6));  // the client still sends it
  rows.insert(rows.begin() + kStreamed / 2, bad);
  pv1::ImportRecordsResponse resp;
  grpc::Status st = Import(operator71_, rows, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("ImportRecordsRequest"));
  ExpectNothingOfTheStream(feed);
}

// Issue 15 item 8: a server shut down (SIGTERM) or killed (SIGKILL) mid-stream committed the
// batches applied so far; now, after a restart, nothing of the stream is visible.
TEST_P(ImportAtomicityTest, AServerStoppedOrKilledMidStreamAppliesNothing) {
  Seed();
  const int64_t feed = FeedSize();
  for (bool kill : {false, true}) {
    SCOPED_TRACE(kill ? "SIGKILL" : "SIGTERM");
    {
      auto ctx = Ctx(operator71_);
      pv1::ImportRecordsResponse resp;
      auto writer = stub_->ImportRecords(ctx.get(), &resp);
      StreamWithoutHalfClose(*writer);
      if (kill) {
        proc_->Kill();
      } else {
        proc_->Stop();  // graceful: in-flight calls get the 2 s grace, then are cancelled
      }
      EXPECT_FALSE(writer->Finish().ok());
    }
    proc_.reset();
    StartService();
    ExpectNothingOfTheStream(feed);
  }
}

// Issue 15 item 8: the other half of the guarantee: a stream that ends with the half-close
// applies every accepted row, with its change-feed rows, and reports them all.
TEST_P(ImportAtomicityTest, ACompletedStreamAppliesEveryAcceptedRowAndReportsThem) {
  Seed();
  const int64_t feed = FeedSize();
  std::vector<pv1::ImportRecordsRequest> rows = Stream();
  rows.push_back(EmployeeRow("199912312020121001", 99));  // unit 99 does not exist
  pv1::ImportRecordsResponse resp;
  const grpc::Status st = Import(operator71_, rows, &resp);
  ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
  const auto& s = resp.summary();
  EXPECT_EQ(s.received(), kStreamed + 3);
  EXPECT_EQ(s.inserted(), kStreamed + 1);  // the employees and unit 3
  EXPECT_EQ(s.updated(), 1);               // the rename
  EXPECT_EQ(s.rejected(), 1);
  ASSERT_EQ(s.errors_size(), 1);
  EXPECT_EQ(s.errors(0).sequence(), kStreamed + 3);
  EXPECT_EQ(s.errors(0).field(), "employee.unit_id");
  EXPECT_EQ(EmployeesOf7371(), 3 + kStreamed);
  EXPECT_EQ(Get(NipOf(0)).unit_id(), 2);
  EXPECT_EQ(Get(NipOf(kStreamed - 1)).unit_id(), 3);
  EXPECT_EQ(Get(kNipA).name(), "Dari Impor");
  EXPECT_EQ(EmployeeCode("199912312020121001"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(FeedSize(), feed + kStreamed + 2);  // created employees and unit, the rename
}

INSTANTIATE_TEST_SUITE_P(Engines, ImportAtomicityTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

// The contract: one answer per requested NIP, in request order, a NIP asked twice answered
// twice; an unknown NIP and one outside the caller's agency are both only "not found". (The
// service moves the last answer of each NIP into the response and copies the repeats.)
TEST_P(PersonnelServiceTest, BatchGetAnswersInRequestOrderRepeatsIncludedOtherAgenciesNotFound) {
  Seed();
  const std::string unknown = "197001011990011999";
  pv1::BatchGetEmployeesRequest req;
  for (const char* nip : {kNipA, kNipOther, kNipA, unknown.c_str(), kNipPppk, kNipA}) {
    req.add_nips(nip);
  }
  pv1::BatchGetEmployeesResponse resp;
  auto st = stub_->BatchGetEmployees(Ctx(operator71_).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  std::vector<std::string> got;
  for (const pv1::Employee& e : resp.employees()) {
    got.push_back(e.nip());
    EXPECT_EQ(e.agency_code(), "73.71") << e.nip();
    EXPECT_FALSE(e.name().empty()) << e.nip();
  }
  EXPECT_EQ(got, (std::vector<std::string>{kNipA, kNipA, kNipPppk, kNipA}));
  EXPECT_EQ(std::vector<std::string>(resp.not_found().begin(), resp.not_found().end()),
            (std::vector<std::string>{kNipOther, unknown}));
  // Every copy is whole: the repeats equal the last answer, which was moved.
  EXPECT_EQ(resp.employees(0).DebugString(), resp.employees(3).DebugString());
  EXPECT_EQ(resp.employees(1).DebugString(), resp.employees(3).DebugString());
}

TEST(PersonnelServiceDevMode, InsecureDevServesWithoutAToken) {
  testing::ServiceProcessOptions options;
  options.args = {"--db=" + testsupport::FreshSqliteDsn(), "--insecure-dev"};
  auto proc = testing::ServiceProcess::Start(kBinary, options);
  ASSERT_TRUE(proc.ok()) << proc.status();
  auto stub = pv1::PersonnelService::NewStub(
      grpc::CreateChannel(proc->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  pv1::CreateAgencyRequest req;
  req.mutable_agency()->set_code("73.71");
  req.mutable_agency()->set_name("Kota Makassar");
  req.mutable_agency()->set_kind(pv1::AGENCY_KIND_CITY);
  pv1::CreateAgencyResponse resp;
  auto st = stub->CreateAgency(&ctx, req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_GT(resp.agency().create_time_ms(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, PersonnelServiceTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::personnel
