// personnel-service: parse config, open the pool, migrate, serve.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/log/log.h"
#include "common/metrics/metrics.h"
#include "common/server/config.h"
#include "common/server/server.h"
#include "services/personnel/repository.h"
#include "services/personnel/service.h"

int main(int argc, char** argv) {
  using namespace seimbang;
  server::BlockShutdownSignals();
  server::ServerDefaults defaults{"personnel", "0.0.0.0:7001", "0.0.0.0:9101"};
  auto config = server::ParseServerConfig(argc, argv, server::ProcessEnv(), defaults);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  if (config->help) {
    std::printf("%s", server::HelpText(argv[0], defaults).c_str());
    return 0;
  }
  db::InitMysqlDriver();
  auto pool = db::Pool::Open(config->db);
  if (!pool.ok()) {
    log::Error("db_open_failed", {{"error", std::string(pool.status().message())}});
    return 1;
  }
  auto migrated = db::Migrate(**pool, "personnel", personnel::Migrations((*pool)->dialect()));
  if (!migrated.ok()) {
    log::Error("migrate_failed", {{"error", std::string(migrated.message())}});
    return 1;
  }
  personnel::Repository repo(**pool);
  personnel::PersonnelServiceImpl service(repo);

  server::ServerHooks hooks;
  hooks.permissions = auth::PermissionTable(personnel::PersonnelPermissions());
  db::Pool* p = pool->get();
  hooks.store_healthy = [p] { return p->Healthy(); };
  hooks.on_metrics = [p](metrics::Metrics& m) {
    m.SetPoolSource([p] {
      db::PoolStats s = p->Stats();
      return metrics::PoolSample{s.in_use, s.idle, s.waits_total, s.wait_timeouts_total,
                                 s.errors_total};
    });
  };
  return server::RunServer(*config, {&service}, std::move(hooks));
}
