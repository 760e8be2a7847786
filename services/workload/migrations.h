// The schema of workload-analysis, embedded from migrations/{sqlite,mysql} by CMake.
#ifndef SEIMBANG_SERVICES_WORKLOAD_MIGRATIONS_H_
#define SEIMBANG_SERVICES_WORKLOAD_MIGRATIONS_H_

#include <vector>

#include "common/db/dialect.h"
#include "common/db/migrations.h"

namespace seimbang::workload {

std::vector<db::Migration> Migrations(db::Dialect dialect);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_MIGRATIONS_H_
