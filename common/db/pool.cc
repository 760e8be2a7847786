#include "common/db/pool.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db/dsn.h"

namespace seimbang::db {

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    conn_ = std::move(other.conn_);
  }
  return *this;
}

PooledConnection::~PooledConnection() { Release(); }

void PooledConnection::Release() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Return(std::move(conn_));
  pool_ = nullptr;
}

absl::StatusOr<std::unique_ptr<Pool>> Pool::Open(std::string_view dsn_text, PoolOptions options) {
  absl::StatusOr<Dsn> dsn = ParseDsn(dsn_text);
  if (!dsn.ok()) return dsn.status();
  if (options.max_connections < 1) {
    return absl::InvalidArgumentError("pool needs max_connections >= 1");
  }
  // Each :memory: connection is its own database, so the pool keeps exactly one alive.
  if (dsn->in_memory()) {
    options.max_connections = 1;
    options.connect_eagerly = true;
  }
  if (dsn->dialect == Dialect::kMysql) InitMysqlDriver();
  Dsn health = *dsn;
  const int health_seconds = static_cast<int>(std::max<int64_t>(
      1, absl::ToInt64Seconds(absl::Ceil(options.health_timeout, absl::Seconds(1)))));
  health.read_timeout_seconds = health_seconds;
  health.write_timeout_seconds = health_seconds;
  std::unique_ptr<Pool> pool = Create(
      dsn->dialect, [d = *dsn]() { return OpenConnection(d); }, options,
      [d = std::move(health)]() { return OpenConnection(d); });
  if (options.connect_eagerly) {
    absl::StatusOr<PooledConnection> first = pool->Acquire();
    if (!first.ok()) return first.status();
  }
  return pool;
}

std::unique_ptr<Pool> Pool::Create(Dialect dialect, ConnectionFactory factory, PoolOptions options,
                                   ConnectionFactory health_factory) {
  return std::unique_ptr<Pool>(
      new Pool(dialect, std::move(factory), options, std::move(health_factory)));
}

Pool::Pool(Dialect dialect, ConnectionFactory factory, PoolOptions options,
           ConnectionFactory health_factory)
    : dialect_(dialect),
      factory_(std::move(factory)),
      health_factory_(health_factory ? std::move(health_factory) : factory_),
      options_(options) {}

Pool::~Pool() {
  {
    absl::MutexLock lock(&health_mu_);
    health_conn_.reset();
  }
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

bool Pool::CanCheckout() const { return !idle_.empty() || open_ < options_.max_connections; }

absl::StatusOr<PooledConnection> Pool::Acquire() {
  return AcquireUntil(absl::Now() + options_.checkout_timeout);
}

absl::StatusOr<PooledConnection> Pool::TryAcquire() {
  {
    absl::MutexLock lock(&mu_);
    if (!CanCheckout()) {
      return absl::ResourceExhaustedError(
          absl::StrCat("all ", options_.max_connections, " database connections are in use"));
    }
  }
  // Another thread may take the free one first: then this waits as Acquire would.
  return Acquire();
}

absl::StatusOr<PooledConnection> Pool::AcquireUntil(absl::Time deadline) {
  bool counted_wait = false;
  while (true) {
    std::unique_ptr<Connection> conn;
    absl::Time idle_since;
    {
      absl::MutexLock lock(&mu_);
      if (!CanCheckout()) {
        if (!counted_wait) {
          counted_wait = true;
          ++stats_.waits_total;
        }
        if (!mu_.AwaitWithDeadline(absl::Condition(this, &Pool::CanCheckout), deadline)) {
          ++stats_.wait_timeouts_total;
          return absl::DeadlineExceededError(
              absl::StrCat("no database connection became free within ",
                           absl::FormatDuration(options_.checkout_timeout), " (all ",
                           options_.max_connections, " in use)"));
        }
      }
      ++stats_.in_use;
      if (!idle_.empty()) {
        // Most recently used first: it is the one least likely to have timed out.
        conn = std::move(idle_.back().conn);
        idle_since = idle_.back().since;
        idle_.pop_back();
        stats_.idle = static_cast<int64_t>(idle_.size());
      } else {
        ++open_;
      }
    }
    if (conn == nullptr) {
      absl::StatusOr<std::unique_ptr<Connection>> created = factory_();
      if (!created.ok()) {
        Discard();
        return created.status();
      }
      absl::MutexLock lock(&mu_);
      ++stats_.connections_created_total;
      return PooledConnection(this, *std::move(created));
    }
    if (absl::Now() - idle_since > options_.validate_after_idle && !conn->Ping().ok()) {
      conn.reset();  // dead while idle (server restart, wait_timeout): rebuild
      Discard();
      continue;
    }
    return PooledConnection(this, std::move(conn));
  }
}

void Pool::Discard() {
  absl::MutexLock lock(&mu_);
  --open_;
  --stats_.in_use;
  ++stats_.errors_total;
}

void Pool::Return(std::unique_ptr<Connection> conn) {
  // Never hand the next caller someone else's half-done transaction.
  if (!conn->broken() && conn->in_transaction() && !conn->Rollback().ok()) conn->MarkBroken();
  if (conn->broken()) {
    conn.reset();  // outside the lock: closing a dead session can block
    Discard();
    return;
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back({std::move(conn), absl::Now()});
  --stats_.in_use;
  stats_.idle = static_cast<int64_t>(idle_.size());
}

PoolStats Pool::Stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

bool Pool::Healthy() {
  // Not a pooled connection: with every pooled one busy, possibly stuck on a hung server,
  // "all busy" proves nothing, and the probe must never wait for a checkout.
  absl::MutexLock lock(&health_mu_);
  if (health_conn_ == nullptr) {
    absl::StatusOr<std::unique_ptr<Connection>> created = health_factory_();
    if (!created.ok()) return false;
    health_conn_ = *std::move(created);
  }
  if (health_conn_->Ping().ok()) return true;
  health_conn_.reset();  // timed out or lost: the next probe connects afresh
  return false;
}

absl::Status WithTransaction(Pool& pool, const std::function<absl::Status(Connection&)>& fn,
                             int max_attempts) {
  absl::Status last = absl::OkStatus();
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    if (attempt > 1) absl::SleepFor(absl::Milliseconds(10 * (attempt - 1)));
    absl::StatusOr<PooledConnection> conn = pool.Acquire();
    if (!conn.ok()) return conn.status();
    Connection& c = **conn;
    last = c.Begin();
    if (last.ok()) {
      last = fn(c);
      if (last.ok()) {
        last = c.Commit();
        if (last.ok()) return last;
      } else if (c.in_transaction()) {
        c.Rollback().IgnoreError();
      }
    }
    if (!IsRetryable(last)) return last;
  }
  return last;
}

}  // namespace seimbang::db
