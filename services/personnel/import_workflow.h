// ImportRecords' use case: a client stream of agency, unit, position and employee rows, applied by
// the Importer (importer.h) and made visible only once the stream ended with the client's
// half-close. With options.request_id (and not a dry run) the stream is idempotent: a replay of
// the same stream reports the first run's summary and applies nothing.
#ifndef SEIMBANG_SERVICES_PERSONNEL_IMPORT_WORKFLOW_H_
#define SEIMBANG_SERVICES_PERSONNEL_IMPORT_WORKFLOW_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/domain/date.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "services/personnel/repository.h"
#include "services/personnel/workflow_support.h"

namespace seimbang::personnel {

// The stream as the workflow reads it.
struct ImportStream {
  // True with the next message, false at the client's half-close; CANCELLED or INVALID_ARGUMENT
  // (a message that does not parse) end the import with nothing applied.
  std::function<absl::StatusOr<bool>(pv1::ImportRecordsRequest*)> read;
  std::function<bool()> cancelled;  // ended without the half-close (cancel, deadline, shutdown)
};

// CANCELLED (nothing applied) when the stream ends without the client's half-close.
[[nodiscard]] absl::Status ImportRecords(Repository& repo, const Call& call,
                                         const domain::Date& today, const ImportStream& in,
                                         pv1::ImportRecordsResponse* resp);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_IMPORT_WORKFLOW_H_
