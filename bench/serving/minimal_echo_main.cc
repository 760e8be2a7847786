// minimal-echo-server: the reference echo of serving_bench (reference_echo.h: gRPC's callback API,
// no interceptors, auth or logs) in a process of its own, so that the project's echo server,
// which always runs in its own process, can also be compared with a reference that pays the same
// process boundary. Started by serving_bench through the test harness's ServiceProcess, whose
// flags it accepts: --port-file=F and --metrics-port-file=F (both receive the one port; it has
// no metrics); every other flag is ignored. Listens on 127.0.0.1 at a port the OS picks, answers
// SERVING on the standard health service, and stops on SIGTERM or SIGINT.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "bench/serving/reference_echo.h"

int main(int argc, char** argv) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before gRPC starts its threads
  std::vector<std::string> port_files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    for (const char* flag : {"--port-file=", "--metrics-port-file="}) {
      if (absl::StartsWith(arg, flag)) port_files.push_back(arg.substr(std::string(flag).size()));
    }
  }
  auto server = seimbang::bench::ReferenceEchoServer::Start(/*with_health=*/true);
  if (!server.ok()) {
    std::fprintf(stderr, "minimal-echo-server: %s\n", server.status().ToString().c_str());
    return 1;
  }
  for (const std::string& f : port_files) std::ofstream(f) << (*server)->port() << "\n";
  int sig = 0;
  sigwait(&stop, &sig);
  return 0;
}
