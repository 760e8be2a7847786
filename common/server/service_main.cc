#include "common/server/service_main.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "common/auth/verifier.h"
#include "common/db/dsn.h"
#include "common/log/log.h"
#include "common/paging/page_token.h"
#include "common/server/allocator.h"
#include "common/server/server.h"

namespace seimbang::server {
namespace {
constexpr absl::Duration kMemoryReleasePeriod = absl::Seconds(10);

// The page-token key (issue 15 item 7): every replica behind the round robin must
// read the tokens of the others, so it comes from a secret they share:
// --page-token-secret-file, else the HS256 auth secret (a derived key with its own
// label, so neither reveals the other), else a per-process random key, said loudly.
absl::Status ConfigurePageTokens(const ServerConfig& c) {
  const std::string& file =
      !c.page_token_secret_file.empty() ? c.page_token_secret_file : c.auth_hs256_secret_file;
  if (file.empty()) {
    paging::SetProcessPageTokens(paging::PageTokens::WithRandomKey());
    log::Warn("page_token_key_per_process",
              {{"detail",
                "no --page-token-secret-file: page tokens die with this process and fail on "
                "other replicas"}});
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> secret = auth::ReadKeyFile(file);
  if (!secret.ok()) return secret.status();
  const absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(*secret);
  absl::StatusOr<paging::PageTokens> tokens =
      paging::PageTokens::FromSecret(std::string_view(trimmed.data(), trimmed.size()), c.service);
  if (!tokens.ok()) return tokens.status();
  paging::SetProcessPageTokens(*tokens);
  return absl::OkStatus();
}

// Where start-up time goes (issue #22 item 7): each phase's milliseconds, logged once as
// "startup" when the service reports SERVING, e.g.
//   {"event":"startup","service":"personnel","config_ms":0.4,"db_connect_ms":3.1,
//    "migrations_ms":41.7,"migrations_applied":4,"app_ms":0.1,"listen_ms":6.2,"total_ms":51.5}
// total_ms runs from ServiceMain's start (after the process's static initialisation).
class StartupPhases {
 public:
  // Ends the phase running since the previous Mark (or construction) as `name`_ms.
  void Mark(const char* name) {
    const Clock::time_point now = Clock::now();
    fields_.emplace_back(std::string(name) + "_ms", Ms(last_, now));
    last_ = now;
  }
  void Add(log::Field field) { fields_.push_back(std::move(field)); }
  void Log(const std::string& service) {
    std::vector<log::Field> fields = {{"service", service}};
    fields.insert(fields.end(), fields_.begin(), fields_.end());
    fields.emplace_back("total_ms", Ms(start_, last_));
    log::Info("startup", fields);
  }

 private:
  using Clock = std::chrono::steady_clock;
  static double Ms(Clock::time_point from, Clock::time_point to) {
    return std::round(std::chrono::duration<double, std::milli>(to - from).count() * 10) / 10;
  }
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
  std::vector<log::Field> fields_;
};

// The store of --db, opened (a SQLite file's folder created first); logged and null on failure.
// Connector/C++'s driver (obtained once, before threads start) is initialised by Pool::Open only
// for a MySQL DSN: on SQLite its set-up (nsswitch, /etc/services) was start-up time for nothing.
std::unique_ptr<db::Pool> OpenStore(const ServerConfig& config) {
  if (absl::StatusOr<db::Dsn> dsn = db::ParseDsn(config.db);
      dsn.ok() && dsn->dialect == db::Dialect::kSqlite && !dsn->in_memory()) {
    // The default sqlite:./var/<service>.db works on a fresh checkout.
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(dsn->path).parent_path(), ignored);
  }
  db::PoolOptions pool_options;
  pool_options.health_timeout = config.health_timeout;
  absl::StatusOr<std::unique_ptr<db::Pool>> pool = db::Pool::Open(config.db, pool_options);
  if (!pool.ok()) {
    log::Error("db_open_failed",
               {{"db", db::RedactDsn(config.db)}, {"error", std::string(pool.status().message())}});
    return nullptr;
  }
  return *std::move(pool);
}
}  // namespace

int ServiceMain(int argc, char** argv, const ServiceSpec& spec) {
  StartupPhases phases;
  // Before any thread exists, so no thread has picked an arena yet.
  ConfigureAllocator();
  // Before any thread exists, so only RunServer's sigwait sees SIGTERM/SIGINT.
  BlockShutdownSignals();
  absl::StatusOr<ServerConfig> config =
      ParseServerConfig(argc, argv, ProcessEnv(), spec.defaults, spec.extra_flags);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n(see --help)\n";
    return 2;
  }
  if (config->help) {
    std::cout << HelpText(argv[0], spec.defaults, spec.extra_flags);
    return 0;
  }

  if (absl::Status s = ConfigurePageTokens(*config); !s.ok()) {
    log::Error("page_token_key_failed", {{"error", std::string(s.message())}});
    return 1;
  }

  phases.Mark("config");
  std::unique_ptr<db::Pool> pool = OpenStore(*config);
  if (pool == nullptr) return 1;
  phases.Mark("db_connect");
  // Freed memory goes back to the OS within seconds of any request (issue #10).
  MemoryReleaser releaser(kMemoryReleasePeriod);
  db::Pool& store = *pool;
  const std::vector<db::Migration> migrations = spec.migrations(store.dialect());
  int applied = 0;
  if (absl::Status s = config->migrations == "verify"
                           ? db::VerifyMigrated(store, spec.defaults.service, migrations)
                           : db::Migrate(store, spec.defaults.service, migrations, &applied);
      !s.ok()) {
    log::Error("migrate_failed", {{"error", std::string(s.message())}});
    return 1;
  }
  phases.Mark("migrations");
  phases.Add({"migrations_applied", applied});
  if (config->migrations == "only") {
    log::Info("migrated", {{"service", spec.defaults.service}});
    return 0;
  }
  absl::StatusOr<std::unique_ptr<ServiceApp>> app = spec.build(*config, store);
  if (!app.ok()) {
    log::Error("start_failed", {{"error", std::string(app.status().message())}});
    return 1;
  }
  phases.Mark("app");

  ServerHooks hooks;
  hooks.permissions = (*app)->Permissions();
  hooks.store_healthy = [&store] { return store.Healthy(); };
  hooks.on_metrics = [&store, &app](metrics::Metrics& m) {
    m.SetPoolSource([&store] {
      const db::PoolStats s = store.Stats();
      return metrics::PoolSample{s.in_use, s.idle, s.waits_total, s.wait_timeouts_total,
                                 s.errors_total};
    });
    (*app)->OnMetrics(m);
  };
  hooks.on_serving = [&app, &phases, &spec] {
    phases.Mark("listen");
    phases.Log(spec.defaults.service);
    (*app)->OnServing();
  };
  return RunServer(*config, (*app)->Services(), std::move(hooks));
}

}  // namespace seimbang::server
