#include "common/server/strict_read.h"

namespace seimbang::server::internal {
namespace {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-template-friend"
using PluckMember = bool (grpc::CompletionQueue::*)(grpc::internal::CompletionQueueTag*);
struct PluckTag {
  friend PluckMember PluckMemberOf(PluckTag);
};
template <PluckMember M>
struct PluckAccess {
  friend PluckMember PluckMemberOf(PluckTag) { return M; }
};
#pragma GCC diagnostic pop

// The explicit instantiation may name the private member ([temp.explicit]).
template struct PluckAccess<&grpc::CompletionQueue::Pluck>;

}  // namespace

bool Pluck(grpc::CompletionQueue* cq, grpc::internal::CompletionQueueTag* tag) {
  return (cq->*PluckMemberOf(PluckTag{}))(tag);
}

}  // namespace seimbang::server::internal
