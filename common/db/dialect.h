#ifndef SEIMBANG_COMMON_DB_DIALECT_H_
#define SEIMBANG_COMMON_DB_DIALECT_H_

#include <string_view>

namespace seimbang::db {

// The SQL engine behind a connection; repositories branch on it for the rare
// statement that differs (upserts, auto ids), migrations exist once per dialect.
enum class Dialect { kSqlite, kMysql };

constexpr std::string_view DialectName(Dialect d) {
  return d == Dialect::kSqlite ? "sqlite" : "mysql";
}

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_DIALECT_H_
