#ifndef SEIMBANG_COMMON_METRICS_METRICS_H_
#define SEIMBANG_COMMON_METRICS_METRICS_H_

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace seimbang::metrics {

// What the db pool reports; the service adapts db::PoolStats into this so
// metrics does not depend on the db layer.
struct PoolSample {
  int64_t in_use = 0;
  int64_t idle = 0;
  int64_t waits_total = 0;
  int64_t wait_timeouts_total = 0;
  int64_t errors_total = 0;
};

class RpcFamilies;
struct RpcSeries;
class PoolCollectable;
class RefreshingRegistry;

// Owns the registry every metric of a binary lives on, and the HTTP exposer.
// Must outlive the grpc::Server that uses its interceptor factory.
class Metrics {
 public:
  // `listen` is host:port (port 0 picks a free port, see port()); empty
  // means no HTTP endpoint (registry only, for tests and tools).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Metrics>> Create(const std::string& listen,
                                                                       std::string_view service,
                                                                       std::string_view version);
  ~Metrics();

  // Services register their domain gauges here (bounded labels only).
  prometheus::Registry& registry() { return *registry_; }
  // The bound HTTP port, 0 without an endpoint.
  int port() const { return port_; }

  // For ServerBuilder::experimental().SetInterceptorCreators: records the
  // go-grpc-prometheus families and writes one JSON log line per RPC (RpcRecord), for every
  // method but the `self_recorded` ones ("/pkg.Service/Method"), which record themselves.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewInterceptorFactory(
      std::vector<std::string> self_recorded = {});

  // Pool gauges and counters, read from `sample` at every scrape.
  void SetPoolSource(std::function<PoolSample()> sample);

  // Domain gauges that every replica derives from the shared database: `refresh` runs
  // before a scrape reads the registry, at most once per `max_age` (a scrape in between
  // sees the cached values), so replicas agree within max_age and none reports only its
  // own changes. One refresh per Metrics; a later call replaces it.
  void SetScrapeRefresh(std::function<void()> refresh, absl::Duration max_age);

  // The text exposition format of everything registered, as scraped.
  std::string Scrape() const;

 private:
  Metrics();

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<RefreshingRegistry> refreshing_;  // registry_, refreshed before a scrape
  std::shared_ptr<PoolCollectable> pool_;
  std::shared_ptr<prometheus::Collectable> process_;
  std::unique_ptr<RpcFamilies> rpc_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string wake_host_;  // where ~Metrics connects to wake the exposer's accept loop
  int port_ = 0;

  friend class RpcRecord;
};

// One call's go-grpc-prometheus series and its JSON log line. The interceptor records every call
// with one; the methods gRPC serves with its callback API record their own (common/server
// serve.h), because any interceptor on a call costs the call gRPC's interceptor machinery, about
// a fifth of an echo's CPU (issue 22 item 2, bench/RESULTS.md).
class RpcRecord {
 public:
  // `full_method` is "/pkg.Service/Method", `type` "unary", "client_stream", "server_stream" or
  // "bidi_stream". The call's latency counts from here.
  RpcRecord(Metrics& metrics, std::string_view full_method, std::string_view type);
  ~RpcRecord();
  RpcRecord(const RpcRecord&) = delete;
  RpcRecord& operator=(const RpcRecord&) = delete;

  // The call started; its x-request-id (kept for the log line when at most 128 bytes: an id,
  // not a payload).
  void Started(std::string_view request_id);
  void Received();  // a message from the client
  void Sent();      // a message to the client
  // The call ended with `code`: counted by code, its latency observed, its log line written
  // with the caller's role ("" when the caller is not known).
  void Finish(int code, std::string_view caller_role);

 private:
  RpcFamilies* families_;
  std::unique_ptr<RpcSeries> own_;  // only past the series cache's bound
  RpcSeries& series_;
  std::chrono::steady_clock::time_point start_;
  std::string request_id_;
};

// go-grpc-prometheus's name for a gRPC code ("OK", "InvalidArgument", ...).
std::string_view GrpcCodeName(int code);

}  // namespace seimbang::metrics

#endif  // SEIMBANG_COMMON_METRICS_METRICS_H_
