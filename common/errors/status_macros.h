#ifndef SEIMBANG_COMMON_ERRORS_STATUS_MACROS_H_
#define SEIMBANG_COMMON_ERRORS_STATUS_MACROS_H_

// The one set of early-return macros for functions returning absl::Status or
// absl::StatusOr<T> (Abseil's internal style). Handlers that answer
// grpc::Status convert once, at their edge, with errors::ToGrpcStatus.
//
//   SEIMBANG_RETURN_IF_ERROR(repo.Insert(row));
//   SEIMBANG_ASSIGN_OR_RETURN(Plan plan, repo.LoadPlan(id));
//   SEIMBANG_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, params));

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SEIMBANG_RETURN_IF_ERROR(expr)                                      \
  do {                                                                      \
    if (::absl::Status seimbang_status_ = (expr); !seimbang_status_.ok()) { \
      return seimbang_status_;                                              \
    }                                                                       \
  } while (0)

#define SEIMBANG_STATUS_CONCAT_INNER_(a, b) a##b
#define SEIMBANG_STATUS_CONCAT_(a, b) SEIMBANG_STATUS_CONCAT_INNER_(a, b)

#define SEIMBANG_ASSIGN_OR_RETURN(lhs, expr)                                                     \
  SEIMBANG_ASSIGN_OR_RETURN_IMPL_(SEIMBANG_STATUS_CONCAT_(seimbang_statusor_, __COUNTER__), lhs, \
                                  expr)

#define SEIMBANG_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = *std::move(statusor)

#endif  // SEIMBANG_COMMON_ERRORS_STATUS_MACROS_H_
