#ifndef SEIMBANG_COMMON_SERVER_LIMITS_H_
#define SEIMBANG_COMMON_SERVER_LIMITS_H_

namespace seimbang::server {

// Message limits, shared by servers and the clients of MakeChannel. Bulk
// imports arrive as streams of small messages, so 16 MiB in is generous;
// large reads (plans, staffing snapshots) may reach 64 MiB out, so clients
// accept as much as servers may send.
inline constexpr int kMaxReceiveMessageBytes = 16 * 1024 * 1024;
inline constexpr int kMaxSendMessageBytes = 64 * 1024 * 1024;

// Per caller (token subject), per server process: calls in flight (streams included) and
// streaming calls open at once; beyond either, RESOURCE_EXHAUSTED before the handler. An
// unread server stream holds a thread and ~1.5 MiB, so one greedy or stuck client must not
// take them all. The service role (transfer and workload calling personnel, every replica
// under one subject) gets more. 0: no limit. Flags: --caller-max-calls and friends.
struct CallerLimits {
  int max_calls = 64;
  int max_streams = 8;
  int service_max_calls = 512;
  int service_max_streams = 64;
};

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_LIMITS_H_
