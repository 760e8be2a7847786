// transfer-service: plans, explanations, objections and exactly-once execution.
#include "absl/strings/numbers.h"
#include "common/log/log.h"
#include "common/server/channel.h"
#include "common/server/service_main.h"
#include "services/transfer/downstream.h"
#include "services/transfer/executor.h"
#include "services/transfer/migrations.h"
#include "services/transfer/permissions.h"
#include "services/transfer/repository.h"
#include "services/transfer/service.h"

namespace {

using namespace seimbang;  // NOLINT: one-screen main

class TransferApp : public server::ServiceApp {
 public:
  TransferApp(db::Pool& pool, std::unique_ptr<transfer::Downstream> downstream,
              transfer::ExecutorOptions executor_options)
      : repo_(pool),
        downstream_(std::move(downstream)),
        executor_(
            repo_, *downstream_, executor_options,
            [this](const std::string& agency, int n) { gauges_.AddExecuted(agency, n); },
            [this] { gauges_.Refresh(repo_); }),
        service_(repo_, *downstream_, executor_, gauges_) {}

  std::vector<grpc::Service*> Services() override { return {&service_}; }
  auth::PermissionTable Permissions() const override { return transfer::TransferPermissions(); }
  void OnMetrics(metrics::Metrics& m) override {
    gauges_.Attach(m.registry());
    gauges_.Refresh(repo_);
    // Several replicas share one database: each derives the gauges from it at scrape time.
    m.SetScrapeRefresh([this] { gauges_.Refresh(repo_); }, server::kDomainGaugeMaxAge);
  }
  // Plans left EXECUTING by a crash or a restart carry on where they stopped.
  void OnServing() override {
    if (absl::Status s = executor_.ResumeAll(); !s.ok()) {
      log::Error("execution_resume_failed", {{"error", std::string(s.message())}});
    }
  }

 private:
  transfer::Repository repo_;  // the service's, the executor's and the gauges'
  std::unique_ptr<transfer::Downstream> downstream_;
  transfer::TransferGauges gauges_;
  transfer::Executor executor_;
  transfer::TransferService service_;
};

absl::StatusOr<std::unique_ptr<server::ServiceApp>> Build(const server::ServerConfig& config,
                                                          db::Pool& pool) {
  transfer::GrpcDownstreamOptions options;
  options.personnel_addr = config.extra.at("personnel-addr");
  options.workload_addr = config.extra.at("workload-addr");
  options.tls = server::ClientTlsFromConfig(config);
  absl::StatusOr<int64_t> deadline_ms =
      server::DeadlineMsFromConfig(config, "downstream-deadline-ms");
  if (!deadline_ms.ok()) return deadline_ms.status();
  options.timeout_ms = *deadline_ms;
  absl::StatusOr<std::string> token = server::ServiceTokenFromConfig(config);
  if (!token.ok()) return token.status();
  options.token = *std::move(token);
  absl::StatusOr<std::unique_ptr<transfer::Downstream>> downstream =
      transfer::MakeGrpcDownstream(options);
  if (!downstream.ok()) return downstream.status();
  transfer::ExecutorOptions executor_options;
#ifdef SEIMBANG_TEST_HOOKS
  if (!absl::SimpleAtoi(config.extra.at("test-pause-after-batch"),
                        &executor_options.test_pause_after_batch)) {
    return absl::InvalidArgumentError("--test-pause-after-batch must be a number");
  }
  if (!absl::SimpleAtoi(config.extra.at("test-crash-after-apply"),
                        &executor_options.test_crash_after_apply)) {
    return absl::InvalidArgumentError("--test-crash-after-apply must be a number");
  }
  if (!absl::SimpleAtoi(config.extra.at("test-batch-size"), &executor_options.batch_size) ||
      executor_options.batch_size < 1) {
    return absl::InvalidArgumentError("--test-batch-size must be a positive number");
  }
#endif
  return std::make_unique<TransferApp>(pool, *std::move(downstream), executor_options);
}

}  // namespace

int main(int argc, char** argv) {
  server::ServiceSpec spec;
  spec.defaults = {"transfer", "0.0.0.0:7003", "0.0.0.0:9103"};
  spec.extra_flags = {
      {"personnel-addr", "SEIMBANG_PERSONNEL_ADDR", "127.0.0.1:7001", "personnel-service address"},
      {"workload-addr", "SEIMBANG_WORKLOAD_ADDR", "127.0.0.1:7002", "workload-service address"},
      {"service-token-file", "SEIMBANG_SERVICE_TOKEN_FILE", "",
       "bearer token (role service) for calls to personnel and workload-analysis"},
      {"downstream-deadline-ms", "SEIMBANG_DOWNSTREAM_DEADLINE_MS", "120000",
       "deadline of each call to personnel and workload-analysis (a caller's sooner one wins)"},
  };
#ifdef SEIMBANG_TEST_HOOKS
  // Only in transfer-service-testhooks, the fault tests' build: the shipped
  // transfer-service has no flag that makes it crash or pause.
  spec.extra_flags.push_back(
      {"test-pause-after-batch", "", "-1", "test only: stop executing after N batches"});
  spec.extra_flags.push_back({"test-crash-after-apply", "", "-1",
                              "test only: _exit(9) once personnel applied batch N, before it is "
                              "recorded"});
  spec.extra_flags.push_back(
      {"test-batch-size", "", "200", "test only: moves per ApplyTransfers batch"});
#endif
  spec.migrations = transfer::Migrations;
  spec.build = Build;
  return server::ServiceMain(argc, argv, spec);
}
