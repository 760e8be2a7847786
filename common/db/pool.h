#ifndef SEIMBANG_COMMON_DB_POOL_H_
#define SEIMBANG_COMMON_DB_POOL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/connection.h"
#include "common/db/dialect.h"

namespace seimbang::db {

struct PoolOptions {
  // `sqlite::memory:` always uses 1 so every checkout sees the same database.
  int max_connections = 8;
  // How long Acquire waits for a free connection before DEADLINE_EXCEEDED.
  absl::Duration checkout_timeout = absl::Seconds(5);
  // An idle connection older than this is pinged before it is handed out.
  absl::Duration validate_after_idle = absl::Seconds(1);
  // Open fails when the first connection cannot be made (otherwise the pool starts empty
  // and the service reports NOT_SERVING until the database comes back).
  bool connect_eagerly = true;
  // Healthy() pings on a connection of its own (not one of max_connections) whose reads and
  // writes give up after this (MySQL/MariaDB: read/write timeout, whole seconds, at least 1),
  // so a hung database (SIGSTOP, a full disk) is reported instead of blocking the prober.
  absl::Duration health_timeout = absl::Seconds(2);
};

// Counters for the metrics library (which exports them; this library knows no prometheus).
struct PoolStats {
  int64_t in_use = 0;
  int64_t idle = 0;
  int64_t waits_total = 0;          // checkouts that had to wait for a free connection
  int64_t wait_timeouts_total = 0;  // checkouts that gave up after checkout_timeout
  int64_t errors_total = 0;         // failed connects, failed validations, broken returns
  int64_t connections_created_total = 0;
};

class Pool;

// A checked-out connection; returns to its pool when destroyed. A connection returned while
// broken or still inside a transaction is rolled back / destroyed, never reused as is.
class PooledConnection {
 public:
  PooledConnection(PooledConnection&& other) noexcept;
  PooledConnection& operator=(PooledConnection&& other) noexcept;
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection();

  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }
  Connection& get() const { return *conn_; }

 private:
  friend class Pool;
  PooledConnection(Pool* pool, std::unique_ptr<Connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  void Release();

  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

class Pool {
 public:
  using ConnectionFactory = std::function<absl::StatusOr<std::unique_ptr<Connection>>()>;

  // Parses the DSN (see dsn.h) and opens a pool for it.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Pool>> Open(std::string_view dsn,
                                                                  PoolOptions options = {});
  // A pool over any connection source (tests use fakes).
  // `health_factory` makes Healthy()'s connection; null: `factory`.
  static std::unique_ptr<Pool> Create(Dialect dialect, ConnectionFactory factory,
                                      PoolOptions options,
                                      ConnectionFactory health_factory = nullptr);

  // Pool must outlive every PooledConnection it handed out.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // DEADLINE_EXCEEDED when no connection frees up within checkout_timeout,
  // UNAVAILABLE when a new connection cannot be made.
  [[nodiscard]] absl::StatusOr<PooledConnection> Acquire();
  // Acquire for a connection that is only useful, not needed (an import's second reader):
  // RESOURCE_EXHAUSTED at once, counted as no wait, when every connection is in use.
  [[nodiscard]] absl::StatusOr<PooledConnection> TryAcquire();

  Dialect dialect() const { return dialect_; }
  const PoolOptions& options() const { return options_; }
  PoolStats Stats() const;
  // A cheap ping for the health checker: false while the database is unreachable or does not
  // answer within health_timeout. Runs on its own connection, so a pool whose connections are
  // all busy (or all stuck on a hung server) is still probed. One probe at a time.
  bool Healthy();

 private:
  friend class PooledConnection;
  struct Idle {
    std::unique_ptr<Connection> conn;
    absl::Time since;
  };
  Pool(Dialect dialect, ConnectionFactory factory, PoolOptions options,
       ConnectionFactory health_factory);
  absl::StatusOr<PooledConnection> AcquireUntil(absl::Time deadline);
  bool CanCheckout() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Return(std::unique_ptr<Connection> conn);
  void Discard();

  const Dialect dialect_;
  const ConnectionFactory factory_;
  const ConnectionFactory health_factory_;
  const PoolOptions options_;

  mutable absl::Mutex mu_;
  std::vector<Idle> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + in use + being connected
  PoolStats stats_ ABSL_GUARDED_BY(mu_);
  // Held for a whole probe: a second prober waits rather than opening another connection.
  absl::Mutex health_mu_;
  std::unique_ptr<Connection> health_conn_ ABSL_GUARDED_BY(health_mu_);
};

// Runs fn inside a transaction on one pooled connection: commits when fn returns OK, rolls back
// otherwise and returns fn's status. ABORTED (deadlock, lock timeout, busy) from fn or from
// COMMIT reruns the whole function, up to max_attempts times, on a fresh transaction.
[[nodiscard]] absl::Status WithTransaction(Pool& pool,
                                           const std::function<absl::Status(Connection&)>& fn,
                                           int max_attempts = 3);

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_POOL_H_
