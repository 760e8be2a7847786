// seimbang-datagen --profile makassar|province|national --seed N --out DIR
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "common/domain/date.h"
#include "tools/datagen/generator.h"

int main(int argc, char** argv) {
  using namespace seimbang;
  datagen::Options options;
  std::string profile = "makassar";
  auto usage = [] {
    std::fprintf(stderr,
                 "usage: seimbang-datagen --profile makassar|province|national --seed N --out DIR "
                 "[--as-of YYYY-MM-DD]\n");
    return 2;
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string value;
    auto take = [&](const std::string& name) {
      if (a == name && i + 1 < argc) {
        value = argv[++i];
        return true;
      }
      if (a.rfind(name + "=", 0) == 0) {
        value = a.substr(name.size() + 1);
        return true;
      }
      return false;
    };
    if (take("--profile")) {
      profile = value;
    } else if (take("--seed")) {
      if (!absl::SimpleAtoi(value, &options.seed)) return usage();
    } else if (take("--out")) {
      options.out_dir = value;
    } else if (take("--as-of")) {
      auto d = domain::ParseDate(value);
      if (!d.ok()) return usage();
      options.as_of = *d;
    } else {
      return usage();
    }
  }
  auto p = datagen::ParseProfile(profile);
  if (!p.ok() || options.out_dir.empty()) return usage();
  options.profile = *p;
  auto counts = datagen::Generate(options);
  if (!counts.ok()) {
    std::fprintf(stderr, "seimbang-datagen: %s\n", std::string(counts.status().message()).c_str());
    return 4;
  }
  std::printf(
      "%s: %lld agencies, %lld units, %lld positions, %lld employees, %lld workload tasks, "
      "%lld demand signals -> %s\n",
      profile.c_str(), (long long)counts->agencies, (long long)counts->units,
      (long long)counts->positions, (long long)counts->employees, (long long)counts->workload_rows,
      (long long)counts->signal_rows, options.out_dir.c_str());
  return 0;
}
