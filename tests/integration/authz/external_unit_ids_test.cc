// Issue 20: a unit's external id (the national registry's or a provincial platform's, unique per
// agency) is accepted wherever a request names a unit, across the three real binaries of
// three_services.h: transfer-planning's pinned and forbidden moves, preferences and ListMoves
// filter; workload-analysis's workloads (upsert, get, list, import), demand signals (record,
// list) and analysis rows. Each is checked against the same request by Seimbang's id; both ids
// at once, an external id of no unit of the agency, and one of another agency are refused on the
// external id's own field.
//
// The seed (ThreeServicesTest::Seed) gives 73.71 unit 1 and 73.72 units 20 and 21, a workload of
// each 73.72 unit, an analysis run and a submitted plan moving people from 20 to 21. Here unit 20
// is "REG-20" and unit 21 "REG-21" in 73.72, and 73.71's unit 1 is also "REG-21": an external id
// is unique within its agency only.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/errors/errors.h"
#include "tests/harness/workload_records.h"
#include "tests/integration/authz/three_services.h"

namespace seimbang::authz {
namespace {

using ::testing::ElementsAre;

// INVALID_ARGUMENT with a violation on `field`.
::testing::AssertionResult RefusedOn(const grpc::Status& st, const std::string& field) {
  if (st.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
    return ::testing::AssertionFailure()
           << "expected INVALID_ARGUMENT on " << field << ", got "
           << static_cast<int>(st.error_code()) << " " << st.error_message();
  }
  for (const auto& v : errors::FieldViolationsOf(st)) {
    if (v.field == field) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no violation on " << field << ": " << st.error_message();
}

class ExternalUnitIdsTest : public ThreeServicesTest {
 protected:
  void SetUp() override {
    if (!StartAndSeed()) return;
    SetExternalId(20, "REG-20");
    SetExternalId(21, "REG-21");
    SetExternalId(1, "REG-21");
  }

  void SetExternalId(int64_t id, const std::string& external_id) {
    ppb::UpdateUnitRequest req;
    req.mutable_unit()->set_id(id);
    req.mutable_unit()->set_etag(UnitOf(id).etag());
    req.mutable_unit()->set_external_id(external_id);
    req.mutable_update_mask()->add_paths("external_id");
    ppb::UpdateUnitResponse resp;
    grpc::Status st = pstub_->UpdateUnit(Ctx(admin_).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(resp.unit().external_id(), external_id);
  }

  // A List request of 73.72's rows in its unit whose external id is `external_id`.
  template <typename Req>
  static Req OfExternalUnit(const std::string& external_id) {
    Req req;
    req.set_agency_code("73.72");
    req.set_unit_external_id(external_id);
    return req;
  }

  std::vector<std::string> MoveIds(int64_t unit_id, const std::string& external_id) {
    tpb::ListMovesRequest req;
    req.set_plan_id(plan_id_);
    req.set_unit_id(unit_id);
    req.set_unit_external_id(external_id);
    const tpb::ListMovesResponse resp = CallOk(*tstub_, &TStub::ListMoves, admin_, req);
    std::vector<std::string> out;
    for (const auto& m : resp.moves()) out.push_back(m.id());
    return out;
  }

  const std::string operator72_ = Token(auth::Role::kOperator, "73.72");
};

TEST_F(ExternalUnitIdsTest, TransferPlanningTakesUnitsByTheirExternalId) {
  // Pinned and forbidden moves: resolved when the policy is written, stored as ids.
  tpb::CreatePolicyRequest create;
  create.mutable_policy()->set_agency_code("73.72");
  create.mutable_policy()->set_name("dengan id eksternal");
  auto* pin = create.mutable_policy()->mutable_rules()->add_pinned();
  pin->set_nip(kNips72[0]);
  pin->set_to_unit_external_id("REG-21");
  pin->set_to_position_code("P1");
  auto* forbid = create.mutable_policy()->mutable_rules()->add_forbidden();
  forbid->set_nip(kNips72[1]);
  forbid->set_to_unit_external_id("REG-21");
  tpb::CreatePolicyResponse created;
  grpc::Status st = tstub_->CreatePolicy(Ctx(operator72_).get(), create, &created);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(created.policy().rules().pinned(0).to_unit_id(), 21);
  EXPECT_TRUE(created.policy().rules().pinned(0).to_unit_external_id().empty());
  EXPECT_EQ(created.policy().rules().forbidden(0).to_unit_id(), 21);
  tpb::GetPolicyRequest get;
  get.set_id(created.policy().id());
  tpb::GetPolicyResponse stored;
  ASSERT_TRUE(tstub_->GetPolicy(Ctx(operator72_).get(), get, &stored).ok());
  EXPECT_EQ(stored.policy().rules().pinned(0).to_unit_id(), 21);

  // Refused on the external id: both ids, an unknown one, and one only 73.71 has.
  SetExternalId(1, "REG-71-ONLY");
  for (const auto& [unit_id, external_id] : std::vector<std::pair<int64_t, std::string>>{
           {21, "REG-21"}, {0, "REG-99"}, {0, "REG-71-ONLY"}}) {
    tpb::CreatePolicyRequest bad = create;
    bad.mutable_policy()->mutable_rules()->mutable_pinned(0)->set_to_unit_id(unit_id);
    bad.mutable_policy()->mutable_rules()->mutable_pinned(0)->set_to_unit_external_id(external_id);
    EXPECT_TRUE(RefusedOn(tstub_->CreatePolicy(Ctx(operator72_).get(), bad, &created),
                          "policy.rules.pinned[0].to_unit_external_id"))
        << unit_id << " " << external_id;
  }

  // Preferences: ranked units by external id, stored as ids in the same order.
  tpb::SubmitPreferencesRequest pref;
  pref.mutable_preference()->set_nip(kNips72[0]);
  pref.mutable_preference()->set_agency_code("73.72");
  pref.mutable_preference()->add_preferred_unit_external_ids("REG-21");
  pref.mutable_preference()->add_preferred_unit_external_ids("REG-20");
  *pref.mutable_preference()->mutable_valid_until() = D(2099, 1, 1);
  tpb::SubmitPreferencesResponse submitted;
  st = tstub_->SubmitPreferences(Ctx(operator72_).get(), pref, &submitted);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_THAT(submitted.preference().preferred_unit_ids(), ElementsAre(21, 20));
  EXPECT_TRUE(submitted.preference().preferred_unit_external_ids().empty());
  pref.mutable_preference()->add_avoided_unit_external_ids("REG-99");
  EXPECT_TRUE(RefusedOn(tstub_->SubmitPreferences(Ctx(operator72_).get(), pref, &submitted),
                        "preference.avoided_unit_external_ids[0]"));
  pref.mutable_preference()->clear_avoided_unit_external_ids();
  pref.mutable_preference()->add_preferred_unit_ids(20);
  EXPECT_TRUE(RefusedOn(tstub_->SubmitPreferences(Ctx(operator72_).get(), pref, &submitted),
                        "preference.preferred_unit_external_ids"));

  // ListMoves: the same moves as by the unit's id.
  const std::vector<std::string> into_21 = MoveIds(21, "");
  ASSERT_FALSE(into_21.empty());
  EXPECT_EQ(MoveIds(0, "REG-21"), into_21);
  tpb::ListMovesRequest both;
  both.set_plan_id(plan_id_);
  both.set_unit_id(21);
  both.set_unit_external_id("REG-21");
  tpb::ListMovesResponse moves;
  EXPECT_TRUE(RefusedOn(tstub_->ListMoves(Ctx(admin_).get(), both, &moves), "unit_external_id"));
  both.clear_unit_id();
  both.set_unit_external_id("REG-71-ONLY");  // a unit of 73.71, not of the plan's agency
  EXPECT_TRUE(RefusedOn(tstub_->ListMoves(Ctx(admin_).get(), both, &moves), "unit_external_id"));
}

TEST_F(ExternalUnitIdsTest, WorkloadAnalysisTakesUnitsByTheirExternalId) {
  // GetWorkload and UpsertWorkload: the seed's workload of unit 21, read and replaced by REG-21.
  wpb::GetWorkloadRequest get;
  get.set_agency_code("73.72");
  get.set_unit_external_id("REG-21");
  get.set_position_code("P1");
  wpb::GetWorkloadResponse got;
  grpc::Status st = wstub_->GetWorkload(Ctx(operator72_).get(), get, &got);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(got.workload().unit_id(), 21);
  wpb::UpsertWorkloadRequest up;
  *up.mutable_workload() = got.workload();
  up.mutable_workload()->set_unit_id(0);
  up.mutable_workload()->set_unit_external_id("REG-21");
  up.mutable_workload()->mutable_tasks(0)->set_volume(4000);
  wpb::UpsertWorkloadResponse put;
  st = wstub_->UpsertWorkload(Ctx(operator72_).get(), up, &put);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(put.workload().unit_id(), 21);
  EXPECT_TRUE(put.workload().unit_external_id().empty());
  EXPECT_EQ(put.workload().tasks(0).volume(), 4000);
  up.mutable_workload()->set_unit_external_id("REG-99");
  EXPECT_TRUE(RefusedOn(wstub_->UpsertWorkload(Ctx(operator72_).get(), up, &put),
                        "workload.unit_external_id"));
  get.set_unit_id(21);
  EXPECT_TRUE(
      RefusedOn(wstub_->GetWorkload(Ctx(operator72_).get(), get, &got), "unit_external_id"));

  // ListWorkloads filtered by REG-20: only unit 20's.
  const auto listed = CallOk(*wstub_, &WStub::ListWorkloads, operator72_,
                             OfExternalUnit<wpb::ListWorkloadsRequest>("REG-20"));
  ASSERT_EQ(listed.workloads_size(), 1);
  EXPECT_EQ(listed.workloads(0).unit_id(), 20);

  // Demand signals: recorded and listed by external id; an unknown one names its signal.
  wpb::RecordDemandSignalsRequest rec;
  *rec.add_signals() = testing::ComplaintsSignal("73.72", 0, 2026, 1, 12);
  rec.mutable_signals(0)->set_unit_external_id("REG-21");  // unit_id 0: by external id
  wpb::RecordDemandSignalsResponse recorded;
  st = wstub_->RecordDemandSignals(Ctx(operator72_).get(), rec, &recorded);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(recorded.recorded(), 1);
  *rec.add_signals() = rec.signals(0);
  rec.mutable_signals(1)->set_unit_external_id("REG-99");
  EXPECT_TRUE(RefusedOn(wstub_->RecordDemandSignals(Ctx(operator72_).get(), rec, &recorded),
                        "signals[1].unit_external_id"));
  const auto signals_listed = CallOk(*wstub_, &WStub::ListDemandSignals, operator72_,
                                     OfExternalUnit<wpb::ListDemandSignalsRequest>("REG-21"));
  ASSERT_EQ(signals_listed.signals_size(), 1);
  EXPECT_EQ(signals_listed.signals(0).unit_id(), 21);
  EXPECT_EQ(signals_listed.signals(0).count(), 12);

  // ImportWorkload: a row by external id is taken; one of no unit of the agency is rejected on
  // unit_external_id, with the external id in its key.
  wpb::ImportWorkloadResponse imported;
  {
    auto ctx = Ctx(operator72_);
    auto writer = wstub_->ImportWorkload(ctx.get(), &imported);
    wpb::ImportWorkloadRequest row;
    row.set_agency_code("73.72");
    row.set_unit_external_id("REG-20");
    row.set_position_code("P1");
    *row.mutable_task() = got.workload().tasks(0);
    ASSERT_TRUE(writer->Write(row));
    row.set_unit_external_id("REG-99");
    ASSERT_TRUE(writer->Write(row));
    writer->WritesDone();
    st = writer->Finish();
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  EXPECT_EQ(imported.summary().received(), 2);
  EXPECT_EQ(imported.summary().inserted() + imported.summary().updated(), 1)
      << imported.summary().ShortDebugString();
  ASSERT_EQ(imported.summary().errors_size(), 1);
  EXPECT_EQ(imported.summary().errors(0).field(), "unit_external_id");
  EXPECT_EQ(imported.summary().errors(0).natural_key(), "REG-99/P1");

  // GetAnalysis rows of one unit, by its external id within the run's agency.
  wpb::GetAnalysisRequest by_id;
  by_id.set_run_id(run_id_);
  by_id.set_unit_id(21);
  wpb::GetAnalysisResponse rows_by_id, rows_by_external_id;
  ASSERT_TRUE(wstub_->GetAnalysis(Ctx(operator72_).get(), by_id, &rows_by_id).ok());
  ASSERT_GT(rows_by_id.rows_size(), 0);
  wpb::GetAnalysisRequest by_external_id = by_id;
  by_external_id.set_unit_id(0);
  by_external_id.set_unit_external_id("REG-21");
  ASSERT_TRUE(
      wstub_->GetAnalysis(Ctx(operator72_).get(), by_external_id, &rows_by_external_id).ok());
  EXPECT_EQ(rows_by_external_id.rows_size(), rows_by_id.rows_size());
  for (const auto& r : rows_by_external_id.rows()) EXPECT_EQ(r.unit_id(), 21);
  by_external_id.set_unit_external_id("REG-99");
  EXPECT_TRUE(
      RefusedOn(wstub_->GetAnalysis(Ctx(operator72_).get(), by_external_id, &rows_by_external_id),
                "unit_external_id"));
}

}  // namespace
}  // namespace seimbang::authz
