#include "common/idempotency/idempotency.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdint>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"

namespace seimbang::idempotency {
namespace {

constexpr size_t kMaxScopeBytes = 255;

std::string Hex(const unsigned char* bytes, size_t n) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), static_cast<size_t>(n)));
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof digest);
}

// Deterministic bytes of `message` without its top-level request_id.
std::string CanonicalBytes(const google::protobuf::Message& message) {
  const google::protobuf::Message* m = &message;
  std::unique_ptr<google::protobuf::Message> copy;
  const google::protobuf::FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr && !field->is_repeated() &&
      field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
      message.GetReflection()->HasField(message, field)) {
    copy.reset(message.New());
    copy->CopyFrom(message);
    copy->GetReflection()->ClearField(copy.get(), field);
    m = copy.get();
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    m->SerializeToCodedStream(&coded);
  }
  return bytes;
}

// The stored request differs: the caller's own mistake, never someone else's data.
absl::Status Reused() {
  absl::Status with_violation =
      errors::InvalidArgument({{"request_id", "reused with a different request"}});
  absl::Status s = absl::InvalidArgumentError(kReusedMessage);
  with_violation.ForEachPayload(
      [&s](absl::string_view url, const absl::Cord& payload) { s.SetPayload(url, payload); });
  return s;
}

}  // namespace

std::string ScopeOf(const auth::Caller& caller) {
  const auth::Claims& c = caller.claims;
  std::string scope;
  switch (c.role) {
    case auth::Role::kAdmin:
    case auth::Role::kService:
      scope = absl::StrCat(std::string(auth::RoleName(c.role)), ":", c.subject);
      break;
    case auth::Role::kEmployee:
      scope = absl::StrCat("employee:", c.agency, ":", c.nip.empty() ? c.subject : c.nip);
      break;
    case auth::Role::kOperator:
    case auth::Role::kApprover:
    case auth::Role::kViewer:
      scope = absl::StrCat("agency:", c.agency);
      break;
  }
  if (scope.size() > kMaxScopeBytes) scope = absl::StrCat("sha256:", Sha256Hex(scope));
  return scope;
}

absl::Status ValidateRequestId(std::string_view request_id, std::string_view field) {
  if (request_id.size() <= kMaxRequestIdBytes) return absl::OkStatus();
  return errors::InvalidArgument(
      {{std::string(field),
        absl::StrCat("at most ", kMaxRequestIdBytes, " bytes, got ", request_id.size())}});
}

// ------------------------------------------------------------------ Fingerprint

struct Fingerprint::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Fingerprint::Fingerprint() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr);
}

Fingerprint::~Fingerprint() = default;

void Fingerprint::Add(const google::protobuf::Message& message) {
  const std::string& type = message.GetDescriptor()->full_name();
  const std::string bytes = CanonicalBytes(message);
  for (const std::string* part : {&type, &bytes}) {
    unsigned char len[8];
    uint64_t n = part->size();
    for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
    EVP_DigestUpdate(state_->ctx, len, sizeof len);
    EVP_DigestUpdate(state_->ctx, part->data(), part->size());
  }
}

std::string Fingerprint::Finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(state_->ctx, digest, &n);
  return Hex(digest, n);
}

std::string FingerprintOf(const google::protobuf::Message& request) {
  Fingerprint f;
  f.Add(request);
  return f.Finish();
}

// ------------------------------------------------------------------ keys

absl::StatusOr<Key> MakeKey(const auth::Caller& caller, std::string method, std::string request_id,
                            std::string fingerprint, std::string_view field) {
  if (absl::Status s = ValidateRequestId(request_id, field); !s.ok()) return s;
  return Key{ScopeOf(caller), std::move(method), std::move(request_id), std::move(fingerprint)};
}

absl::StatusOr<Key> KeyFor(const auth::Caller& caller, std::string method,
                           const google::protobuf::Message& request) {
  std::string request_id;
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr && !field->is_repeated() &&
      field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
    request_id = request.GetReflection()->GetString(request, field);
  }
  if (request_id.empty()) return Key{ScopeOf(caller), std::move(method), "", ""};
  return MakeKey(caller, std::move(method), std::move(request_id), FingerprintOf(request));
}

// ------------------------------------------------------------------ storage

absl::StatusOr<std::optional<std::string>> Find(db::Connection& conn, const Key& key) {
  if (!key.enabled()) return std::nullopt;
  auto row = conn.QueryOne(
      "SELECT fingerprint, response FROM idempotency_records "
      "WHERE scope = ? AND method = ? AND request_id = ?",
      {db::Text(key.scope), db::Text(key.method), db::Text(key.request_id)});
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  // An empty stored fingerprint never matches (rows that predate fingerprints).
  const std::string stored = (*row)->GetString(0);
  if (stored.empty() || stored != key.fingerprint) return Reused();
  std::string response;
  if (!absl::Base64Unescape((*row)->GetString(1), &response)) {
    return absl::InternalError("stored idempotent response is corrupt");
  }
  return response;
}

absl::StatusOr<bool> Stored(db::Connection& conn, const Key& key) {
  if (!key.enabled()) return false;
  auto row = conn.QueryOne(
      "SELECT 1 FROM idempotency_records WHERE scope = ? AND method = ? AND request_id = ?",
      {db::Text(key.scope), db::Text(key.method), db::Text(key.request_id)});
  if (!row.ok()) return row.status();
  return row->has_value();
}

absl::Status Save(db::Connection& conn, const Key& key, std::string_view response) {
  if (!key.enabled()) return absl::OkStatus();
  return conn
      .Execute(
          "INSERT INTO idempotency_records "
          "(scope, method, request_id, fingerprint, response, create_time_ms) "
          "VALUES (?,?,?,?,?,?)",
          {db::Text(key.scope), db::Text(key.method), db::Text(key.request_id),
           db::Text(key.fingerprint),
           db::Text(absl::Base64Escape(absl::string_view(response.data(), response.size()))),
           db::Int(db::NowUnixMillis())})
      .status();
}

absl::StatusOr<Result> Run(db::Pool& pool, const Key& key,
                           const std::function<absl::StatusOr<std::string>(db::Connection&)>& fn) {
  Result result;
  auto attempt = [&]() {
    return db::WithTransaction(pool, [&](db::Connection& conn) -> absl::Status {
      result = Result{};
      auto stored = Find(conn, key);
      if (!stored.ok()) return stored.status();
      if (stored->has_value()) {
        result.response = **std::move(stored);
        result.replayed = true;
        return absl::OkStatus();
      }
      auto response = fn(conn);
      if (!response.ok()) return response.status();
      result.response = *std::move(response);
      return Save(conn, key, result.response);
    });
  };
  absl::Status s = attempt();
  // A twin with the same key committed between our lookup and our insert (or took a unique
  // key fn needed): once more, and this time the lookup finds its response.
  if (absl::IsAlreadyExists(s) && key.enabled()) s = attempt();
  if (!s.ok()) return s;
  return result;
}

absl::Status Run(db::Pool& pool, const Key& key, google::protobuf::Message& response,
                 const std::function<absl::Status(db::Connection&)>& fn, bool* replayed) {
  auto result = Run(pool, key, [&](db::Connection& conn) -> absl::StatusOr<std::string> {
    response.Clear();
    if (absl::Status s = fn(conn); !s.ok()) return s;
    return response.SerializeAsString();
  });
  if (!result.ok()) return result.status();
  if (replayed != nullptr) *replayed = result->replayed;
  if (result->replayed) {
    response.Clear();
    if (!response.ParseFromString(result->response)) {
      return absl::InternalError("stored idempotent response is corrupt");
    }
  }
  return absl::OkStatus();
}

}  // namespace seimbang::idempotency
