// The call a workload workflow serves: server::Call (common/server/call.h: who calls, the
// caller's x-request-id, the deadline, and the token personnel is shown, the service's own
// when it has one), built once per call by WorkloadService::Serve (service.h).
#ifndef SEIMBANG_SERVICES_WORKLOAD_CALL_H_
#define SEIMBANG_SERVICES_WORKLOAD_CALL_H_

#include "common/server/call.h"

namespace seimbang::workload {

using Call = server::Call;

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_CALL_H_
