#ifndef SEIMBANG_COMMON_SERVER_SERVICE_MAIN_H_
#define SEIMBANG_COMMON_SERVER_SERVICE_MAIN_H_

// The one main() of the three Seimbang services: flags and environment,
// the store (opened, migrated, watched by health, exported as pool metrics),
// then the service's own parts, served until SIGTERM.

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/permissions.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/metrics/metrics.h"
#include "common/server/config.h"

namespace seimbang::server {

// How stale a replica's domain gauges (plans by state, the latest analysis) may be: they
// are derived from the shared database before a scrape, at most this often.
inline constexpr absl::Duration kDomainGaugeMaxAge = absl::Seconds(5);

// What a service builds once its store is open. It owns everything its gRPC
// services use (repositories, clients, workers) for the life of the process.
class ServiceApp {
 public:
  virtual ~ServiceApp() = default;
  virtual std::vector<grpc::Service*> Services() = 0;
  virtual auth::PermissionTable Permissions() const = 0;
  // Domain gauges on the service's registry; called once before serving.
  virtual void OnMetrics(metrics::Metrics& /*metrics*/) {}
  // Called once the server listens (e.g. to resume interrupted work).
  virtual void OnServing() {}
};

struct ServiceSpec {
  ServerDefaults defaults;
  std::vector<ExtraFlag> extra_flags;
  std::function<std::vector<db::Migration>(db::Dialect)> migrations;
  std::function<absl::StatusOr<std::unique_ptr<ServiceApp>>(const ServerConfig&, db::Pool&)> build;
};

// Exit codes: 0 after a clean shutdown (or --help), 2 for bad flags, 1 when
// the store cannot be opened or migrated or the server cannot start.
[[nodiscard]] int ServiceMain(int argc, char** argv, const ServiceSpec& spec);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_SERVICE_MAIN_H_
