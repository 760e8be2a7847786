// The schema of transfer-planning, embedded from migrations/{sqlite,mysql} by CMake
// (seimbang_embed_migrations in CMakeLists.txt defines the function).
#ifndef SEIMBANG_SERVICES_TRANSFER_MIGRATIONS_H_
#define SEIMBANG_SERVICES_TRANSFER_MIGRATIONS_H_

#include <vector>

#include "common/db/dialect.h"
#include "common/db/migrations.h"

namespace seimbang::transfer {

std::vector<db::Migration> Migrations(db::Dialect dialect);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_MIGRATIONS_H_
