#ifndef SEIMBANG_COMMON_SERVER_LIMITS_H_
#define SEIMBANG_COMMON_SERVER_LIMITS_H_

namespace seimbang::server {

// Message limits, shared by servers and the clients of MakeChannel. Bulk
// imports arrive as streams of small messages, so 16 MiB in is generous;
// large reads (plans, staffing snapshots) may reach 64 MiB out, so clients
// accept as much as servers may send.
inline constexpr int kMaxReceiveMessageBytes = 16 * 1024 * 1024;
inline constexpr int kMaxSendMessageBytes = 64 * 1024 * 1024;

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_LIMITS_H_
