#include "common/server/allocator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace seimbang::server {
namespace {

int64_t ResidentBytes() {
  long pages_total = 0;
  long pages_resident = 0;
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return -1;
  const int n = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  if (n != 2) return -1;
  return static_cast<int64_t>(pages_resident) * sysconf(_SC_PAGESIZE);
}

TEST(MallocArenaLimitTest, LimitsArenasToTwoWhenTheEnvironmentSaysNothing) {
  EXPECT_EQ(MallocArenaLimit(nullptr), std::optional<int>(2));
  EXPECT_EQ(MallocArenaLimit(""), std::optional<int>(2));
}

TEST(MallocArenaLimitTest, LeavesAnOperatorsMallocArenaMaxToGlibc) {
  EXPECT_EQ(MallocArenaLimit("8"), std::nullopt);
  EXPECT_EQ(MallocArenaLimit("1"), std::nullopt);
}

TEST(ConfigureAllocatorTest, KeepsMallocWorking) {
  ConfigureAllocator();
  auto block = std::make_unique<char[]>(1 << 20);
  std::memset(block.get(), 1, 1 << 20);
  EXPECT_EQ(block[(1 << 20) - 1], 1);
}

#if defined(__GLIBC__)
// The shape that made workload-service grow: a large working set of small
// objects, freed except for a few survivors that pin the heap's top, so glibc
// cannot shrink the heap by itself.
TEST(ReleaseFreeMemoryTest, ReturnsTheFreedPagesOfAFragmentedHeapToTheOs) {
  constexpr size_t kBlocks = 256 * 1024;
  constexpr size_t kBlockBytes = 256;  // 64 MiB in all
  std::vector<char*> blocks(kBlocks);
  for (char*& b : blocks) {
    b = static_cast<char*>(std::malloc(kBlockBytes));
    std::memset(b, 7, kBlockBytes);  // make the pages resident
  }
  for (size_t i = 0; i < kBlocks; ++i) {
    if (i % 32 != 31) {
      std::free(blocks[i]);
      blocks[i] = nullptr;
    }
  }
  const int64_t before = ResidentBytes();
  ReleaseFreeMemory();
  const int64_t after = ResidentBytes();
  ASSERT_GT(before, 0);
  EXPECT_GT(before - after, int64_t{24} << 20)
      << "resident " << (before >> 20) << " MiB before, " << (after >> 20) << " MiB after";
  for (char* b : blocks) std::free(b);
}

// A request that comes alone releases at once; one that follows within the interval does not,
// and the first after it does again. (The interval is long enough that no scheduling delay of a
// loaded machine lets the second call past it, and the third waits it out.)
TEST(ReleaseFreeMemoryAtMostEveryTest, ReleasesAtMostOncePerInterval) {
  constexpr absl::Duration kInterval = absl::Seconds(1);
  // An earlier test in this process may have released within the interval: wait it out.
  absl::SleepFor(kInterval);
  EXPECT_TRUE(ReleaseFreeMemoryAtMostEvery(kInterval));
  EXPECT_FALSE(ReleaseFreeMemoryAtMostEvery(kInterval));
  EXPECT_FALSE(ReleaseFreeMemoryAtMostEvery(absl::ZeroDuration()))
      << "the interval of the release before still runs";
  absl::SleepFor(kInterval + absl::Milliseconds(50));
  EXPECT_TRUE(ReleaseFreeMemoryAtMostEvery(kInterval));
}

// Of many threads asking at once, exactly one releases.
TEST(ReleaseFreeMemoryAtMostEveryTest, OneOfManyConcurrentCallersReleases) {
  constexpr absl::Duration kInterval = absl::Seconds(5);
  absl::SleepFor(absl::Milliseconds(1100));  // past the interval of the test before
  std::atomic<int> released{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (ReleaseFreeMemoryAtMostEvery(kInterval)) released.fetch_add(1);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(released.load(), 1);
}

// The same heap, released by the periodic releaser alone.
TEST(MemoryReleaserTest, HandsFreedPagesBackWithoutBeingAsked) {
  constexpr size_t kBlocks = 256 * 1024;
  constexpr size_t kBlockBytes = 256;
  std::vector<char*> blocks(kBlocks);
  for (char*& b : blocks) {
    b = static_cast<char*>(std::malloc(kBlockBytes));
    std::memset(b, 7, kBlockBytes);
  }
  for (size_t i = 0; i < kBlocks; ++i) {
    if (i % 32 != 31) {
      std::free(blocks[i]);
      blocks[i] = nullptr;
    }
  }
  const int64_t before = ResidentBytes();
  {
    MemoryReleaser releaser(absl::Milliseconds(20));
    for (int i = 0; i < 500 && releaser.rounds() < 2; ++i) usleep(10 * 1000);
    EXPECT_GE(releaser.rounds(), 2);
  }
  const int64_t after = ResidentBytes();
  EXPECT_GT(before - after, int64_t{24} << 20)
      << "resident " << (before >> 20) << " MiB before, " << (after >> 20) << " MiB after";
  for (char* b : blocks) std::free(b);
}
#endif

TEST(MemoryReleaserTest, StopsAtOnceWhenDestroyed) {
  const auto start = std::chrono::steady_clock::now();
  { MemoryReleaser releaser(absl::Hours(1)); }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace seimbang::server
