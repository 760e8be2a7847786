// workload-service: workload analysis (ABK) over personnel's staffing.
#include "common/server/channel.h"
#include "common/server/service_main.h"
#include "services/workload/downstream.h"
#include "services/workload/migrations.h"
#include "services/workload/permissions.h"
#include "services/workload/repository.h"
#include "services/workload/service.h"

namespace {

using namespace seimbang;  // NOLINT: one-screen main

class WorkloadApp : public server::ServiceApp {
 public:
  WorkloadApp(db::Pool& pool, std::unique_ptr<workload::PersonnelDirectory> personnel,
              workload::WorkloadServiceOptions options)
      : repo_(pool), service_(repo_, std::move(personnel), std::move(options)) {}
  std::vector<grpc::Service*> Services() override { return {&service_}; }
  auth::PermissionTable Permissions() const override { return workload::WorkloadPermissions(); }
  void OnMetrics(metrics::Metrics& m) override {
    service_.RegisterGauges(m.registry());
    // Several replicas share one database: each derives the gauges from it at scrape time.
    m.SetScrapeRefresh([this] { service_.RefreshGauges(); }, server::kDomainGaugeMaxAge);
  }

 private:
  workload::Repository repo_;
  workload::WorkloadService service_;
};

absl::StatusOr<std::unique_ptr<server::ServiceApp>> Build(const server::ServerConfig& config,
                                                          db::Pool& pool) {
  server::ChannelOptions channel_options;
  channel_options.tls = server::ClientTlsFromConfig(config);
  channel_options.idempotent_methods = {
      "/seimbang.personnel.v1.PersonnelService/GetUnit",
      "/seimbang.personnel.v1.PersonnelService/GetPosition",
      "/seimbang.personnel.v1.PersonnelService/GetStaffing",
      // A read; gRPC retries it only until personnel starts answering.
      "/seimbang.personnel.v1.PersonnelService/StreamEmployees"};
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      server::MakeChannel(config.extra.at("personnel-addr"), channel_options);
  if (!channel.ok()) return channel.status();
  workload::WorkloadServiceOptions options;
  absl::StatusOr<std::string> token = server::ServiceTokenFromConfig(config);
  if (!token.ok()) return token.status();
  options.service_token = *std::move(token);
  absl::StatusOr<int64_t> deadline_ms =
      server::DeadlineMsFromConfig(config, "personnel-deadline-ms");
  if (!deadline_ms.ok()) return deadline_ms.status();
  return std::make_unique<WorkloadApp>(
      pool, workload::NewGrpcPersonnelDirectory(*channel, *deadline_ms), std::move(options));
}

}  // namespace

int main(int argc, char** argv) {
  server::ServiceSpec spec;
  spec.defaults = {"workload", "0.0.0.0:7002", "0.0.0.0:9102"};
  spec.extra_flags = {
      {"personnel-addr", "SEIMBANG_PERSONNEL_ADDR", "127.0.0.1:7001", "personnel-service address"},
      {"service-token-file", "SEIMBANG_SERVICE_TOKEN_FILE", "",
       "bearer token for calls to personnel (else the caller's token is forwarded)"},
      {"personnel-deadline-ms", "SEIMBANG_PERSONNEL_DEADLINE_MS", "30000",
       "deadline of each call to personnel, milliseconds"},
  };
  spec.migrations = workload::Migrations;
  spec.build = Build;
  return server::ServiceMain(argc, argv, spec);
}
