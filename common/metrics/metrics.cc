#include "common/metrics/metrics.h"

#include <netdb.h>
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/caller.h"
#include "common/domain/enum_names.h"
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

// One method's series. Family::Add hashes the labels and locks the family on every use, four
// times a call; these are looked up once per method (issue 22 item 2: the echo's CPU).
struct RpcSeries {
  prometheus::Labels labels;  // grpc_type, grpc_service, grpc_method
  prometheus::Counter* started;
  prometheus::Counter* received;
  prometheus::Counter* sent;
  prometheus::Histogram* seconds;
  std::array<std::atomic<prometheus::Counter*>, 17> handled{};  // by code, on first use
};

// A family named `name` with `help`, registered in `r`.
template <typename Builder>
auto& RegisterFamily(prometheus::Registry& r, Builder builder, const char* name, const char* help) {
  return builder.Name(name).Help(help).Register(r);
}

// The go-grpc-prometheus server families.
class RpcFamilies {
 public:
  explicit RpcFamilies(prometheus::Registry& r)
      : started(RegisterFamily(r, prometheus::BuildCounter(), "grpc_server_started_total",
                               "Total number of RPCs started on the server.")),
        handled(RegisterFamily(r, prometheus::BuildCounter(), "grpc_server_handled_total",
                               "Total number of RPCs completed on the server, "
                               "regardless of success or failure.")),
        received(RegisterFamily(r, prometheus::BuildCounter(), "grpc_server_msg_received_total",
                                "Total number of RPC stream messages received on the server.")),
        sent(RegisterFamily(r, prometheus::BuildCounter(), "grpc_server_msg_sent_total",
                            "Total number of gRPC stream messages sent by the server.")),
        seconds(RegisterFamily(r, prometheus::BuildHistogram(), "grpc_server_handling_seconds",
                               "Histogram of response latency (seconds) of gRPC "
                               "that had been application-level handled by the "
                               "server.")) {}

  prometheus::Family<prometheus::Counter>& started;
  prometheus::Family<prometheus::Counter>& handled;
  prometheus::Family<prometheus::Counter>& received;
  prometheus::Family<prometheus::Counter>& sent;
  prometheus::Family<prometheus::Histogram>& seconds;

  using Method = RpcSeries;

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

// The go-grpc-prometheus grpc_type label values.
constexpr domain::EnumName<ServerRpcInfo::Type> kTypeNames[] = {
    {ServerRpcInfo::Type::UNARY, "unary"},
    {ServerRpcInfo::Type::CLIENT_STREAMING, "client_stream"},
    {ServerRpcInfo::Type::SERVER_STREAMING, "server_stream"},
    {ServerRpcInfo::Type::BIDI_STREAMING, "bidi_stream"},
};
static_assert(domain::CoversEveryValue(kTypeNames, ServerRpcInfo::Type::UNARY,
                                       ServerRpcInfo::Type::BIDI_STREAMING));

std::string_view TypeName(ServerRpcInfo::Type t) { return domain::NameOf(kTypeNames, t, "unary"); }

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(ServerRpcInfo* info, Metrics& metrics)
      : info_(info),
        record_(metrics, info->method() == nullptr ? "" : info->method(), TypeName(info->type())) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      std::string_view request_id;
      if (auto* md = m->GetRecvInitialMetadata(); md != nullptr) {
        if (auto it = md->find("x-request-id"); it != md->end()) {
          request_id = std::string_view(it->second.data(), it->second.size());
        }
      }
      record_.Started(request_id);
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        m->GetRecvMessage() != nullptr) {
      record_.Received();
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) record_.Sent();
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::ServerContextBase* ctx = info_->server_context();
      record_.Finish(m->GetSendStatus().error_code(),
                     ctx != nullptr ? auth::CallerRoleName(*ctx) : std::string_view());
    }
    m->Proceed();
  }

 private:
  ServerRpcInfo* info_;
  RpcRecord record_;
};

class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  MetricsInterceptorFactory(Metrics& metrics, const std::vector<std::string>& self_recorded)
      : metrics_(metrics), self_recorded_(self_recorded.begin(), self_recorded.end()) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    if (info->method() != nullptr && self_recorded_.contains(info->method())) return nullptr;
    return new MetricsInterceptor(info, metrics_);
  }

 private:
  Metrics& metrics_;
  const absl::flat_hash_set<std::string> self_recorded_;
};

}  // namespace

RpcRecord::RpcRecord(Metrics& metrics, std::string_view full_method, std::string_view type)
    : families_(metrics.rpc_.get()),
      series_(families_->For(full_method, type, &own_)),
      start_(std::chrono::steady_clock::now()) {}

RpcRecord::~RpcRecord() = default;

void RpcRecord::Started(std::string_view request_id) {
  if (request_id.size() <= 128) request_id_.assign(request_id.data(), request_id.size());
  series_.started->Increment();
}

void RpcRecord::Received() { series_.received->Increment(); }

void RpcRecord::Sent() { series_.sent->Increment(); }

void RpcRecord::Finish(int code, std::string_view caller_role) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  families_->Handled(series_, code).Increment();
  series_.seconds->Observe(seconds);

  RpcLogRecord rec;
  rec.service = series_.labels.at("grpc_service");
  rec.method = series_.labels.at("grpc_method");
  rec.code = std::string(GrpcCodeName(code));
  rec.latency_ms = seconds * 1000.0;
  rec.request_id = request_id_;
  rec.caller_role = std::string(caller_role);
  LogRpc(rec);
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      refreshing_(std::make_shared<RefreshingRegistry>(registry_)),
      pool_(std::make_shared<PoolCollectable>()),
      process_(std::make_shared<ProcessCollectable>()),
      rpc_(std::make_unique<RpcFamilies>(*registry_)) {}

namespace {

// The address a local client reaches an exposer bound to `listen` (host:port) at: the
// wildcard addresses are reached on loopback.
std::string WakeHost(const std::string& listen) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

// One TCP connection to host:port, closed at once (to each address the name has, until one
// answers); failures are ignored.
void Knock(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // A local address answers at once; never let a knock hold the stop up for TCP's timeout.
    const timeval limit{0, 100 * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
    const bool answered = connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    close(fd);
    if (answered) break;
  }
  freeaddrinfo(found);
}

}  // namespace

// civetweb's mg_stop sets a flag and waits for its accept thread, which looks at the flag only
// when its poll() returns: on a connection or after a 2 s timeout. Left alone, every stop of a
// service waited 0-2 s there (1 s on average, after gRPC had drained in a few ms). Knocking on
// the port every 5 ms while the exposer stops wakes that poll at once.
Metrics::~Metrics() {
  if (exposer_ == nullptr || port_ == 0) return;
  std::atomic<bool> stopped{false};
  std::thread knocker([this, &stopped] {
    while (!stopped.load(std::memory_order_acquire)) {
      Knock(wake_host_, port_);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  exposer_.reset();
  stopped.store(true, std::memory_order_release);
  knocker.join();
}

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
    m->wake_host_ = WakeHost(listen);
  }
  return m;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
Metrics::NewInterceptorFactory(std::vector<std::string> self_recorded) {
  return std::make_unique<MetricsInterceptorFactory>(*this, self_recorded);
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
