#include "common/metrics/metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <exception>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/caller.h"
#include "common/metrics/process.h"
#include "common/metrics/rpc_log.h"

namespace seimbang::metrics {

std::string_view GrpcCodeName(int code) {
  static constexpr std::string_view kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  if (code < 0 || code > 16) return "Unknown";
  return kNames[code];
}

// The go-grpc-prometheus server families.
class RpcFamilies {
 public:
  explicit RpcFamilies(prometheus::Registry& r)
      : started(prometheus::BuildCounter()
                    .Name("grpc_server_started_total")
                    .Help("Total number of RPCs started on the server.")
                    .Register(r)),
        handled(prometheus::BuildCounter()
                    .Name("grpc_server_handled_total")
                    .Help("Total number of RPCs completed on the server, "
                          "regardless of success or failure.")
                    .Register(r)),
        received(prometheus::BuildCounter()
                     .Name("grpc_server_msg_received_total")
                     .Help("Total number of RPC stream messages received on "
                           "the server.")
                     .Register(r)),
        sent(prometheus::BuildCounter()
                 .Name("grpc_server_msg_sent_total")
                 .Help("Total number of gRPC stream messages sent by the "
                       "server.")
                 .Register(r)),
        seconds(prometheus::BuildHistogram()
                    .Name("grpc_server_handling_seconds")
                    .Help("Histogram of response latency (seconds) of gRPC "
                          "that had been application-level handled by the "
                          "server.")
                    .Register(r)) {}

  prometheus::Family<prometheus::Counter>& started;
  prometheus::Family<prometheus::Counter>& handled;
  prometheus::Family<prometheus::Counter>& received;
  prometheus::Family<prometheus::Counter>& sent;
  prometheus::Family<prometheus::Histogram>& seconds;
};

// Reads the pool at scrape time, so the numbers are never stale.
class PoolCollectable : public prometheus::Collectable {
 public:
  void Set(std::function<PoolSample()> source) {
    absl::MutexLock lock(&mu_);
    source_ = std::move(source);
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::function<PoolSample()> source;
    {
      absl::MutexLock lock(&mu_);
      source = source_;
    }
    if (!source) return {};
    const PoolSample s = source();
    std::vector<prometheus::MetricFamily> out;
    prometheus::MetricFamily conns{"seimbang_db_pool_connections",
                                   "Database connections by state.",
                                   prometheus::MetricType::Gauge,
                                   {}};
    for (auto [state, v] :
         {std::pair<const char*, int64_t>{"in_use", s.in_use}, {"idle", s.idle}}) {
      prometheus::ClientMetric m;
      m.label.push_back({"state", state});
      m.gauge.value = static_cast<double>(v);
      conns.metric.push_back(m);
    }
    out.push_back(std::move(conns));
    auto counter = [&](const char* name, const char* help, int64_t v) {
      prometheus::ClientMetric m;
      m.counter.value = static_cast<double>(v);
      out.push_back({name, help, prometheus::MetricType::Counter, {m}});
    };
    counter("seimbang_db_pool_waits_total", "Checkouts that had to wait for a free connection.",
            s.waits_total);
    counter("seimbang_db_pool_wait_timeouts_total", "Checkouts that gave up waiting.",
            s.wait_timeouts_total);
    counter("seimbang_db_errors_total", "Database errors of any kind.", s.errors_total);
    return out;
  }

 private:
  mutable absl::Mutex mu_;
  std::function<PoolSample()> source_ ABSL_GUARDED_BY(mu_);
};

// The registry as a scrape sees it: the refresh first (when older than max_age), then the
// registry's families.
class RefreshingRegistry : public prometheus::Collectable {
 public:
  explicit RefreshingRegistry(std::shared_ptr<prometheus::Registry> registry)
      : registry_(std::move(registry)) {}

  void Set(std::function<void()> refresh, absl::Duration max_age) {
    absl::MutexLock lock(&mu_);
    refresh_ = std::move(refresh);
    max_age_ = max_age;
    last_ = absl::InfinitePast();
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    {
      // Held during the refresh: concurrent scrapes wait for one refresh, not run two.
      absl::MutexLock lock(&mu_);
      const absl::Time now = absl::Now();
      if (refresh_ && now - last_ >= max_age_) {
        refresh_();
        last_ = now;
      }
    }
    return registry_->Collect();
  }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  mutable absl::Mutex mu_;
  std::function<void()> refresh_ ABSL_GUARDED_BY(mu_);
  absl::Duration max_age_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time last_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

std::string_view TypeName(ServerRpcInfo::Type t) {
  switch (t) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(ServerRpcInfo* info, RpcFamilies* f)
      : info_(info), f_(f), start_(std::chrono::steady_clock::now()) {
    std::string_view full = info->method() == nullptr ? "" : info->method();
    if (!full.empty() && full.front() == '/') full.remove_prefix(1);
    size_t slash = full.rfind('/');
    service_ = std::string(full.substr(0, slash));
    method_ = slash == std::string_view::npos ? "" : std::string(full.substr(slash + 1));
    labels_ = {{"grpc_type", std::string(TypeName(info->type()))},
               {"grpc_service", service_},
               {"grpc_method", method_}};
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      if (auto* md = m->GetRecvInitialMetadata(); md != nullptr) {
        auto it = md->find("x-request-id");
        // Bounded: a request id is an id, not a payload.
        if (it != md->end() && it->second.size() <= 128) {
          request_id_.assign(it->second.data(), it->second.size());
        }
      }
      f_->started.Add(labels_).Increment();
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        m->GetRecvMessage() != nullptr) {
      f_->received.Add(labels_).Increment();
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      f_->sent.Add(labels_).Increment();
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(m->GetSendStatus().error_code());
    }
    m->Proceed();
  }

 private:
  void Finish(int code) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    prometheus::Labels with_code = labels_;
    const std::string_view code_name = GrpcCodeName(code);
    with_code["grpc_code"] = std::string(code_name);
    f_->handled.Add(with_code).Increment();
    f_->seconds
        .Add(labels_, prometheus::Histogram::BucketBoundaries{.005, .01, .025, .05, .1, .25, .5, 1,
                                                              2.5, 5, 10})
        .Observe(seconds);

    RpcLogRecord rec;
    rec.service = service_;
    rec.method = method_;
    rec.code = std::string(code_name);
    rec.latency_ms = seconds * 1000.0;
    rec.request_id = request_id_;
    if (info_->server_context() != nullptr) {
      absl::StatusOr<auth::Caller> caller = auth::CallerFromContext(*info_->server_context());
      if (caller.ok()) rec.caller_role = std::string(RoleName(caller->claims.role));
    }
    LogRpc(rec);
  }

  ServerRpcInfo* info_;
  RpcFamilies* f_;
  std::chrono::steady_clock::time_point start_;
  std::string service_;
  std::string method_;
  prometheus::Labels labels_;
  std::string request_id_;
};

class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(RpcFamilies* f) : f_(f) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new MetricsInterceptor(info, f_);
  }

 private:
  RpcFamilies* f_;
};

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      refreshing_(std::make_shared<RefreshingRegistry>(registry_)),
      pool_(std::make_shared<PoolCollectable>()),
      process_(std::make_shared<ProcessCollectable>()),
      rpc_(std::make_unique<RpcFamilies>(*registry_)) {}

Metrics::~Metrics() = default;

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Create(const std::string& listen,
                                                         std::string_view service,
                                                         std::string_view version) {
  std::unique_ptr<Metrics> m(new Metrics());
  prometheus::BuildGauge()
      .Name("seimbang_build_info")
      .Help("Always 1; labels say which build is running.")
      .Register(*m->registry_)
      .Add({{"version", std::string(version)}, {"service", std::string(service)}})
      .Set(1);
  if (!listen.empty()) {
    // civetweb throws on a bad address or a port in use.
    try {
      m->exposer_ = std::make_unique<prometheus::Exposer>(listen, 2);
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat("--metrics-listen ", listen, ": ", e.what()));
    }
    m->exposer_->RegisterCollectable(m->refreshing_);
    m->exposer_->RegisterCollectable(m->pool_);
    m->exposer_->RegisterCollectable(m->process_);
    std::vector<int> ports = m->exposer_->GetListeningPorts();
    m->port_ = ports.empty() ? 0 : ports.front();
  }
  return m;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
Metrics::NewInterceptorFactory() {
  return std::make_unique<MetricsInterceptorFactory>(rpc_.get());
}

void Metrics::SetPoolSource(std::function<PoolSample()> sample) { pool_->Set(std::move(sample)); }

void Metrics::SetScrapeRefresh(std::function<void()> refresh, absl::Duration max_age) {
  refreshing_->Set(std::move(refresh), max_age);
}

std::string Metrics::Scrape() const {
  std::vector<prometheus::MetricFamily> all = refreshing_->Collect();
  for (auto& f : pool_->Collect()) all.push_back(std::move(f));
  for (auto& f : process_->Collect()) all.push_back(std::move(f));
  return prometheus::TextSerializer().Serialize(all);
}

}  // namespace seimbang::metrics
