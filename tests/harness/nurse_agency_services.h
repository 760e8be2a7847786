// The nurse agency (nurse_agency.h) in a real personnel-service, a fake workload run built from
// personnel's own staffing digest, and a real transfer-service planning against both: what the
// transfer-with-personnel integration tests and the fault tests plan, approve and execute.
// Each process can be restarted (personnel on the same address).
#ifndef SEIMBANG_TESTS_HARNESS_NURSE_AGENCY_SERVICES_H_
#define SEIMBANG_TESTS_HARNESS_NURSE_AGENCY_SERVICES_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/auth/claims.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "tests/harness/fake_upstreams.h"
#include "tests/harness/nurse_agency.h"
#include "tests/harness/services.h"

namespace seimbang::testing {

// Puskesmas A (unit 1, `source` nurses) and Puskesmas B (unit 2, 1 nurse) of kNurseAgency; the
// fake workload run asks for `need_a` / `need_b` nurses.
class NurseAgencyServices {
 public:
  struct Options {
    int source = 9;
    int need_a = 4;
    int need_b = 5;
    std::string engine = "mariadb";  // of both databases: "sqlite" or "mariadb"
    std::string name = "agency";     // prefix of the databases, temp dir and token subjects
    std::string secret;              // HS256 secret the tokens are signed with
  };
  explicit NurseAgencyServices(Options options);

  // Each returns false (with a gtest failure) when it could not start.
  bool StartPersonnel(const std::vector<std::string>& extra = {});
  bool Seed();
  bool StartTransfer(const std::vector<std::string>& extra = {});

  // The workload run Seed() recorded against personnel's staffing digest (what the fake
  // workload-analysis serves), for tests that serve it from a fake of their own.
  const FakeWorld& world() const { return world_; }

  // Tokens of subject "<name>-<role>", scoped to the agency where the role needs one.
  std::string Token(auth::Role role, const std::string& agency = "") const;
  std::string admin() const { return Token(auth::Role::kAdmin); }
  std::string op() const { return Token(auth::Role::kOperator, kNurseAgency); }
  std::string approver() const { return Token(auth::Role::kApprover, kNurseAgency); }
  std::string service() const { return Token(auth::Role::kService); }

  personnel::v1::PersonnelService::Stub& personnel() { return *services_->personnel_stub(); }
  transfer::v1::TransferPlanningService::Stub& transfer() { return *services_->transfer_stub(); }
  ServiceProcess& personnel_process() { return *services_->personnel(); }
  ServiceProcess& transfer_process() { return *services_->transfer(); }
  const std::string& personnel_dsn() const { return personnel_dsn_; }
  const std::string& transfer_dsn() const { return transfer_dsn_; }

  // A policy of the agency letting at most `max_leave_fraction` of a unit leave; its id.
  std::string CreatePolicy(double max_leave_fraction = 0.6);
  grpc::Status CreatePlan(const std::string& policy_id, const std::string& request_id,
                          transfer::v1::PlanSummary* plan);
  // Submits, ages the submission past the review window, approves; the plan's new summary.
  transfer::v1::PlanSummary Approve(const transfer::v1::PlanSummary& plan);
  transfer::v1::GetExecutionResponse Execution(const std::string& plan_id);
  // Polls GetExecution until `pred` holds (30 s at most).
  transfer::v1::GetExecutionResponse WaitExecution(
      const std::string& plan_id, const std::function<bool(const transfer::v1::Execution&)>& pred);
  // TRANSFER rows of `nip`'s placement history that carry (plan_id, move_id).
  int TransferRows(const std::string& nip, const std::string& plan_id, const std::string& move_id);
  std::string Nip(int i) const { return NurseNip(i); }  // i-th seeded nurse, 0-based.

 private:
  Options options_;
  std::string personnel_dsn_;
  std::string transfer_dsn_;
  std::string personnel_addr_fixed_;  // kept across personnel restarts
  FakeWorld world_;
  std::unique_ptr<FakeUpstreams> workload_;  // outlives transfer-service, its caller
  std::unique_ptr<TestServices> services_;
};

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_HARNESS_NURSE_AGENCY_SERVICES_H_
