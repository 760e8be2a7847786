#include "common/server/blocking_pool.h"

#include <algorithm>
#include <utility>

namespace seimbang::server {

BlockingPool::BlockingPool(int max_threads) : max_threads_(std::max(1, max_threads)) {}

BlockingPool::~BlockingPool() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

void BlockingPool::Run(absl::AnyInvocable<void() &&> task) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(task));
  // An idle thread wakes on the unlock (its Await condition now holds); start one only when
  // every thread is busy.
  if (idle_ < static_cast<int>(queue_.size()) && static_cast<int>(threads_.size()) < max_threads_) {
    threads_.emplace_back([this] { Work(); });
  }
}

bool BlockingPool::HasWorkOrStops() const { return stopping_ || !queue_.empty(); }

int BlockingPool::threads() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(threads_.size());
}

int BlockingPool::idle_threads() const {
  absl::MutexLock lock(&mu_);
  return idle_;
}

void BlockingPool::Work() {
  absl::MutexLock lock(&mu_);
  for (;;) {
    ++idle_;
    mu_.Await(absl::Condition(this, &BlockingPool::HasWorkOrStops));
    --idle_;
    if (queue_.empty()) return;  // stopping, and nothing left to run
    absl::AnyInvocable<void()&&> task = std::move(queue_.front());
    queue_.pop_front();
    mu_.Unlock();
    std::move(task)();
    mu_.Lock();
  }
}

}  // namespace seimbang::server
