#include "tests/harness/services.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace seimbang::testing {

namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;
namespace tpb = ::seimbang::transfer::v1;

std::shared_ptr<grpc::Channel> LocalChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

TestServices::TestServices(TestServicesOptions options) : options_(std::move(options)) {
  if (options_.secret.empty()) return;
  std::string tmpl = absl::StrCat("/tmp/", options_.name, "-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) return;
  dir_ = tmpl;
  std::ofstream(dir_ + "/secret") << options_.secret;
  std::ofstream(dir_ + "/service-token") << options_.service_token;
}

TestServices::TestServices(const std::string& name, const std::string& secret,
                           const std::string& service_token)
    : TestServices([&] {
        TestServicesOptions o;
        o.name = name;
        o.secret = secret;
        o.service_token = service_token;
        return o;
      }()) {}

TestServices::~TestServices() {
  // Close our channels first: a server a client is still connected to takes seconds to stop.
  tstub_.reset();
  wstub_.reset();
  pstub_.reset();
  transfer_.reset();  // stop each caller before its upstreams
  workload_.reset();
  personnel_.reset();
  if (dir_.empty()) return;
  std::remove((dir_ + "/secret").c_str());
  std::remove((dir_ + "/service-token").c_str());
  rmdir(dir_.c_str());
}

absl::Status TestServices::Start(const std::string& binary, const std::string& dsn,
                                 std::vector<std::string> args,
                                 const std::vector<std::string>& extra,
                                 std::unique_ptr<ServiceProcess>* slot) {
  slot->reset();
  ServiceProcessOptions o;
  o.startup_timeout_ms = options_.startup_timeout_ms;
  o.args = {"--db=" + dsn};
  if (dir_.empty()) {
    o.args.push_back("--insecure-dev");
  } else {
    o.args.push_back("--auth-hs256-secret-file=" + dir_ + "/secret");
    // Only a service with upstreams (any args here name one) sends a service token.
    if (!args.empty() && options_.send_service_token) {
      args.push_back("--service-token-file=" + dir_ + "/service-token");
    }
  }
  o.args.insert(o.args.end(), args.begin(), args.end());
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  const std::string path = options_.bin_dir.empty() ? binary : options_.bin_dir + "/" + binary;
  absl::StatusOr<ServiceProcess> p = ServiceProcess::Start(path, std::move(o));
  if (!p.ok()) return p.status();
  *slot = std::make_unique<ServiceProcess>(*std::move(p));
  return absl::OkStatus();
}

std::string TestServices::PersonnelAddr(const Upstreams& upstreams) const {
  if (!upstreams.personnel.empty() || personnel_ == nullptr) return upstreams.personnel;
  return personnel_->address();
}

absl::Status TestServices::StartPersonnel(const std::string& dsn,
                                          const std::vector<std::string>& extra) {
  absl::Status st = Start("personnel-service", dsn, {}, extra, &personnel_);
  if (st.ok()) pstub_ = ppb::PersonnelService::NewStub(LocalChannel(personnel_->address()));
  return st;
}

absl::Status TestServices::StartWorkload(const std::string& dsn,
                                         const std::vector<std::string>& extra,
                                         const Upstreams& upstreams) {
  absl::Status st = Start("workload-service", dsn, {"--personnel-addr=" + PersonnelAddr(upstreams)},
                          extra, &workload_);
  if (st.ok()) wstub_ = wpb::WorkloadAnalysisService::NewStub(LocalChannel(workload_->address()));
  return st;
}

absl::Status TestServices::StartTransfer(const std::string& dsn,
                                         const std::vector<std::string>& extra,
                                         const Upstreams& upstreams) {
  std::string workload_addr = upstreams.workload;
  if (workload_addr.empty() && workload_ != nullptr) workload_addr = workload_->address();
  absl::Status st =
      Start(TransferBinaryFor(extra), dsn,
            {"--personnel-addr=" + PersonnelAddr(upstreams), "--workload-addr=" + workload_addr},
            extra, &transfer_);
  if (st.ok()) tstub_ = tpb::TransferPlanningService::NewStub(LocalChannel(transfer_->address()));
  return st;
}

absl::Status TestServices::StartAll(const std::string& personnel_dsn,
                                    const std::string& workload_dsn,
                                    const std::string& transfer_dsn) {
  absl::Status st = StartPersonnel(personnel_dsn);
  if (st.ok()) st = StartWorkload(workload_dsn);
  if (st.ok()) st = StartTransfer(transfer_dsn);
  return st;
}

}  // namespace seimbang::testing
