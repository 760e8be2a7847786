// workload-service end to end, with a real personnel-service, on both engines:
// load staff into personnel, define workloads and signals, run analyses, read them
// back, compare them, and check the ABK figures against hand-computed values.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/services.h"
#include "tests/harness/workload_records.h"
#include "tests/integration/workload/workload_fixture.h"
#include "tests/support/http.h"
#include "tests/support/test_db.h"

namespace seimbang::workload {
namespace {

namespace pb = ::seimbang::workload::v1;
using ::testing::HasSubstr;

// Staff of kAgency, all born 1985-03-12, CPNS 2010-01, male: 101/PLK-ADM 3, 101/JF-TS-AP 1,
// 102/PLK-ADM 1.
const std::vector<Placement> kStaff = {{"198503122010011001", 101, "PLK-ADM"},
                                       {"198503122010011002", 101, "PLK-ADM"},
                                       {"198503122010011003", 101, "PLK-ADM"},
                                       {"198503122010011004", 101, "JF-TS-AP"},
                                       {"198503122010011005", 102, "PLK-ADM"}};

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  return testing::CallContext(token, absl::Seconds(30));
}

class WorkloadServiceTest : public WorkloadWithPersonnelTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        StartServices("workload_svc", {"--personnel-deadline-ms=5000"}, AgencyRecords(kStaff)));
  }

  // 101/PLK-ADM: 100 a month × 75 min = 90,000 min/year.
  pb::Workload AdminWorkload() {
    pb::Workload w;
    w.set_agency_code(kAgency);
    w.set_unit_id(101);
    w.set_position_code("PLK-ADM");
    *w.add_tasks() = testing::WorkloadTask("Mengagendakan surat", 100, 75, pb::PERIOD_MONTH);
    return w;
  }

  std::vector<pb::RunAnalysisResponse> Run(const std::string& token, const std::string& request_id,
                                           grpc::Status* status) {
    pb::RunAnalysisRequest req;
    req.set_agency_code(kAgency);
    req.mutable_as_of()->set_year(2026);
    req.mutable_as_of()->set_month(6);
    req.mutable_as_of()->set_day(30);
    req.set_label("uji");
    req.set_request_id(request_id);
    auto ctx = Ctx(token);
    auto reader = stub_->RunAnalysis(ctx.get(), req);
    std::vector<pb::RunAnalysisResponse> out;
    pb::RunAnalysisResponse msg;
    while (reader->Read(&msg)) out.push_back(msg);
    *status = reader->Finish();
    return out;
  }

  pb::AnalysisSummary RunOk(const std::string& request_id) {
    grpc::Status st;
    std::vector<pb::RunAnalysisResponse> events = Run(operator_, request_id, &st);
    EXPECT_TRUE(st.ok()) << st.error_message();
    if (events.empty()) return {};
    EXPECT_TRUE(events.back().has_summary());
    return events.back().summary();
  }

  // Upserts 101/PLK-ADM and imports 101/JF-TS-AP and 102/PLK-ADM (with a demand driver).
  void DefineWorkloads() {
    pb::UpsertWorkloadRequest up;
    *up.mutable_workload() = AdminWorkload();
    pb::UpsertWorkloadResponse up_resp;
    grpc::Status st = stub_->UpsertWorkload(Ctx(operator_).get(), up, &up_resp);
    ASSERT_TRUE(st.ok()) << st.error_message();

    std::vector<pb::ImportWorkloadRequest> rows(3);
    // 101/JF-TS-AP: 500 a year × 450 min = 225,000 min.
    rows[0].set_agency_code(kAgency);
    rows[0].set_unit_id(101);
    rows[0].set_position_code("JF-TS-AP");
    *rows[0].mutable_task() = testing::WorkloadTask("Menyusun RAB", 500, 450);
    // 102/PLK-ADM: 50 a week × 60 min = 150,000 min, plus 10 a month × 300 min = 36,000
    // scaled by complaints against a baseline of 20 a month.
    rows[1].set_agency_code(kAgency);
    rows[1].set_unit_id(102);
    rows[1].set_position_code("PLK-ADM");
    *rows[1].mutable_task() = testing::WorkloadTask("Melayani loket", 50, 60, pb::PERIOD_WEEK);
    rows[2] = rows[1];
    *rows[2].mutable_task() =
        testing::WorkloadTask("Menindaklanjuti pengaduan", 10, 300, pb::PERIOD_MONTH);
    rows[2].mutable_task()->mutable_driver()->set_signal_kind(pb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
    rows[2].mutable_task()->mutable_driver()->set_baseline_per_month(20);
    pb::ImportWorkloadResponse resp;
    auto ctx = Ctx(operator_);
    auto writer = stub_->ImportWorkload(ctx.get(), &resp);
    for (const auto& r : rows) ASSERT_TRUE(writer->Write(r));
    writer->WritesDone();
    st = writer->Finish();
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(resp.summary().inserted(), 3) << resp.DebugString();
  }
};

TEST_P(WorkloadServiceTest, UpsertChecksUnitAndPositionAgainstPersonnelAndEtags) {
  pb::UpsertWorkloadRequest req;
  *req.mutable_workload() = AdminWorkload();
  req.mutable_workload()->set_unit_id(999);
  pb::UpsertWorkloadResponse resp;
  grpc::Status st = stub_->UpsertWorkload(Ctx(operator_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("unit 999 does not exist in personnel"));

  req.mutable_workload()->set_unit_id(101);
  req.mutable_workload()->set_position_code("NOPE");
  st = stub_->UpsertWorkload(Ctx(operator_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("position NOPE does not exist in personnel"));

  *req.mutable_workload() = AdminWorkload();
  st = stub_->UpsertWorkload(Ctx(operator_).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.workload().etag(), "1");
  st = stub_->UpsertWorkload(Ctx(operator_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  req.mutable_workload()->set_etag("1");
  req.mutable_workload()->mutable_tasks(0)->set_volume(120);
  st = stub_->UpsertWorkload(Ctx(operator_).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.workload().etag(), "2");
  st = stub_->UpsertWorkload(Ctx(operator_).get(), req, &resp);  // etag 1 is stale now
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED);

  st = stub_->UpsertWorkload(Ctx(other_operator_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  st = stub_->UpsertWorkload(Ctx(viewer_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(WorkloadServiceTest, ImportKeepsGoodRowsAndReportsEveryBadOne) {
  std::vector<pb::ImportWorkloadRequest> rows(4);
  for (auto& r : rows) {
    r.set_agency_code(kAgency);
    r.set_unit_id(101);
    r.set_position_code("JF-TS-AP");
    *r.mutable_task() = testing::WorkloadTask("Menyusun RAB", 500, 450);
  }
  rows[1].mutable_task()->set_norm_minutes(0);
  rows[2].set_position_code("NOPE");
  rows[3].set_sequence(40);
  pb::ImportWorkloadResponse resp;
  auto ctx = Ctx(operator_);
  grpc::Status st = testing::WriteAll(*stub_->ImportWorkload(ctx.get(), &resp), rows);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const auto& s = resp.summary();
  EXPECT_EQ(s.received(), 4);
  EXPECT_EQ(s.inserted(), 2);
  EXPECT_EQ(s.rejected(), 2);
  ASSERT_EQ(s.errors_size(), 2);
  EXPECT_EQ(s.errors(0).sequence(), 2);
  EXPECT_EQ(s.errors(0).field(), "task.norm_minutes");
  EXPECT_EQ(s.errors(0).reason(), "norm_minutes must be greater than 0 and at most 100000, got 0");
  EXPECT_EQ(s.errors(1).sequence(), 3);
  EXPECT_EQ(s.errors(1).field(), "position_code");
  EXPECT_EQ(s.errors(1).reason(), "position NOPE does not exist in personnel");

  pb::GetWorkloadRequest get;
  get.set_unit_id(101);
  get.set_position_code("JF-TS-AP");
  pb::GetWorkloadResponse got;
  ASSERT_TRUE(stub_->GetWorkload(Ctx(viewer_).get(), get, &got).ok());
  EXPECT_EQ(got.workload().tasks_size(), 2);
}

// Issue 15 items 6 and 8 (and issue 22 item 5's guarantee): an ImportWorkload stream
// that does not end with the client's half-close, or that carries a message that
// does not parse, applies nothing. Before, gRPC's Read answered false for both and
// the rows already received were applied as if the stream were complete.
TEST_P(WorkloadServiceTest, AnImportThatIsCancelledOrCarriesAMalformedMessageAppliesNothing) {
  pb::ImportWorkloadRequest row;
  row.set_agency_code(kAgency);
  row.set_unit_id(101);
  row.set_position_code("JF-TS-AP");
  *row.mutable_task() = testing::WorkloadTask("Menyusun RAB", 500, 450);
  pb::ImportWorkloadRequest bad = row;
  bad.mutable_task()->set_name(std::string("Rapat\xff\xfe", 7));  // invalid UTF-8: does not parse
  auto tasks_stored = [&]() {
    pb::GetWorkloadRequest get;
    get.set_unit_id(101);
    get.set_position_code("JF-TS-AP");
    pb::GetWorkloadResponse got;
    grpc::Status st = stub_->GetWorkload(Ctx(viewer_).get(), get, &got);
    return st.ok() ? got.workload().tasks_size() : 0;
  };
  {
    pb::ImportWorkloadResponse resp;
    auto ctx = Ctx(operator_);
    auto writer = stub_->ImportWorkload(ctx.get(), &resp);
    ASSERT_TRUE(writer->Write(row));
    ASSERT_TRUE(writer->Write(bad));
    ASSERT_TRUE(writer->Write(row));
    writer->WritesDone();
    grpc::Status st = writer->Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_THAT(st.error_message(), HasSubstr("ImportWorkloadRequest"));
  }
  EXPECT_EQ(tasks_stored(), 0);
  {
    pb::ImportWorkloadResponse resp;
    auto ctx = Ctx(operator_);
    auto writer = stub_->ImportWorkload(ctx.get(), &resp);
    ASSERT_TRUE(writer->Write(row));
    ASSERT_TRUE(writer->Write(row));
    absl::SleepFor(absl::Milliseconds(300));  // the rows reach the server before the cancel
    ctx->TryCancel();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  absl::SleepFor(absl::Milliseconds(500));  // the handler has seen the cancel and returned
  EXPECT_EQ(tasks_stored(), 0);
  {
    pb::ImportWorkloadResponse resp;
    auto ctx = Ctx(operator_);
    auto writer = stub_->ImportWorkload(ctx.get(), &resp);
    ASSERT_TRUE(writer->Write(row));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
  }
  EXPECT_EQ(tasks_stored(), 1);
}

// Issue 22 item 5: ImportWorkload writes in batches (a batch once 200 good tasks wait, at the
// start of the next unit × position) inside one transaction. n rows of unit × position, tasks
// named "<prefix> 0" ... "<prefix> n-1".
std::vector<pb::ImportWorkloadRequest> ImportRows(int64_t unit, const std::string& position, int n,
                                                  const std::string& prefix) {
  std::vector<pb::ImportWorkloadRequest> rows(n);
  for (int i = 0; i < n; ++i) {
    rows[i].set_agency_code(kAgency);
    rows[i].set_unit_id(unit);
    rows[i].set_position_code(position);
    *rows[i].mutable_task() =
        testing::WorkloadTask(absl::StrCat(prefix, " ", i), 10 + i, 30 + i % 7);
  }
  return rows;
}

// The tasks stored for unit × position, in order (none when it is not stored).
std::vector<pb::Task> StoredTasks(pb::WorkloadAnalysisService::Stub& stub, grpc::ClientContext& ctx,
                                  int64_t unit, const std::string& position) {
  pb::GetWorkloadRequest get;
  get.set_unit_id(unit);
  get.set_position_code(position);
  pb::GetWorkloadResponse got;
  if (!stub.GetWorkload(&ctx, get, &got).ok()) return {};
  return {got.workload().tasks().begin(), got.workload().tasks().end()};
}

TEST_P(WorkloadServiceTest, AnImportInSeveralBatchesStoresEveryTaskOnceInStreamOrder) {
  // 101/PLK-ADM's rows come in two runs with a batch written between them: its second run adds
  // to what the first batch wrote instead of replacing it.
  std::vector<pb::ImportWorkloadRequest> rows;
  for (auto part : {ImportRows(101, "PLK-ADM", 150, "A"), ImportRows(101, "JF-TS-AP", 100, "B"),
                    ImportRows(102, "PLK-ADM", 10, "C"), ImportRows(101, "PLK-ADM", 30, "D")}) {
    rows.insert(rows.end(), part.begin(), part.end());
  }
  pb::ImportWorkloadResponse resp;
  auto ctx = Ctx(operator_);
  grpc::Status st = testing::WriteAll(*stub_->ImportWorkload(ctx.get(), &resp), rows);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.summary().received(), 290);
  EXPECT_EQ(resp.summary().inserted(), 290);
  EXPECT_EQ(resp.summary().rejected(), 0);
  std::vector<pb::Task> a = StoredTasks(*stub_, *Ctx(viewer_), 101, "PLK-ADM");
  ASSERT_EQ(a.size(), 180u);
  for (int i = 0; i < 150; ++i) EXPECT_EQ(a[i].name(), absl::StrCat("A ", i));
  for (int i = 0; i < 30; ++i) EXPECT_EQ(a[150 + i].name(), absl::StrCat("D ", i));
  EXPECT_EQ(StoredTasks(*stub_, *Ctx(viewer_), 101, "JF-TS-AP").size(), 100u);
  EXPECT_EQ(StoredTasks(*stub_, *Ctx(viewer_), 102, "PLK-ADM").size(), 10u);
  // The 200-task limit counts the key's rows over the whole stream, not per batch.
  std::vector<pb::ImportWorkloadRequest> more = ImportRows(102, "JF-TS-AP", 150, "E");
  for (auto part : {ImportRows(101, "JF-TS-AP", 200, "F"), ImportRows(102, "JF-TS-AP", 51, "G")}) {
    more.insert(more.end(), part.begin(), part.end());
  }
  pb::ImportWorkloadResponse resp2;
  auto ctx2 = Ctx(operator_);
  auto writer2 = stub_->ImportWorkload(ctx2.get(), &resp2);
  for (const auto& r : more) ASSERT_TRUE(writer2->Write(r));
  writer2->WritesDone();
  ASSERT_TRUE(writer2->Finish().ok());
  EXPECT_EQ(resp2.summary().rejected(), 1);
  EXPECT_EQ(StoredTasks(*stub_, *Ctx(viewer_), 102, "JF-TS-AP").size(), 200u);
}

// A stream cancelled, or carrying a malformed message, after several batches were written
// applies none of them: the batches share one transaction.
TEST_P(WorkloadServiceTest, AnImportFailingAfterSeveralBatchesAppliesNothing) {
  std::vector<pb::ImportWorkloadRequest> rows;
  for (auto part : {ImportRows(101, "PLK-ADM", 200, "A"), ImportRows(101, "JF-TS-AP", 200, "B"),
                    ImportRows(102, "PLK-ADM", 200, "C"), ImportRows(102, "JF-TS-AP", 1, "D")}) {
    rows.insert(rows.end(), part.begin(), part.end());
  }
  auto nothing_stored = [&] {
    for (int64_t unit : {101, 102}) {
      for (const char* position : {"PLK-ADM", "JF-TS-AP"}) {
        EXPECT_TRUE(StoredTasks(*stub_, *Ctx(viewer_), unit, position).empty())
            << unit << "/" << position;
      }
    }
  };
  {
    pb::ImportWorkloadResponse resp;
    auto ctx = Ctx(operator_);
    auto writer = stub_->ImportWorkload(ctx.get(), &resp);
    for (const auto& r : rows) ASSERT_TRUE(writer->Write(r));
    absl::SleepFor(absl::Milliseconds(500));  // the rows reach the server before the cancel
    ctx->TryCancel();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  absl::SleepFor(absl::Milliseconds(500));  // the handler has seen the cancel and returned
  nothing_stored();
  {
    pb::ImportWorkloadRequest bad = rows.back();
    bad.mutable_task()->set_name(std::string("Rapat\xff\xfe", 7));  // does not parse
    pb::ImportWorkloadResponse resp;
    auto ctx = Ctx(operator_);
    auto writer = stub_->ImportWorkload(ctx.get(), &resp);
    for (const auto& r : rows) ASSERT_TRUE(writer->Write(r));
    ASSERT_TRUE(writer->Write(bad));
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  nothing_stored();
}

TEST_P(WorkloadServiceTest, AnalysisMatchesHandComputedFiguresAndComparesRuns) {
  DefineWorkloads();

  // Run 1, no signals: 102/PLK-ADM = 186,000 min = 2.48 FTE -> 2 (gap -1).
  grpc::Status st;
  std::vector<pb::RunAnalysisResponse> events = Run(operator_, "req-run-1", &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_GE(events.size(), 2u);
  EXPECT_TRUE(events.front().has_progress());
  EXPECT_EQ(events.front().progress().stage(), "fetch_staffing");
  ASSERT_TRUE(events.back().has_summary());
  const pb::AnalysisSummary run1 = events.back().summary();
  EXPECT_EQ(run1.total_need(), 6);  // 1 + 3 + 2
  EXPECT_EQ(run1.total_staff(), 5);
  EXPECT_EQ(run1.total_surplus(), 2);
  EXPECT_EQ(run1.total_deficit(), 3);
  EXPECT_EQ(run1.positions(), 3);
  EXPECT_EQ(run1.positions_over(), 1);
  EXPECT_EQ(run1.positions_under(), 2);
  EXPECT_EQ(run1.units(), 2);
  EXPECT_DOUBLE_EQ(run1.robin_hood_index(), 0.2);  // one general_administration move of 5
  EXPECT_EQ(run1.settings().effective_minutes_per_year(), 75000);
  EXPECT_EQ(run1.staffing_digest().size(), 64u);
  EXPECT_EQ(run1.input_version().size(), 64u);

  // A replay returns the same run.
  EXPECT_EQ(RunOk("req-run-1").run_id(), run1.run_id());

  // 40 complaints a month for the whole window: factor 2, the driven task doubles.
  pb::RecordDemandSignalsRequest sig;
  for (int i = 0; i < 12; ++i) {
    *sig.add_signals() =
        testing::ComplaintsSignal(kAgency, 102, i < 6 ? 2025 : 2026, i < 6 ? 7 + i : i - 5, 40);
  }
  pb::RecordDemandSignalsResponse sig_resp;
  st = stub_->RecordDemandSignals(Ctx(operator_).get(), sig, &sig_resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(sig_resp.recorded(), 12);

  // Run 2: 102/PLK-ADM = 222,000 min = 2.96 FTE -> 3 (gap -2), EJ 2.96.
  const pb::AnalysisSummary run2 = RunOk("req-run-2");
  EXPECT_NE(run2.run_id(), run1.run_id());
  EXPECT_EQ(run2.total_need(), 7);
  EXPECT_EQ(run2.total_deficit(), 4);
  EXPECT_DOUBLE_EQ(run2.robin_hood_index(), 0.4);  // 2 moves of 5 staff
  EXPECT_NE(run2.input_version(), run1.input_version());
  EXPECT_EQ(run2.staffing_digest(), run1.staffing_digest());

  // The latest run's figures are the agency's domain gauges.
  ASSERT_GT(services_->workload()->metrics_port(), 0);
  const std::string metrics = testsupport::HttpGet(services_->workload()->metrics_port());
  EXPECT_THAT(metrics, HasSubstr("seimbang_workload_deficit{agency=\"73.71\"} 4"));
  EXPECT_THAT(metrics, HasSubstr("seimbang_workload_surplus{agency=\"73.71\"} 2"));
  EXPECT_THAT(metrics, HasSubstr("seimbang_workload_robin_hood_index{agency=\"73.71\"} 0.4"));
  EXPECT_THAT(metrics, HasSubstr("seimbang_workload_balanced_share{agency=\"73.71\"} 0"));

  pb::GetAnalysisRequest get;
  get.set_run_id(run2.run_id());
  get.set_gap_sign(-1);
  get.set_include_units(true);
  pb::GetAnalysisResponse got;
  st = stub_->GetAnalysis(Ctx(viewer_).get(), get, &got);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(got.rows_size(), 2);
  EXPECT_EQ(got.rows(0).unit_id(), 101);
  EXPECT_EQ(got.rows(0).position_code(), "JF-TS-AP");
  EXPECT_DOUBLE_EQ(got.rows(0).required_fte(), 3.0);
  EXPECT_DOUBLE_EQ(got.rows(0).ej(), 3.0);
  EXPECT_EQ(got.rows(0).grade(), pb::GRADE_A);
  EXPECT_EQ(got.rows(1).unit_id(), 102);
  EXPECT_DOUBLE_EQ(got.rows(1).workload_minutes(), 222000);
  EXPECT_EQ(got.rows(1).required_headcount(), 3);
  EXPECT_EQ(got.rows(1).gap(), -2);
  EXPECT_TRUE(got.rows(1).has_workload());
  ASSERT_EQ(got.units_size(), 2);
  // Unit 101: 315,000 min over 4 staff = EU 1.05 (A), surplus 2 and deficit 2 not netted.
  EXPECT_DOUBLE_EQ(got.units(0).eu(), 1.05);
  EXPECT_EQ(got.units(0).grade(), pb::GRADE_A);
  EXPECT_EQ(got.units(0).surplus(), 2);
  EXPECT_EQ(got.units(0).deficit(), 2);

  get.set_gap_sign(1);
  get.set_include_units(false);
  st = stub_->GetAnalysis(Ctx(viewer_).get(), get, &got);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(got.rows_size(), 1);
  EXPECT_DOUBLE_EQ(got.rows(0).ej(), 0.4);  // 90,000 / (3 × 75,000)
  EXPECT_EQ(got.rows(0).grade(), pb::GRADE_E);

  pb::CompareAnalysesRequest cmp;
  cmp.set_base_run_id(run1.run_id());
  cmp.set_other_run_id(run2.run_id());
  pb::CompareAnalysesResponse diff;
  st = stub_->CompareAnalyses(Ctx(viewer_).get(), cmp, &diff);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(diff.total_need_delta(), 1);
  EXPECT_EQ(diff.total_deficit_delta(), 1);
  EXPECT_EQ(diff.total_staff_delta(), 0);
  EXPECT_NEAR(diff.robin_hood_index_delta(), 0.2, 1e-12);
  ASSERT_EQ(diff.rows_size(), 1);
  EXPECT_EQ(diff.rows(0).unit_id(), 102);
  EXPECT_EQ(diff.rows(0).required_headcount_delta(), 1);
  EXPECT_EQ(diff.rows(0).gap_delta(), -1);
  EXPECT_NEAR(diff.rows(0).ej_delta(), 0.48, 1e-9);

  pb::ListAnalysesRequest list;
  list.set_agency_code(kAgency);
  list.mutable_page()->set_page_size(1);
  pb::ListAnalysesResponse runs;
  ASSERT_TRUE(stub_->ListAnalyses(Ctx(viewer_).get(), list, &runs).ok());
  ASSERT_EQ(runs.runs_size(), 1);
  EXPECT_EQ(runs.runs(0).run_id(), run2.run_id());  // newest first
  list.mutable_page()->set_page_token(runs.page().next_page_token());
  ASSERT_TRUE(stub_->ListAnalyses(Ctx(viewer_).get(), list, &runs).ok());
  ASSERT_EQ(runs.runs_size(), 1);
  EXPECT_EQ(runs.runs(0).run_id(), run1.run_id());
  EXPECT_TRUE(runs.page().next_page_token().empty());

  // Scope: another agency's operator sees nothing; a viewer cannot run.
  st = stub_->GetAnalysis(Ctx(other_operator_).get(), get, &got);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Run(viewer_, "", &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  pb::ListAuditEventsRequest audit;
  audit.set_method("/seimbang.workload.v1.WorkloadAnalysisService/RunAnalysis");
  pb::ListAuditEventsResponse events_resp;
  ASSERT_TRUE(stub_->ListAuditEvents(Ctx(admin_).get(), audit, &events_resp).ok());
  ASSERT_EQ(events_resp.events_size(), 2);  // the replay wrote nothing
  // Oldest first, as in the other two services.
  EXPECT_EQ(events_resp.events(0).resource(), "run/" + run1.run_id());
  EXPECT_EQ(events_resp.events(1).resource(), "run/" + run2.run_id());
  EXPECT_EQ(events_resp.events(1).role(), "operator");
  EXPECT_LT(events_resp.events(0).id(), events_resp.events(1).id());
  st = stub_->ListAuditEvents(Ctx(operator_).get(), audit, &events_resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(WorkloadServiceTest, PersonnelDownIsUnavailableAndStoresNoRun) {
  DefineWorkloads();
  services_->personnel()->Stop();
  grpc::Status st;
  Run(operator_, "req-down", &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(st.error_message(), HasSubstr("personnel service unavailable: "));
  pb::ListAnalysesRequest list;
  list.set_agency_code(kAgency);
  pb::ListAnalysesResponse runs;
  ASSERT_TRUE(stub_->ListAnalyses(Ctx(viewer_).get(), list, &runs).ok());
  EXPECT_EQ(runs.runs_size(), 0);
}

TEST_P(WorkloadServiceTest, SettingsHaveDefaultsAndRejectZeroValues) {
  pb::GetSettingsRequest get;
  get.set_agency_code(kAgency);
  pb::GetSettingsResponse got;
  ASSERT_TRUE(stub_->GetSettings(Ctx(viewer_).get(), get, &got).ok());
  EXPECT_TRUE(got.defaults());
  EXPECT_EQ(got.settings().effective_minutes_per_year(), 75000);

  pb::UpdateSettingsRequest up;
  up.mutable_settings()->set_agency_code(kAgency);
  pb::UpdateSettingsResponse up_resp;
  grpc::Status st = stub_->UpdateSettings(Ctx(operator_).get(), up, &up_resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("settings.rounding: rounding is required"));

  *up.mutable_settings() = got.settings();
  up.mutable_settings()->set_effective_minutes_per_year(72000);
  ASSERT_TRUE(stub_->UpdateSettings(Ctx(operator_).get(), up, &up_resp).ok());
  ASSERT_TRUE(stub_->GetSettings(Ctx(viewer_).get(), get, &got).ok());
  EXPECT_FALSE(got.defaults());
  EXPECT_EQ(got.settings().effective_minutes_per_year(), 72000);
}

INSTANTIATE_TEST_SUITE_P(Engines, WorkloadServiceTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

TEST(WorkloadServiceDevMode, InsecureDevServesWithoutTokens) {
  testing::TestServices services{testing::TestServicesOptions{}};  // no secret: --insecure-dev
  testing::Upstreams upstreams;
  upstreams.personnel = "127.0.0.1:7001";  // workload's default; never called here
  const absl::Status started = services.StartWorkload(testsupport::FreshSqliteDsn(), {}, upstreams);
  ASSERT_TRUE(started.ok()) << started;
  pb::WorkloadAnalysisService::Stub* stub = services.workload_stub();
  pb::GetSettingsRequest get;
  get.set_agency_code(kAgency);
  pb::GetSettingsResponse got;
  grpc::Status st = stub->GetSettings(Ctx("").get(), get, &got);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(got.defaults());
}

}  // namespace
}  // namespace seimbang::workload
