#include "common/paging/page_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"

namespace seimbang::paging {
namespace {

// Token bytes: version (1) | nonce (12) | AES-256-GCM ciphertext | tag (16).
// Plaintext: fingerprint (16) | part count (1) | per part: length (2, big endian)
// and bytes | zero padding to a multiple of 64, so the length hides how long
// the key is.
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr size_t kFingerprintBytes = 16;
constexpr size_t kPadTo = 64;
constexpr size_t kMaxParts = 16;
constexpr char kAad[] = "seimbang/page-token";
constexpr char kHkdfSalt[] = "seimbang page token v1";
constexpr size_t kMinSecretBytes = 16;

absl::Status NotAToken() {
  return errors::InvalidArgument({{kPageTokenField, "is not a valid page token"}});
}

absl::Status OtherQuery() {
  return errors::InvalidArgument(
      {{kPageTokenField,
        "belongs to another query; keep the method, filters and caller of the first page"}});
}

std::array<unsigned char, kFingerprintBytes> Fingerprint(const PageQuery& q) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(q.canonical().data()), q.canonical().size(),
         digest);
  std::array<unsigned char, kFingerprintBytes> out;
  std::memcpy(out.data(), digest, out.size());
  return out;
}

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

std::string Aad() {
  std::string aad(kAad);
  aad.push_back(static_cast<char>(kTokenVersion));
  return aad;
}

// AES-256-GCM with the token's nonce and AAD, by OpenSSL's EVP_Cipher* calls, which encrypt
// or decrypt by `encrypt`: `in_len` bytes of `in` into `out`, the tag read from (decrypt) or
// written to (encrypt) `tag`. False on any failure, on decryption a tag that does not match.
bool AesGcm(bool encrypt, const std::array<unsigned char, 32>& key, const unsigned char* nonce,
            const unsigned char* in, size_t in_len, unsigned char* out, unsigned char* tag) {
  const int enc = encrypt ? 1 : 0;
  const std::string aad = Aad();
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  return ctx &&
         EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, enc) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
         EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce, enc) == 1 &&
         EVP_CipherUpdate(ctx.get(), nullptr, &len,
                          reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
         EVP_CipherUpdate(ctx.get(), out, &len, in, static_cast<int>(in_len)) == 1 &&
         (encrypt || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag) == 1) &&
         EVP_CipherFinal_ex(ctx.get(), out + len, &len) == 1 &&
         (!encrypt || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) == 1);
}

// HMAC-SHA256(key, data).
std::array<unsigned char, 32> Hmac(std::string_view key, std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

std::string_view View(const std::array<unsigned char, 32>& a) {
  return std::string_view(reinterpret_cast<const char*>(a.data()), a.size());
}

}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested == 0) return kDefaultPageSize;
  if (requested < 0 || requested > kMaxPageSize) {
    return errors::InvalidArgument(
        {{kPageSizeField, absl::StrCat("must be between 0 and ", kMaxPageSize, " (0 means ",
                                       kDefaultPageSize, "), got ", requested)}});
  }
  return requested;
}

PageQuery::PageQuery(std::string_view method) {
  absl::StrAppend(&canonical_, "m", method.size(), ":",
                  absl::string_view(method.data(), method.size()));
}

PageQuery& PageQuery::Add(std::string_view field, std::string_view value) {
  absl::StrAppend(&canonical_, ";f", field.size(), ":",
                  absl::string_view(field.data(), field.size()), "=s", value.size(), ":",
                  absl::string_view(value.data(), value.size()));
  return *this;
}

PageQuery& PageQuery::Add(std::string_view field, int64_t value) {
  absl::StrAppend(&canonical_, ";f", field.size(), ":",
                  absl::string_view(field.data(), field.size()), "=i", value);
  return *this;
}

PageQuery& PageQuery::Scope(std::string_view role, std::string_view agency, std::string_view nip,
                            std::string_view subject) {
  return Add("caller.role", role)
      .Add("caller.agency", agency)
      .Add("caller.nip", nip)
      .Add("caller.subject", subject);
}

PageTokens PageTokens::WithRandomKey() {
  Key key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) std::abort();
  return PageTokens(key);
}

absl::StatusOr<PageTokens> PageTokens::FromSecret(std::string_view secret,
                                                  std::string_view context) {
  if (secret.size() < kMinSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the page token secret must be at least ", kMinSecretBytes, " bytes"));
  }
  // HKDF (RFC 5869) with SHA-256, one output block.
  const auto prk = Hmac(kHkdfSalt, secret);
  std::string info(context);
  info.push_back('\x01');
  const auto okm = Hmac(View(prk), info);
  Key key{};
  std::memcpy(key.data(), okm.data(), key.size());
  return PageTokens(key);
}

std::string PageTokens::Encode(const PageQuery& query,
                               const std::vector<std::string>& cursor) const {
  std::string plain;
  const auto fp = Fingerprint(query);
  plain.append(reinterpret_cast<const char*>(fp.data()), fp.size());
  plain.push_back(static_cast<char>(cursor.size()));
  for (const std::string& part : cursor) {
    plain.push_back(static_cast<char>((part.size() >> 8) & 0xff));
    plain.push_back(static_cast<char>(part.size() & 0xff));
    plain.append(part);
  }
  plain.resize((plain.size() + kPadTo - 1) / kPadTo * kPadTo, '\0');

  std::string out(1 + kNonceBytes + plain.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  bytes[0] = kTokenVersion;
  if (RAND_bytes(bytes + 1, kNonceBytes) != 1) std::abort();
  if (!AesGcm(true, key_, bytes + 1, reinterpret_cast<const unsigned char*>(plain.data()),
              plain.size(), bytes + 1 + kNonceBytes, bytes + 1 + kNonceBytes + plain.size())) {
    std::abort();  // only on allocation failure inside OpenSSL
  }
  return absl::WebSafeBase64Escape(out);
}

absl::StatusOr<std::vector<std::string>> PageTokens::Decode(const PageQuery& query,
                                                            std::string_view token,
                                                            size_t cursor_parts) const {
  if (token.empty()) return std::vector<std::string>{};
  if (token.size() > kMaxTokenChars) return NotAToken();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw)) {
    return NotAToken();
  }
  if (raw.size() < 1 + kNonceBytes + kPadTo + kTagBytes) return NotAToken();
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  if (bytes[0] != kTokenVersion) return NotAToken();
  const size_t cipher_len = raw.size() - 1 - kNonceBytes - kTagBytes;
  if (cipher_len % kPadTo != 0) return NotAToken();

  std::string plain(cipher_len, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  std::array<unsigned char, kTagBytes> tag;
  std::memcpy(tag.data(), bytes + 1 + kNonceBytes + cipher_len, kTagBytes);
  if (!AesGcm(false, key_, bytes + 1, bytes + 1 + kNonceBytes, cipher_len, out, tag.data())) {
    return NotAToken();  // tampered, truncated, forged or another key
  }

  const auto fp = Fingerprint(query);
  if (std::memcmp(plain.data(), fp.data(), fp.size()) != 0) return OtherQuery();
  size_t at = kFingerprintBytes;
  const size_t parts = static_cast<unsigned char>(plain[at++]);
  if (parts != cursor_parts || parts > kMaxParts) return NotAToken();
  std::vector<std::string> cursor;
  cursor.reserve(parts);
  for (size_t i = 0; i < parts; ++i) {
    if (at + 2 > plain.size()) return NotAToken();
    const size_t n = (static_cast<size_t>(static_cast<unsigned char>(plain[at])) << 8) |
                     static_cast<unsigned char>(plain[at + 1]);
    at += 2;
    if (at + n > plain.size()) return NotAToken();
    cursor.emplace_back(plain, at, n);
    at += n;
  }
  for (; at < plain.size(); ++at) {
    if (plain[at] != '\0') return NotAToken();
  }
  return cursor;
}

namespace {
std::mutex& ProcessMutex() {
  static std::mutex m;
  return m;
}
std::optional<PageTokens>& ProcessSlot() {
  static std::optional<PageTokens> slot;
  return slot;
}
}  // namespace

void SetProcessPageTokens(const PageTokens& tokens) {
  std::lock_guard<std::mutex> lock(ProcessMutex());
  ProcessSlot() = tokens;
}

PageTokens ProcessPageTokens() {
  std::lock_guard<std::mutex> lock(ProcessMutex());
  if (!ProcessSlot().has_value()) ProcessSlot() = PageTokens::WithRandomKey();
  return *ProcessSlot();
}

absl::StatusOr<PageStart> StartPage(const PageQuery& query, int page_size,
                                    std::string_view page_token, size_t cursor_parts) {
  absl::StatusOr<int> size = EffectivePageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<std::vector<std::string>> after =
      ProcessPageTokens().Decode(query, page_token, cursor_parts);
  if (!after.ok()) return after.status();
  return PageStart{*size, *std::move(after)};
}

absl::StatusOr<int64_t> CursorInt(std::string_view part) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(absl::string_view(part.data(), part.size()), &v)) return NotAToken();
  return v;
}

std::string NextPageToken(const PageQuery& query, const std::vector<std::string>& cursor) {
  return ProcessPageTokens().Encode(query, cursor);
}

}  // namespace seimbang::paging
