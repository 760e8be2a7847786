// Digests that make an analysis run reproducible: the input version names exactly
// which workload definitions and demand signals a run used.
#ifndef SEIMBANG_SERVICES_WORKLOAD_DIGEST_H_
#define SEIMBANG_SERVICES_WORKLOAD_DIGEST_H_

#include <string>
#include <string_view>
#include <vector>

#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

// Lower-case hex SHA-256.
[[nodiscard]] std::string Sha256Hex(std::string_view bytes);

// printf's %a of `v` (exact: every bit of the double, as glibc writes it: "0x1.8p+1", "0x0p+0",
// subnormals as "0x0.<digits>p-1022", "inf", "nan"), appended to `out`. The input version's
// text is written with it; snprintf's own parsing cost 5% of a national analysis.
void AppendHexFloat(double v, std::string& out);

// SHA-256 over the workloads (key, job family, tasks) and signals (key, count) in the
// order given (the repository's key order), so equal inputs give equal versions.
[[nodiscard]] std::string InputVersion(const std::vector<StoredWorkload>& workloads,
                                       const std::vector<pb::DemandSignal>& signals);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_DIGEST_H_
