// The call a personnel workflow serves: server::Call (common/server/call.h: who calls, the
// caller's x-request-id, which joins audit rows to their logs, the deadline and the token),
// built once per call by the handlers of service.cc (server::Serve, CallbackMethods).
#ifndef SEIMBANG_SERVICES_PERSONNEL_CALL_H_
#define SEIMBANG_SERVICES_PERSONNEL_CALL_H_

#include "common/server/call.h"

namespace seimbang::personnel {

using Call = server::Call;

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_CALL_H_
