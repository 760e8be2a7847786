// workload-service: parse config, open and migrate the database, connect to personnel,
// serve WorkloadAnalysisService until SIGTERM.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "common/db/connection.h"
#include "common/db/dsn.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/server/channel.h"
#include "common/server/config.h"
#include "common/server/server.h"
#include "services/workload/migrations.h"
#include "services/workload/permissions.h"
#include "services/workload/personnel_directory.h"
#include "services/workload/workload_service.h"

namespace sw = seimbang::workload;
namespace server = seimbang::server;
namespace db = seimbang::db;

int main(int argc, char** argv) {
  server::BlockShutdownSignals();
  const server::ServerDefaults defaults{"workload", "0.0.0.0:7002", "0.0.0.0:9102"};
  const std::vector<server::ExtraFlag> extra = {
      {"personnel-addr", "SEIMBANG_PERSONNEL_ADDR", "127.0.0.1:7001", "personnel-service address"},
      {"service-token-file", "SEIMBANG_SERVICE_TOKEN_FILE", "",
       "bearer token for calls to personnel (else the caller's token is forwarded)"},
      {"personnel-deadline-ms", "SEIMBANG_PERSONNEL_DEADLINE_MS", "30000",
       "deadline of each call to personnel, milliseconds"},
      {"metrics-port-file", "SEIMBANG_METRICS_PORT_FILE", "",
       "write the bound metrics port to this file (tests)"},
  };
  absl::StatusOr<server::ServerConfig> config =
      server::ParseServerConfig(argc, argv, server::ProcessEnv(), defaults, extra);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  if (config->help) {
    std::cout << server::HelpText(argv[0], defaults, extra);
    return 0;
  }

  db::InitMysqlDriver();
  if (absl::StatusOr<db::Dsn> dsn = db::ParseDsn(config->db);
      dsn.ok() && dsn->dialect == db::Dialect::kSqlite && !dsn->in_memory()) {
    // The default sqlite:./var/workload.db should work on a fresh checkout.
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(dsn->path).parent_path(), ignored);
  }
  absl::StatusOr<std::unique_ptr<db::Pool>> pool = db::Pool::Open(config->db);
  if (!pool.ok()) {
    std::cerr << "cannot open database " << db::RedactDsn(config->db) << ": "
              << pool.status().message() << "\n";
    return 1;
  }
  if (absl::Status s = db::Migrate(**pool, "workload", sw::Migrations((*pool)->dialect()));
      !s.ok()) {
    std::cerr << "migration failed: " << s.message() << "\n";
    return 1;
  }

  server::ChannelOptions channel_options;
  channel_options.tls = {config->tls_ca, config->tls_cert, config->tls_key, ""};
  channel_options.idempotent_methods = {"/seimbang.personnel.v1.PersonnelService/GetUnit",
                                        "/seimbang.personnel.v1.PersonnelService/GetPosition",
                                        "/seimbang.personnel.v1.PersonnelService/GetStaffing"};
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      server::MakeChannel(config->extra["personnel-addr"], channel_options);
  if (!channel.ok()) {
    std::cerr << "bad --personnel-addr: " << channel.status().message() << "\n";
    return 1;
  }
  sw::WorkloadServiceOptions options;
  if (const std::string& path = config->extra["service-token-file"]; !path.empty()) {
    absl::StatusOr<std::string> token = server::ReadServiceToken(path);
    if (!token.ok()) {
      std::cerr << token.status().message() << "\n";
      return 1;
    }
    options.service_token = *token;
  }
  int64_t deadline_ms = 30000;
  if (!absl::SimpleAtoi(config->extra["personnel-deadline-ms"], &deadline_ms) || deadline_ms <= 0) {
    std::cerr << "--personnel-deadline-ms must be a positive number of milliseconds\n";
    return 2;
  }

  sw::WorkloadService service(**pool, sw::NewGrpcPersonnelDirectory(*channel, deadline_ms),
                              options);
  db::Pool& pool_ref = **pool;
  const std::string metrics_port_file = config->extra["metrics-port-file"];
  server::ServerHooks hooks;
  hooks.permissions = sw::WorkloadPermissions();
  hooks.store_healthy = [&pool_ref] { return pool_ref.Healthy(); };
  hooks.on_metrics = [&](seimbang::metrics::Metrics& metrics) {
    service.RegisterGauges(metrics.registry());
    metrics.SetPoolSource([&pool_ref] {
      const db::PoolStats s = pool_ref.Stats();
      return seimbang::metrics::PoolSample{s.in_use, s.idle, s.waits_total, s.wait_timeouts_total,
                                           s.errors_total};
    });
    if (!metrics_port_file.empty()) std::ofstream(metrics_port_file) << metrics.port() << "\n";
  };
  return server::RunServer(*config, {&service}, std::move(hooks));
}
