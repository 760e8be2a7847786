// The schema of personnel, embedded from migrations/{sqlite,mysql} by CMake.
#ifndef SEIMBANG_SERVICES_PERSONNEL_MIGRATIONS_H_
#define SEIMBANG_SERVICES_PERSONNEL_MIGRATIONS_H_

#include <vector>

#include "common/db/dialect.h"
#include "common/db/migrations.h"

namespace seimbang::personnel {

std::vector<db::Migration> Migrations(db::Dialect dialect);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_MIGRATIONS_H_
