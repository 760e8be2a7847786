#ifndef SEIMBANG_COMMON_SERVER_STRICT_READ_H_
#define SEIMBANG_COMMON_SERVER_STRICT_READ_H_

// Reading a client stream so that a message that does not parse is told apart
// from the client's half-close.
//
// gRPC 1.51's ServerReader::Read answers false both when the client half-closes
// and when a message fails to parse (malformed bytes, invalid UTF-8 in a proto3
// string): an import would then take a bad message for the end of the stream
// and apply what came before it (issue 15 items 6 and 8). ReadStrict performs
// the same receive operation with AllowNoMessage, under which a clean end
// leaves the operation successful and only a parse failure (or a cancelled
// call) fails it.
//
// It needs the reader's call, which ServerReader keeps private. Like
// common/server/caller_limits.cc, it reaches it through an explicit template
// instantiation ([temp.explicit] allows naming a private member there); each
// request type read this way is declared once, at namespace scope, with
//   SEIMBANG_STRICT_READS(::seimbang::personnel::v1::ImportRecordsRequest);
// in the file that calls ReadStrict<R> (the access function is defined there).
// A gRPC that renames the member fails to compile, never misbehaves.

#include <grpc/grpc.h>
#include <grpcpp/impl/call_op_set.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/sync_stream.h>

#include <string>

#include "absl/status/statusor.h"

namespace seimbang::server {

enum class StreamRead {
  kMessage,    // `msg` holds the next message
  kEnd,        // the client half-closed: the stream is complete
  kCancelled,  // the call was cancelled (client cancel, deadline, lost connection)
  kMalformed,  // a message arrived that does not parse as R
};

namespace internal {

// The friend functions below are meant to be plain (non-template) functions,
// one per instantiation: that is how the explicit instantiation hands out the
// private member.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-template-friend"
template <class R>
struct ReaderCallTag {
  using Member = grpc::internal::Call* const grpc::ServerReader<R>::*;
  friend Member ReaderCallMember(ReaderCallTag);
};

template <class R, typename ReaderCallTag<R>::Member M>
struct ReaderCallAccess {
  friend typename ReaderCallTag<R>::Member ReaderCallMember(ReaderCallTag<R>) { return M; }
};
#pragma GCC diagnostic pop

// CompletionQueue::Pluck, which is private too (only gRPC's own stream
// classes call it); defined in strict_read.cc.
bool Pluck(grpc::CompletionQueue* cq, grpc::internal::CompletionQueueTag* tag);

}  // namespace internal

template <class R>
StreamRead ReadStrict(grpc::ServerReader<R>* reader, grpc::ServerContext* ctx, R* msg) {
  grpc::internal::Call* call = reader->*ReaderCallMember(internal::ReaderCallTag<R>{});
  grpc::internal::CallOpSet<grpc::internal::CallOpRecvMessage<R>> ops;
  ops.RecvMessage(msg);
  ops.AllowNoMessage();
  call->PerformOps(&ops);
  const bool ok = internal::Pluck(call->cq(), &ops);
  if (ok && ops.got_message) return StreamRead::kMessage;
  // A cancelled call may also end the receive without a message and without an error, like a
  // half-close: the call's own state tells them apart.
  if (ctx->IsCancelled() || grpc_call_failed_before_recv_message(ctx->c_call()) != 0) {
    return StreamRead::kCancelled;
  }
  return ok ? StreamRead::kEnd : StreamRead::kMalformed;
}

// The next message of a client stream for an import that must apply all or
// nothing: true with `msg` filled, false at the client's half-close, CANCELLED
// when the call ended without it, INVALID_ARGUMENT when a message does not
// parse. Both errors say that nothing was applied; the caller makes that true.
template <class R>
absl::StatusOr<bool> NextMessage(grpc::ServerReader<R>* reader, grpc::ServerContext* ctx, R* msg) {
  switch (ReadStrict(reader, ctx, msg)) {
    case StreamRead::kMessage:
      return true;
    case StreamRead::kEnd:
      return false;
    case StreamRead::kCancelled:
      return absl::CancelledError(
          "the stream ended before the client finished it; nothing of it was applied");
    case StreamRead::kMalformed:
      break;
  }
  return absl::InvalidArgumentError(
      std::string("a streamed message is not a valid ") + R::descriptor()->full_name() +
      " (malformed bytes or invalid UTF-8 in a string field); nothing of the stream was applied");
}

}  // namespace seimbang::server

#define SEIMBANG_STRICT_READS(R) \
  template struct ::seimbang::server::internal::ReaderCallAccess<R, &::grpc::ServerReader<R>::call_>

#endif  // SEIMBANG_COMMON_SERVER_STRICT_READ_H_
