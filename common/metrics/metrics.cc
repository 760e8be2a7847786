#include "common/metrics/metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

  // One method's series. Family::Add hashes the labels and locks the family on every use, four
  // times a call; these are looked up once per method (issue 22 item 2: the echo's CPU).
  struct Method {
    prometheus::Labels labels;  // grpc_type, grpc_service, grpc_method
    prometheus::Counter* started;
    prometheus::Counter* received;
    prometheus::Counter* sent;
    prometheus::Histogram* seconds;
    std::array<std::atomic<prometheus::Counter*>, 17> handled{};  // by code, on first use
  };

  // The series of `full_method` ("/pkg.Service/Method") of type `type`: cached and stable for
  // the registry's life (*own untouched), or, past the cache's bound, made into *own.
  Method& For(std::string_view full_method, std::string_view type, std::unique_ptr<Method>* own) {
    const absl::string_view key(full_method.data(), full_method.size());  // Abseil 20220623
    {
      absl::ReaderMutexLock lock(&mu_);
      if (auto it = methods_.find(key); it != methods_.end()) return *it->second;
    }
    std::unique_ptr<Method> method = Make(full_method, type);
    absl::MutexLock lock(&mu_);
    // The methods a server registered: a few dozen. The bound keeps a flood of made-up method
    // names (should any reach an interceptor) from growing it; past it, the call looks its
    // series up itself, as it did before the cache.
    if (methods_.size() >= kMaxCachedMethods && !methods_.contains(key)) {
      *own = std::move(method);
      return **own;
    }
    auto [it, inserted] = methods_.try_emplace(std::string(full_method), std::move(method));
    return *it->second;
  }

  prometheus::Counter& Handled(Method& method, int code) {
    const size_t i = code < 0 || code > 16 ? 2 : static_cast<size_t>(code);  // 2 = Unknown
    prometheus::Counter* c = method.handled[i].load(std::memory_order_acquire);
    if (c == nullptr) {
      prometheus::Labels with_code = method.labels;
      with_code["grpc_code"] = std::string(GrpcCodeName(static_cast<int>(i)));
      c = &handled.Add(with_code);  // the same series whichever thread stores it
      method.handled[i].store(c, std::memory_order_release);
    }
    return *c;
  }

 private:
  std::unique_ptr<Method> Make(std::string_view full_method, std::string_view type) {
    std::string_view m = full_method;
    if (!m.empty() && m.front() == '/') m.remove_prefix(1);
    const size_t slash = m.rfind('/');
    auto method = std::make_unique<Method>();
    method->labels = {
        {"grpc_type", std::string(type)},
        {"grpc_service", std::string(m.substr(0, slash))},
        {"grpc_method", slash == std::string_view::npos ? "" : std::string(m.substr(slash + 1))}};
    method->started = &started.Add(method->labels);
    method->received = &received.Add(method->labels);
    method->sent = &sent.Add(method->labels);
    method->seconds = &seconds.Add(
        method->labels,
        prometheus::Histogram::BucketBoundaries{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10});
    return method;
  }

  static constexpr size_t kMaxCachedMethods = 512;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_ ABSL_GUARDED_BY(mu_);
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
      : info_(info),
        f_(f),
        m_(f->For(info->method() == nullptr ? "" : info->method(), TypeName(info->type()), &own_)),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      if (auto* md = m->GetRecvInitialMetadata(); md != nullptr) {
        auto it = md->find("x-request-id");
        // Bounded: a request id is an id, not a payload.
        if (it != md->end() && it->second.size() <= 128) {
          request_id_.assign(it->second.data(), it->second.size());
        }
      }
      m_.started->Increment();
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        m->GetRecvMessage() != nullptr) {
      m_.received->Increment();
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      m_.sent->Increment();
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
    f_->Handled(m_, code).Increment();
    m_.seconds->Observe(seconds);

    RpcLogRecord rec;
    rec.service = m_.labels.at("grpc_service");
    rec.method = m_.labels.at("grpc_method");
    rec.code = std::string(GrpcCodeName(code));
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
  std::unique_ptr<RpcFamilies::Method> own_;  // only past the cache's bound
  RpcFamilies::Method& m_;
  std::chrono::steady_clock::time_point start_;
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
