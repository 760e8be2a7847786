// What a service's Repository is before its SQL: the object that owns (borrows, for its life) the
// service's connection pool and hands out a connection for reads and a transaction for writes.
// Each service's repository.h derives from it (personnel, workload and transfer alike), so a
// workflow takes the service's `Repository&`, never the pool, and the pool is reached in one
// place.
#ifndef SEIMBANG_COMMON_DB_STORE_H_
#define SEIMBANG_COMMON_DB_STORE_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "common/db/pool.h"

namespace seimbang::db {

class Store {
 public:
  // `pool` must outlive the store.
  explicit Store(Pool& pool) : pool_(pool) {}

  // A connection for reads that need no transaction (returned to the pool when dropped).
  [[nodiscard]] absl::StatusOr<PooledConnection> Connect() { return pool_.Acquire(); }
  // Runs fn in one transaction: commits on OK, rolls back otherwise, reruns on a retryable
  // ABORTED (WithTransaction).
  [[nodiscard]] absl::Status Transaction(const std::function<absl::Status(Connection&)>& fn) {
    return WithTransaction(pool_, fn);
  }
  // For the code that runs its own transactions around the pool (common/idempotency, the
  // import's long transaction, gauges that read on a schedule).
  Pool& pool() { return pool_; }

 private:
  Pool& pool_;
};

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_STORE_H_
