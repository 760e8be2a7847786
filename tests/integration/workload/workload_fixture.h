// What the workload end-to-end tests (service_test.cc, projection_test.cc) share:
// workload-service on the engine the test parameter names ("sqlite" or "mariadb") with a real
// personnel-service on SQLite, both started by TestServices and checking tokens against
// kSecret, workload calling personnel with each caller's own token (no service token); agency
// 73.71 seeded in personnel; a token per role.
#ifndef SEIMBANG_TESTS_INTEGRATION_WORKLOAD_WORKLOAD_FIXTURE_H_
#define SEIMBANG_TESTS_INTEGRATION_WORKLOAD_WORKLOAD_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/auth/claims.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/records.h"
#include "tests/harness/services.h"
#include "tests/support/test_db.h"

namespace seimbang::workload {

inline constexpr char kSecret[] = "workload-integration-test-secret-0123456789";
inline constexpr char kAgency[] = "73.71";

// Where one PNS of kAgency works.
struct Placement {
  const char* nip;
  int64_t unit;
  const char* position;
};

inline personnel::v1::ImportRecordsRequest PositionRecord(const std::string& code,
                                                          const std::string& family,
                                                          personnel::v1::PositionKind kind,
                                                          personnel::v1::FunctionalLevel level) {
  personnel::v1::ImportRecordsRequest r;
  personnel::v1::Position* p = r.mutable_position();
  p->set_code(code);
  p->set_name(code);
  p->set_kind(kind);
  p->set_level(level);
  p->set_job_family(family);
  return r;
}

// A PNS named "Pegawai <nip>" where `p` says.
inline personnel::v1::ImportRecordsRequest EmployeeRecord(const Placement& p) {
  personnel::v1::ImportRecordsRequest r;
  personnel::v1::Employee* e = r.mutable_employee();
  e->set_nip(p.nip);
  e->set_name(absl::StrCat("Pegawai ", p.nip));
  e->set_employment_type(personnel::v1::EMPLOYMENT_TYPE_PNS);
  e->set_unit_id(p.unit);
  e->set_position_code(p.position);
  return r;
}

// Agency kAgency (Pemerintah Kota Makassar); units 101 (Dinas Pekerjaan Umum) and 102 (Dinas
// Kesehatan); positions PLK-ADM (general_administration, pelaksana) and JF-TS-AP
// (civil_engineering, ahli pertama); `people` (EmployeeRecord).
inline std::vector<personnel::v1::ImportRecordsRequest> AgencyRecords(
    const std::vector<Placement>& people) {
  namespace ppb = ::seimbang::personnel::v1;
  std::vector<ppb::ImportRecordsRequest> out = {
      testing::CityAgencyRecord(kAgency, "Pemerintah Kota Makassar"),
      testing::UnitRecord(101, kAgency, "Dinas Pekerjaan Umum"),
      testing::UnitRecord(102, kAgency, "Dinas Kesehatan"),
      PositionRecord("PLK-ADM", "general_administration", ppb::POSITION_KIND_PELAKSANA,
                     ppb::FUNCTIONAL_LEVEL_NONE),
      PositionRecord("JF-TS-AP", "civil_engineering", ppb::POSITION_KIND_FUNCTIONAL_EXPERTISE,
                     ppb::FUNCTIONAL_LEVEL_AHLI_PERTAMA)};
  for (const Placement& p : people) out.push_back(EmployeeRecord(p));
  return out;
}

class WorkloadWithPersonnelTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Starts personnel on a fresh SQLite file, then workload (with `workload_flags`) on a fresh
  // database of the engine GetParam() names (MariaDB's named after `mariadb_prefix`), then
  // imports `records` into personnel. Call under ASSERT_NO_FATAL_FAILURE.
  void StartServices(const std::string& mariadb_prefix,
                     const std::vector<std::string>& workload_flags,
                     const std::vector<personnel::v1::ImportRecordsRequest>& records) {
    std::string dsn = testsupport::FreshSqliteDsn();
    if (GetParam() == "mariadb") {
      absl::StatusOr<std::string> fresh = testsupport::FreshMariaDbDsn(mariadb_prefix);
      ASSERT_TRUE(fresh.ok()) << fresh.status();
      dsn = *fresh;
    }
    testing::TestServicesOptions o;
    o.name = "workload-test";
    o.secret = kSecret;
    o.send_service_token = false;  // personnel sees the caller's own token
    services_ = std::make_unique<testing::TestServices>(o);
    absl::Status st = services_->StartPersonnel(testsupport::FreshSqliteDsn());
    ASSERT_TRUE(st.ok()) << st;
    st = services_->StartWorkload(dsn, workload_flags);
    ASSERT_TRUE(st.ok()) << st;
    stub_ = services_->workload_stub();
    ASSERT_NO_FATAL_FAILURE(Import(records));
  }

  // Imports `records` into personnel as admin; every one must be accepted. On a channel of its
  // own, closed after the call: a personnel a client is still connected to takes seconds to
  // stop, and PersonnelDownIsUnavailableAndStoresNoRun stops it.
  void Import(const std::vector<personnel::v1::ImportRecordsRequest>& records) {
    auto stub = personnel::v1::PersonnelService::NewStub(
        testing::LocalChannel(services_->personnel()->address()));
    personnel::v1::ImportRecordsResponse resp;
    grpc::Status st = testing::ImportRecords(*stub, records, admin_, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(resp.summary().rejected(), 0) << resp.DebugString();
  }

  const std::string admin_ = testing::MintTestToken(kSecret, auth::Role::kAdmin);
  const std::string operator_ = testing::MintTestToken(kSecret, auth::Role::kOperator, kAgency);
  const std::string viewer_ = testing::MintTestToken(kSecret, auth::Role::kViewer, kAgency);
  const std::string other_operator_ =
      testing::MintTestToken(kSecret, auth::Role::kOperator, "73.72");
  std::unique_ptr<testing::TestServices> services_;              // stops workload, then personnel
  workload::v1::WorkloadAnalysisService::Stub* stub_ = nullptr;  // services_'s
};

}  // namespace seimbang::workload

#endif  // SEIMBANG_TESTS_INTEGRATION_WORKLOAD_WORKLOAD_FIXTURE_H_
