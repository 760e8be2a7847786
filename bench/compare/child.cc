#include "bench/compare/child.h"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace seimbang::bench {

ChildRun RunInChild(const std::function<std::string()>& work, const ChildLimits& limits) {
  ChildRun run;
  int fds[2];
  if (pipe(fds) != 0) {
    run.failure = absl::StrCat("pipe: ", std::strerror(errno));
    return run;
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    run.failure = absl::StrCat("fork: ", std::strerror(errno));
    return run;
  }
  if (pid == 0) {
    close(fds[0]);
    setpgid(0, 0);
    if (limits.address_bytes > 0) {
      const rlimit rl{static_cast<rlim_t>(limits.address_bytes),
                      static_cast<rlim_t>(limits.address_bytes)};
      setrlimit(RLIMIT_AS, &rl);
    }
    const std::string out = work();
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0) _exit(2);
      done += static_cast<size_t>(n);
    }
    std::fflush(nullptr);
    _exit(0);
  }
  close(fds[1]);
  setpgid(pid, pid);  // also from here, so the kill below cannot miss
  const auto start = std::chrono::steady_clock::now();
  char buf[4096];
  for (;;) {
    int wait_ms = -1;
    if (limits.seconds > 0) {
      const double left =
          limits.seconds -
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) {
        run.timed_out = true;
        kill(-pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(left * 1000) + 1;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int r = poll(&p, 1, wait_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;  // re-check the deadline
    const ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    run.payload.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  run.max_rss_kib = usage.ru_maxrss;
  if (run.timed_out) {
    run.failure = absl::StrCat("time limit ", limits.seconds, " s");
  } else if (WIFSIGNALED(status)) {
    run.failure = absl::StrCat("signal ", WTERMSIG(status));
  } else if (WEXITSTATUS(status) != 0) {
    run.failure = absl::StrCat("exit ", WEXITSTATUS(status));
  } else {
    run.finished = true;
  }
  return run;
}

double CpuSeconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage u{};
    getrusage(who, &u);
    total +=
        u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  }
  return total;
}

int64_t CurrentRssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return 0;
}

}  // namespace seimbang::bench
