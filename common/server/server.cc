#include "common/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/service_type.h>
#include <grpcpp/security/server_credentials.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/caller.h"
#include "common/auth/processor.h"
#include "common/auth/verifier.h"
#include "common/log/log.h"
#include "common/metrics/rpc_log.h"
#include "common/server/caller_limits.h"
#include "common/server/serve.h"
#include "common/server/status_guard.h"

namespace seimbang::server {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& flag, const std::string& path) {
  absl::StatusOr<std::string> s = auth::ReadKeyFile(path);
  if (!s.ok()) {
    return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  }
  return s;
}

absl::StatusOr<std::unique_ptr<auth::Verifier>> MakeVerifier(const ServerConfig& c) {
  absl::StatusOr<auth::Verifier> v =
      !c.auth_public_key_file.empty()
          ? auth::Verifier::FromPublicKeyFile(c.auth_public_key_file, c.auth_issuer,
                                              c.auth_audience)
          : auth::Verifier::FromHs256SecretFile(c.auth_hs256_secret_file, c.auth_issuer,
                                                c.auth_audience);
  if (!v.ok()) return v.status();
  return std::make_unique<auth::Verifier>(*std::move(v));
}

// See common/auth/README.md: the auth processor needs secure (TLS or local)
// credentials; only --insecure-dev without TLS runs fully insecure.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerConfig& c, const auth::PermissionTable& table) {
  std::shared_ptr<grpc::ServerCredentials> creds;
  if (!c.tls_cert.empty()) {
    absl::StatusOr<std::string> cert = ReadFile("--tls-cert", c.tls_cert);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadFile("--tls-key", c.tls_key);
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions opts(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    if (!c.tls_ca.empty()) {
      absl::StatusOr<std::string> ca = ReadFile("--tls-ca", c.tls_ca);
      if (!ca.ok()) return ca.status();
      opts.pem_root_certs = *ca;
      opts.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    opts.pem_key_cert_pairs.push_back({*key, *cert});
    creds = grpc::SslServerCredentials(opts);
  } else if (c.insecure_dev) {
    auth::SetCallerVerifier(std::nullopt);
    return grpc::InsecureServerCredentials();
  } else {
    creds = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    log::Warn("plaintext_loopback_only",
              {{"message",
                "no --tls-cert: plaintext listener with auth accepts loopback "
                "connections only"}});
  }
  std::unique_ptr<auth::Verifier> verifier;
  if (!c.insecure_dev) {
    absl::StatusOr<std::unique_ptr<auth::Verifier>> v = MakeVerifier(c);
    if (!v.ok()) return v.status();
    verifier = *std::move(v);
    auth::SetCallerVerifier(*verifier);
  }
  creds->SetAuthMetadataProcessor(
      std::make_shared<auth::TokenAuthProcessor>(std::move(verifier), table));
  return creds;
}

absl::Status WritePortFile(const std::string& path, int port) {
  // Write then rename, so a polling test never reads a half-written file.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
    out << port << "\n";
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename to ", path));
  }
  return absl::OkStatus();
}

// The metrics port first: a test that sees the gRPC port may read both.
absl::Status WritePortFiles(const ServerConfig& config, int metrics_port, int port) {
  for (const auto& [file, p] :
       {std::pair{config.metrics_port_file, metrics_port}, std::pair{config.port_file, port}}) {
    if (file.empty()) continue;
    if (absl::Status w = WritePortFile(file, p); !w.ok()) return w;
  }
  return absl::OkStatus();
}

// Message limits, the sync server's pollers, keepalive and the interceptors, which leave out
// the `self_recorded` methods (serve.h's CallbackMethods).
void ConfigureTransport(grpc::ServerBuilder& builder, metrics::Metrics& metrics,
                        const std::vector<std::string>& self_recorded) {
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  builder.SetMaxSendMessageSize(kMaxSendMessageBytes);
  // Handlers block on the database: with gRPC's default of 2 idle pollers the sync server
  // destroys and recreates a thread around almost every call (measured: bench/serving).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 32);
  // gRPC binds with SO_REUSEPORT by default, so a second server on a port in use would
  // "listen" and share it silently: turn it off so the second bind fails loudly.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Clients keep a connection for hours, so replicas an HPA adds would get no traffic: a
  // connection is closed (GOAWAY) after a while, and its calls get a long grace to finish
  // (imports and change-feed watches stream for minutes), so clients reconnect and rebalance.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, kMaxConnectionAgeMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, kMaxConnectionAgeGraceMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kMinClientPingIntervalMs);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // First, so that the others (metrics, logs) see the status it settles.
  interceptors.push_back(NewStatusGuardInterceptorFactory(self_recorded));
  interceptors.push_back(metrics.NewInterceptorFactory(self_recorded));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
}

// The gRPC service names ("seimbang.personnel.v1.PersonnelService") of the permission table.
std::vector<std::string> ServiceNames(const auth::PermissionTable& permissions) {
  std::set<std::string> names;
  for (const std::string& method : permissions.Methods()) {
    std::string_view m = method;
    if (!m.empty() && m.front() == '/') m.remove_prefix(1);
    names.insert(std::string(m.substr(0, m.rfind('/'))));
  }
  return {names.begin(), names.end()};
}

}  // namespace

absl::StatusOr<std::unique_ptr<RunningServer>> RunningServer::Start(
    const ServerConfig& config, std::vector<grpc::Service*> services, ServerHooks hooks) {
  std::unique_ptr<RunningServer> rs(new RunningServer());
  if (absl::StatusOr<log::Level> level = log::ParseLevel(config.log_level); level.ok()) {
    log::SetLevel(*level);
  }
  auth::SetInsecureDevMode(config.insecure_dev);
  if (config.insecure_dev) {
    log::Warn("insecure_dev_mode", {{"message",
                                     "INSECURE DEV MODE: no token checks, every caller is admin. "
                                     "Never run this in production."}});
  }

  absl::StatusOr<std::unique_ptr<metrics::Metrics>> m =
      metrics::Metrics::Create(config.metrics_listen, config.service, hooks.version);
  if (!m.ok()) return m.status();
  rs->metrics_ = *std::move(m);
  if (hooks.on_metrics) hooks.on_metrics(*rs->metrics_);
  rs->store_up_ = &prometheus::BuildGauge()
                       .Name("seimbang_store_up")
                       .Help("1 while the service's database answers, 0 while it does not")
                       .Register(rs->metrics_->registry())
                       .Add({});
  rs->store_up_->Set(1);

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> creds =
      MakeCredentials(config, hooks.permissions);
  if (!creds.ok()) return creds.status();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen, *creds, &rs->port_);
  auto limiter = std::make_shared<CallerLimiter>(config.caller_limits);
  std::vector<std::string> self_recorded;
  for (grpc::Service* s : services) {
    LimitCallers(*s, limiter);
    for (std::string& method : SelfRecordedMethods(*s)) self_recorded.push_back(std::move(method));
    if (auto* callback = dynamic_cast<CallbackMethods*>(s)) {
      callback->set_metrics(rs->metrics_.get());
    }
    builder.RegisterService(s);
  }
  ConfigureTransport(builder, *rs->metrics_, self_recorded);
  rs->server_ = builder.BuildAndStart();
  if (rs->server_ == nullptr || rs->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on --listen ", config.listen));
  }

  rs->service_names_ = ServiceNames(hooks.permissions);
  if (!config.health_listen.empty()) {
    grpc::ServerBuilder hb;
    int health_port = 0;
    hb.AddListeningPort(config.health_listen, grpc::InsecureServerCredentials(), &health_port);
    rs->health_server_ = hb.BuildAndStart();
    if (rs->health_server_ == nullptr || health_port == 0) {
      rs->Shutdown(absl::ZeroDuration());
      return absl::UnavailableError(
          absl::StrCat("cannot listen on --health-listen ", config.health_listen));
    }
  }
  rs->SetServing(true);

  rs->hooks_ = std::move(hooks);
  rs->health_timeout_ = config.health_timeout;
  if (rs->hooks_.store_healthy) {
    rs->prober_ = std::thread([p = rs.get()] { p->ProbeStore(); });
    rs->watcher_ = std::thread([p = rs.get()] { p->WatchHealth(); });
  }

  log::Info("listening", {{"service", config.service},
                          {"port", rs->port_},
                          {"metrics_port", rs->metrics_->port()},
                          {"tls", !config.tls_cert.empty()},
                          {"mtls", !config.tls_ca.empty()}});
  if (rs->hooks_.on_serving) rs->hooks_.on_serving();
  if (absl::Status w = WritePortFiles(config, rs->metrics_->port(), rs->port_); !w.ok()) {
    rs->Shutdown(absl::ZeroDuration());
    return w;
  }
  return rs;
}

void RunningServer::SetServing(bool serving) {
  for (grpc::Server* s : {server_.get(), health_server_.get()}) {
    if (s == nullptr) continue;
    grpc::HealthCheckServiceInterface* health = s->GetHealthCheckService();
    health->SetServingStatus(serving);
    for (const std::string& n : service_names_) health->SetServingStatus(n, serving);
  }
  if (store_up_ != nullptr) store_up_->Set(serving ? 1 : 0);
}

void RunningServer::ProbeStore() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Seconds(1));
    if (stopping_) break;
    probing_ = true;
    probe_start_ = absl::Now();
    mu_.Unlock();
    const bool ok = hooks_.store_healthy();
    mu_.Lock();
    probing_ = false;
    last_probe_ok_ = ok;
    if (!stopping_) UpdateHealth();
  }
}

// The prober may be stuck in a ping to a frozen database; this thread does not wait for it.
void RunningServer::WatchHealth() {
  const absl::Duration tick = std::min(absl::Milliseconds(250), health_timeout_ / 4);
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), tick);
    if (!stopping_) UpdateHealth();
  }
}

void RunningServer::UpdateHealth() {
  const bool overdue = probing_ && absl::Now() - probe_start_ > health_timeout_;
  const bool now = last_probe_ok_ && !overdue;
  if (now == healthy_) return;
  healthy_ = now;
  SetServing(healthy_);
  log::Log(healthy_ ? log::Level::kInfo : log::Level::kWarn, "health_changed",
           {{"status", healthy_ ? "SERVING" : "NOT_SERVING"},
            {"reason", healthy_  ? "store answers"
                       : overdue ? "store ping timed out"
                                 : "store down"}});
}

void RunningServer::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (watcher_.joinable()) watcher_.join();
  // Bounded by the store's own timeouts (Pool::Healthy: connect and health_timeout).
  if (prober_.joinable()) prober_.join();
  // Tells load balancers and probes first, then drains.
  server_->GetHealthCheckService()->Shutdown();
  if (health_server_ != nullptr) health_server_->GetHealthCheckService()->Shutdown();
  log::Info("shutting_down", {{"grace_ms", absl::ToInt64Milliseconds(grace)}});
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  server_->Wait();
  log::Debug("drained");
  if (health_server_ != nullptr) {
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
  }
}

RunningServer::~RunningServer() {
  if (server_ != nullptr) Shutdown(absl::ZeroDuration());
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int RunServer(const ServerConfig& config, std::vector<grpc::Service*> services, ServerHooks hooks) {
  // Before any gRPC thread exists, so only sigwait below sees the signals.
  BlockShutdownSignals();
  // Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock detection on:
  // every lock of every gRPC-internal mutex then updates a global lock graph (GraphCycles in
  // a profile of GetEmployee). It is a debugging aid; servers run without it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::StatusOr<std::unique_ptr<RunningServer>> rs =
      RunningServer::Start(config, std::move(services), std::move(hooks));
  if (!rs.ok()) {
    log::Error("start_failed", {{"error", rs.status().ToString()}});
    return 1;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  log::Info("signal", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*rs)->Shutdown(config.shutdown_grace);
  rs->reset();
  log::Info("stopped");
  return 0;
}

}  // namespace seimbang::server
