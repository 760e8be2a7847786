// The service binaries wired together as in production, for end-to-end tests and the soak:
// tokens checked against one HS256 secret (or --insecure-dev), each service on the database a
// test gives it, workload- and transfer-service calling their upstreams with a service token
// (or, with send_service_token false, with each caller's own).
// Any subset, started in the order personnel, workload, transfer; an upstream not started here
// (a fake) is named by its address.
#ifndef SEIMBANG_TESTS_HARNESS_SERVICES_H_
#define SEIMBANG_TESTS_HARNESS_SERVICES_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/service_process.h"

namespace seimbang::testing {

struct TestServicesOptions {
  std::string name = "services";  // prefix of the temp dir holding the secrets
  std::string secret;             // HS256 secret; empty: every service runs --insecure-dev
  std::string service_token;      // what workload and transfer send upstream
  std::string bin_dir;            // where the binaries are; empty: BinDir()
  int startup_timeout_ms = 20000;
  // false: workload and transfer run without --service-token-file, forwarding each caller's token
  bool send_service_token = true;
};

// Where transfer-service (or workload-service) finds its upstreams; empty: the one started here.
struct Upstreams {
  std::string personnel;
  std::string workload;
};

class TestServices {
 public:
  explicit TestServices(TestServicesOptions options);
  // Checked against `secret`, calling upstreams with `service_token`; secrets in /tmp/<name>-*.
  TestServices(const std::string& name, const std::string& secret,
               const std::string& service_token);
  TestServices(const TestServices&) = delete;
  TestServices& operator=(const TestServices&) = delete;
  // Stops transfer, then workload, then personnel; removes the secrets.
  ~TestServices();

  // Each (re)starts its service on `dsn` with `extra` flags, stopping a running one first.
  absl::Status StartPersonnel(const std::string& dsn, const std::vector<std::string>& extra = {});
  absl::Status StartWorkload(const std::string& dsn, const std::vector<std::string>& extra = {},
                             const Upstreams& upstreams = {});
  // transfer-service-testhooks when `extra` holds a --test-* flag (TransferBinaryFor).
  absl::Status StartTransfer(const std::string& dsn, const std::vector<std::string>& extra = {},
                             const Upstreams& upstreams = {});

  // The temp dir holding `secret` and `service-token` (empty with --insecure-dev).
  const std::string& dir() const { return dir_; }
  // The three, each on its database, wired to each other.
  absl::Status StartAll(const std::string& personnel_dsn, const std::string& workload_dsn,
                        const std::string& transfer_dsn);

  // Null until started.
  ServiceProcess* personnel() const { return personnel_.get(); }
  ServiceProcess* workload() const { return workload_.get(); }
  ServiceProcess* transfer() const { return transfer_.get(); }
  personnel::v1::PersonnelService::Stub* personnel_stub() const { return pstub_.get(); }
  workload::v1::WorkloadAnalysisService::Stub* workload_stub() const { return wstub_.get(); }
  transfer::v1::TransferPlanningService::Stub* transfer_stub() const { return tstub_.get(); }

 private:
  // Stops the process in *slot, then starts `binary` in its place.
  absl::Status Start(const std::string& binary, const std::string& dsn,
                     std::vector<std::string> args, const std::vector<std::string>& extra,
                     std::unique_ptr<ServiceProcess>* slot);
  std::string PersonnelAddr(const Upstreams& upstreams) const;

  TestServicesOptions options_;
  std::string dir_;  // holds `secret` and `service-token`; empty with --insecure-dev
  std::unique_ptr<ServiceProcess> personnel_, workload_, transfer_;
  std::unique_ptr<personnel::v1::PersonnelService::Stub> pstub_;
  std::unique_ptr<workload::v1::WorkloadAnalysisService::Stub> wstub_;
  std::unique_ptr<transfer::v1::TransferPlanningService::Stub> tstub_;
};

// An insecure channel to `address` (127.0.0.1:PORT).
std::shared_ptr<grpc::Channel> LocalChannel(const std::string& address);

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_HARNESS_SERVICES_H_
