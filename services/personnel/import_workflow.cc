#include "services/personnel/import_workflow.h"

#include <memory>
#include <string>
#include <utility>

#include "common/auth/caller.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/proto_convert/date.h"
#include "services/personnel/importer.h"
#include "services/personnel/permissions.h"

namespace seimbang::personnel {
namespace {

constexpr char kRpc[] = "ImportRecords";

absl::Status Cancelled() {
  return absl::CancelledError("import cancelled before the end of the stream; nothing was applied");
}

// The stream's fingerprint covers every message (options.request_id left out) and is known only
// at the end, so whether a response is stored under its request_id is asked first, before anything
// is applied (the upserts of a replay would otherwise run again).
void AddToFingerprint(idempotency::Fingerprint& fingerprint, const pv1::ImportRecordsRequest& msg) {
  if (!msg.has_options() || msg.options().request_id().empty()) return fingerprint.Add(msg);
  pv1::ImportRecordsRequest copy = msg;
  copy.mutable_options()->clear_request_id();
  fingerprint.Add(copy);
}

absl::StatusOr<bool> ImportIsStored(Repository& repo, const auth::Caller& caller,
                                    const pv1::ImportOptions& options) {
  if (options.request_id().empty() || options.dry_run()) return false;
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            idempotency::MakeKey(caller, MethodPath(kRpc), options.request_id(), "",
                                                 "options.request_id"));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  return idempotency::Stored(conn.get(), key);
}

// What the read loop leaves behind.
struct ReadStream {
  pv1::ImportOptions options;
  std::unique_ptr<Importer> importer;    // null when the stream had no message
  idempotency::Fingerprint fingerprint;  // the stream's idempotency key: over every message
  bool replay = false;  // a response is stored under the key: read the stream, apply nothing
};

// Reads the whole stream, handing each record to the importer (created by the first message, which
// may carry only the options).
absl::Status ReadAll(Repository& repo, const Call& call, const domain::Date& today,
                     const ImportStream& in, ReadStream& s) {
  const auth::Caller& caller = call.caller;
  pv1::ImportRecordsRequest msg;
  int64_t position = 0;
  for (;;) {
    SEIMBANG_ASSIGN_OR_RETURN(const bool more, in.read(&msg));
    if (!more) break;
    if (!s.importer) {
      if (msg.has_options()) s.options = msg.options();
      SEIMBANG_ASSIGN_OR_RETURN(s.replay, ImportIsStored(repo, caller, s.options));
      ImportScope scope;
      scope.agency = auth::SpansAllAgencies(caller) ? "" : caller.claims.agency;
      scope.may_write_positions = caller.claims.role == auth::Role::kAdmin;
      if (s.options.has_as_of()) {
        const domain::Date as_of = proto_convert::ToDomain(s.options.as_of());
        if (!domain::IsValidDate(as_of)) {
          return errors::InvalidArgument({{"options.as_of", "is not a valid date"}});
        }
        scope.as_of = as_of;
      }
      scope.override_transfers = s.options.override_transfers();
      s.importer = std::make_unique<Importer>(repo, std::move(scope),
                                              Audit(call, kRpc, s.options.request_id()), today,
                                              s.options.dry_run());
    }
    AddToFingerprint(s.fingerprint, msg);
    if (s.replay) continue;
    if (msg.record_case() == pv1::ImportRecordsRequest::RECORD_NOT_SET) {
      if (position == 0 && msg.has_options()) continue;  // the options-only first message
    }
    ++position;
    const int64_t sequence = msg.sequence() > 0 ? msg.sequence() : position;
    SEIMBANG_RETURN_IF_ERROR(s.importer->Add(sequence, std::move(msg)));
  }
  return absl::OkStatus();
}

// The first run's report, or INVALID_ARGUMENT when the key came with another stream.
absl::Status ReplayReport(Repository& repo, const idempotency::Key& key,
                          pv1::ImportRecordsResponse* resp) {
  std::function<absl::StatusOr<pv1::ImportRecordsResponse>(Tx&)> fn =
      [](Tx&) -> absl::StatusOr<pv1::ImportRecordsResponse> {
    return absl::AbortedError("the stored import report disappeared; send the import again");
  };
  return WriteAndParse(repo, key, fn, resp);
}

// Applies the rest, commits, and stores the report under the key (when there is one).
absl::Status FinishAndCommit(Repository& repo, const idempotency::Key& key, const ImportStream& in,
                             Importer& importer, pv1::ImportRecordsResponse* resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto summary, importer.Finish());
  // Again just before the commit: a cancel may be seen only some time after Read failed.
  if (in.cancelled()) return Cancelled();
  // Only now does any row of the stream become visible (Importer::Commit).
  SEIMBANG_RETURN_IF_ERROR(importer.Commit());
  *resp->mutable_summary() = summary;
  if (!key.enabled()) return absl::OkStatus();
  // Upserts are idempotent by nature; the stored response makes a replay report the first run.
  std::function<absl::StatusOr<pv1::ImportRecordsResponse>(Tx&)> fn =
      [&](Tx&) -> absl::StatusOr<pv1::ImportRecordsResponse> { return *resp; };
  return WriteAndParse(repo, key, fn, resp);
}

}  // namespace

absl::Status ImportRecords(Repository& repo, const Call& call, const domain::Date& today,
                           const ImportStream& in, pv1::ImportRecordsResponse* resp) {
  ReadStream s;
  SEIMBANG_RETURN_IF_ERROR(ReadAll(repo, call, today, in, s));
  // Issue 15 item 8: the stream ended without the client's half-close (cancel, deadline, lost
  // connection, server shutdown). The importer's open transactions roll back: nothing applied.
  if (in.cancelled()) return Cancelled();
  if (!s.importer) {
    s.importer =
        std::make_unique<Importer>(repo, ImportScope{}, Audit(call, kRpc, ""), today, true);
  }
  const bool keyed = !s.options.request_id().empty() && !s.options.dry_run();
  SEIMBANG_ASSIGN_OR_RETURN(
      auto key,
      idempotency::MakeKey(call.caller, MethodPath(kRpc), keyed ? s.options.request_id() : "",
                           s.fingerprint.Finish(), "options.request_id"));
  if (s.replay) return ReplayReport(repo, key, resp);
  return FinishAndCommit(repo, key, in, *s.importer, resp);
}

}  // namespace seimbang::personnel
