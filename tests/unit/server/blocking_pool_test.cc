#include "common/server/blocking_pool.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace seimbang::server {
namespace {

TEST(BlockingPool, RunsEveryTaskOnAtMostItsBoundOfThreads) {
  std::atomic<int> ran{0};
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  absl::Notification release;
  {
    BlockingPool pool(3);
    EXPECT_EQ(pool.threads(), 0) << "threads start on demand";
    for (int i = 0; i < 10; ++i) {
      pool.Run([&] {
        const int now = ++running;
        for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
        }
        release.WaitForNotificationWithTimeout(absl::Seconds(10));
        --running;
        ++ran;
      });
    }
    // Three tasks block; the other seven wait their turn rather than start more threads.
    const absl::Time until = absl::Now() + absl::Seconds(10);
    while (running.load() < 3 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(1));
    EXPECT_EQ(running.load(), 3);
    EXPECT_EQ(pool.threads(), 3);
    release.Notify();
  }  // the destructor runs what is queued, then joins
  EXPECT_EQ(ran.load(), 10);
  EXPECT_EQ(most.load(), 3);
}

TEST(BlockingPool, AnIdleThreadTakesTheNextTaskInsteadOfANewThread) {
  BlockingPool pool(8);
  for (int i = 0; i < 20; ++i) {
    absl::Notification done;
    pool.Run([&] { done.Notify(); });
    ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
    // The one thread is back waiting before the next task (it marks itself idle under the
    // lock the next Run takes), so one call at a time never needs a second thread.
    const absl::Time until = absl::Now() + absl::Seconds(10);
    while (pool.idle_threads() < 1 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(pool.threads(), 1);
}

TEST(BlockingPool, ABoundBelowOneIsOne) {
  std::atomic<int> ran{0};
  {
    BlockingPool pool(0);
    for (int i = 0; i < 5; ++i) pool.Run([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 5);
}

}  // namespace
}  // namespace seimbang::server
