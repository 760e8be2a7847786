// Idempotent replay of a mutation, written once for the three services.
//
// A mutation that carries a request_id is stored under the key (scope, method, request_id)
// together with a fingerprint of its request; a later call with the same key gets the stored
// response only when its fingerprint matches, and INVALID_ARGUMENT otherwise. The scope comes
// from the caller, so another agency or another employee reusing the id never sees the stored
// response: the key differs and their call simply runs. See README.md.
#ifndef SEIMBANG_COMMON_IDEMPOTENCY_IDEMPOTENCY_H_
#define SEIMBANG_COMMON_IDEMPOTENCY_IDEMPOTENCY_H_

#include <google/protobuf/message.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/db/connection.h"
#include "common/db/pool.h"

namespace seimbang::idempotency {

// Longest request_id accepted, in bytes (the key column is sized for it).
inline constexpr size_t kMaxRequestIdBytes = 128;
// The message of the INVALID_ARGUMENT returned when a key comes back with another request.
inline constexpr char kReusedMessage[] = "request_id reused with a different request";

// The part of the key that names who may see a stored response:
//   operator, approver, viewer  "agency:<agency>"            (everyone acting for the agency)
//   employee                    "employee:<agency>:<nip>"    (the subject when the NIP is empty)
//   admin, service              "<role>:<subject>"           (global roles: each principal alone)
// Scopes longer than 255 bytes are replaced by "sha256:<hex>" of themselves.
[[nodiscard]] std::string ScopeOf(const auth::Caller& caller);

// INVALID_ARGUMENT "invalid argument: <field>: at most 128 bytes, got N" (with the field
// violation) for a request id too long to store; OK otherwise (empty = no idempotency).
[[nodiscard]] absl::Status ValidateRequestId(std::string_view request_id,
                                             std::string_view field = "request_id");

// SHA-256 over the deterministic serialization of one or more messages (a client stream adds
// each message in order), each with its top-level `request_id` field cleared, so the key's own
// id is not part of what it identifies. Lengths are framed: [a][bc] differs from [ab][c].
class Fingerprint {
 public:
  Fingerprint();
  ~Fingerprint();
  Fingerprint(const Fingerprint&) = delete;
  Fingerprint& operator=(const Fingerprint&) = delete;

  void Add(const google::protobuf::Message& message);
  // 64 lowercase hex digits. Call once.
  [[nodiscard]] std::string Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Fingerprint of one request message.
[[nodiscard]] std::string FingerprintOf(const google::protobuf::Message& request);

struct Key {
  std::string scope;
  std::string method;  // the full gRPC path, "/seimbang.personnel.v1.PersonnelService/CreateUnit"
  std::string request_id;
  std::string fingerprint;

  // A request without a request_id is not idempotent: it runs every time, nothing is stored.
  bool enabled() const { return !request_id.empty(); }
};

// The key of a request whose message has a top-level `string request_id` field (every unary
// mutation of the three services): scope from the caller, fingerprint of the message.
// INVALID_ARGUMENT when the request_id is too long.
[[nodiscard]] absl::StatusOr<Key> KeyFor(const auth::Caller& caller, std::string method,
                                         const google::protobuf::Message& request);

// The same from parts, for requests that are not one message (client streams fingerprint their
// messages with Fingerprint). `field` names the request_id in the error.
[[nodiscard]] absl::StatusOr<Key> MakeKey(const auth::Caller& caller, std::string method,
                                          std::string request_id, std::string fingerprint,
                                          std::string_view field = "request_id");

// Inside the caller's transaction: the response stored under `key`, nullopt when none (or the
// key is disabled), INVALID_ARGUMENT kReusedMessage when it was stored for another request.
[[nodiscard]] absl::StatusOr<std::optional<std::string>> Find(db::Connection& conn, const Key& key);
// Whether a response is stored under the key's scope, method and request_id, whatever its
// fingerprint (false for a disabled key): a client stream asks before it applies anything, since
// its fingerprint is known only at its end.
[[nodiscard]] absl::StatusOr<bool> Stored(db::Connection& conn, const Key& key);
// Inside the caller's transaction, after the write: stores `response` under `key` (nothing for
// a disabled key). ALREADY_EXISTS when a concurrent twin stored it first.
[[nodiscard]] absl::Status Save(db::Connection& conn, const Key& key, std::string_view response);

struct Result {
  std::string response;
  bool replayed = false;
};

// Runs `fn` in one transaction (db::WithTransaction) and stores its response bytes under `key`
// in the same transaction; when a response is stored already, returns it instead and `fn` does
// not run. A concurrent duplicate that loses the race on the key (ALREADY_EXISTS, from the
// insert or from `fn`'s own unique keys) is rerun once, so it gets the winner's response.
[[nodiscard]] absl::StatusOr<Result> Run(
    db::Pool& pool, const Key& key,
    const std::function<absl::StatusOr<std::string>(db::Connection&)>& fn);

// The same for a protobuf response: `fn` fills `response` (cleared before each attempt); a
// replay parses the stored one into it. `replayed`, when given, says which happened.
[[nodiscard]] absl::Status Run(db::Pool& pool, const Key& key, google::protobuf::Message& response,
                               const std::function<absl::Status(db::Connection&)>& fn,
                               bool* replayed = nullptr);

}  // namespace seimbang::idempotency

#endif  // SEIMBANG_COMMON_IDEMPOTENCY_IDEMPOTENCY_H_
