#ifndef SEIMBANG_COMMON_SERVER_SERVER_H_
#define SEIMBANG_COMMON_SERVER_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/permissions.h"
#include "common/metrics/metrics.h"
#include "common/server/config.h"
#include "common/server/limits.h"
#include "prometheus/gauge.h"

namespace seimbang::server {

// Keepalive: find dead peers behind NATs/load balancers within ~80 s, and
// tolerate clients pinging every 20 s (MakeChannel pings every 30 s).
inline constexpr int kKeepaliveTimeMs = 60 * 1000;
inline constexpr int kKeepaliveTimeoutMs = 20 * 1000;
inline constexpr int kMinClientPingIntervalMs = 20 * 1000;
// Connections live about 5 minutes (gRPC adds +-10% jitter), so clients spread over replicas
// an autoscaler adds; calls in flight then get 30 minutes to finish (a national import
// streams for about 11), after which the client reconnects (WatchChanges resumes from its
// position).
inline constexpr int kMaxConnectionAgeMs = 5 * 60 * 1000;
inline constexpr int kMaxConnectionAgeGraceMs = 30 * 60 * 1000;

struct ServerHooks {
  // The one permission table of every method served; each service's name
  // (the part before the last '/') also gets its own health status.
  auth::PermissionTable permissions;
  // Called on a prober thread of its own about every second; false flips health to
  // NOT_SERVING, and so does a call still running after config.health_timeout (a hung
  // database). It must return eventually (Pool::Healthy times out itself). Null: healthy.
  std::function<bool()> store_healthy;
  // Called once the registry exists, to add domain gauges and the pool source.
  std::function<void(metrics::Metrics&)> on_metrics;
  // Called once the server listens and reports SERVING.
  std::function<void()> on_serving;
  std::string version = "dev";
};

// A started server. Tests use it directly; binaries use RunServer.
class RunningServer {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RunningServer>> Start(
      const ServerConfig& config, std::vector<grpc::Service*> services, ServerHooks hooks);
  ~RunningServer();

  int port() const { return port_; }
  metrics::Metrics& metrics() { return *metrics_; }
  grpc::Server& grpc_server() { return *server_; }

  // Health NOT_SERVING, then in-flight RPCs get `grace` before cancellation.
  void Shutdown(absl::Duration grace);

 private:
  RunningServer() = default;
  void ProbeStore();
  void WatchHealth();
  // Recomputes health from the probe state; flips and logs on a change.
  void UpdateHealth() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetServing(bool serving);

  ServerHooks hooks_;
  std::vector<std::string> service_names_;
  std::unique_ptr<metrics::Metrics> metrics_;
  std::unique_ptr<grpc::Server> server_;
  // Serves only health, in plaintext, when --health-listen is set.
  std::unique_ptr<grpc::Server> health_server_;
  // seimbang_store_up: 1 while the store answers, 0 while it does not.
  prometheus::Gauge* store_up_ = nullptr;
  int port_ = 0;
  absl::Duration health_timeout_ = absl::Seconds(2);
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool healthy_ ABSL_GUARDED_BY(mu_) = true;        // as last reported
  bool last_probe_ok_ ABSL_GUARDED_BY(mu_) = true;  // the last finished probe
  bool probing_ ABSL_GUARDED_BY(mu_) = false;       // a probe is running since probe_start_
  absl::Time probe_start_ ABSL_GUARDED_BY(mu_);
  std::thread prober_;   // calls hooks_.store_healthy
  std::thread watcher_;  // notices a probe that overran health_timeout_
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later, so RunServer's sigwait receives them. RunServer calls it; call it
// yourself first thing in main if main starts threads before RunServer.
void BlockShutdownSignals();

// Starts the server, waits for SIGTERM/SIGINT, shuts down gracefully within
// config.shutdown_grace. Returns the process exit code: 0, or 1 when the
// server cannot start (the reason is logged).
[[nodiscard]] int RunServer(const ServerConfig& config, std::vector<grpc::Service*> services,
                            ServerHooks hooks);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_SERVER_H_
