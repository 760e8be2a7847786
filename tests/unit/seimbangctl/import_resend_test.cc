// `seimbangctl import` and a stream cut off with UNAVAILABLE (issue 22): a connection a server
// closes at its maximum age can fail a stream that starts just then (grpc/grpc#31733). The
// contracts of ImportRecords and ImportWorkload say such a stream applied nothing, so the file is
// sent again from its start, once, after a line on stderr; a second UNAVAILABLE is the error it
// was. Against fakes of the two import streams on 127.0.0.1.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tools/seimbangctl/cli.h"
#include "tools/seimbangctl/import_rows.h"

namespace seimbang::ctl {
namespace {

namespace cv1 = seimbang::common::v1;
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;

// One fake import service's streams: the rows (sequences) each carried; the first `cut_off` end
// UNAVAILABLE "GOAWAY received" after being read, the others answer a summary counting their rows.
class Streams {
 public:
  explicit Streams(int cut_off) : cut_off_(cut_off) {}

  template <typename Req>
  grpc::Status Serve(grpc::ServerReader<Req>* reader, cv1::ImportSummary* summary) {
    std::vector<int64_t> rows;
    for (Req req; reader->Read(&req);) {
      if (req.sequence() > 0) rows.push_back(req.sequence());  // personnel's first: the options
    }
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back(rows);
    if (static_cast<int>(seen_.size()) <= cut_off_) {
      return {grpc::StatusCode::UNAVAILABLE, "GOAWAY received"};
    }
    summary->set_received(static_cast<int64_t>(rows.size()));
    summary->set_inserted(static_cast<int64_t>(rows.size()));
    return grpc::Status::OK;
  }
  std::vector<std::vector<int64_t>> Seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  const int cut_off_;
  std::mutex mu_;
  std::vector<std::vector<int64_t>> seen_;
};

// The file the test cuts off: its rows (lines 2 and 3), and which service takes it.
struct Case {
  std::string kind;  // agencies (personnel's first stream) or workloads
  std::vector<std::string> rows;
};
const std::vector<Case>& Cases() {
  static const auto* cases = new std::vector<Case>{
      {"agencies", {"73.71,Kota Makassar,city", "73.72,Kabupaten Gowa,regency"}},
      {"workloads",
       {"73.71,34,JF-TJJ-AP,Menyusun,2,month,240", "73.71,34,JF-TJJ-AP,Mengawasi,1,week,60"}},
  };
  return *cases;
}

// Personnel's and workload's import streams in one fake on 127.0.0.1, on a port the OS picks;
// the first `cut_off` streams of the case's service end UNAVAILABLE (the other's all succeed).
class FakeImports final : public pv1::PersonnelService::Service,
                          public wv1::WorkloadAnalysisService::Service {
 public:
  FakeImports(const Case& c, int cut_off)
      : personnel_(c.kind == "agencies" ? cut_off : 0),
        workload_(c.kind == "workloads" ? cut_off : 0),
        cut_(c.kind == "agencies" ? personnel_ : workload_) {
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    b.RegisterService(static_cast<pv1::PersonnelService::Service*>(this));
    b.RegisterService(static_cast<wv1::WorkloadAnalysisService::Service*>(this));
    server_ = b.BuildAndStart();
  }
  ~FakeImports() override { server_->Shutdown(); }

  grpc::Status ImportRecords(grpc::ServerContext*,
                             grpc::ServerReader<pv1::ImportRecordsRequest>* reader,
                             pv1::ImportRecordsResponse* resp) override {
    return personnel_.Serve(reader, resp->mutable_summary());
  }
  grpc::Status ImportWorkload(grpc::ServerContext*,
                              grpc::ServerReader<wv1::ImportWorkloadRequest>* reader,
                              wv1::ImportWorkloadResponse* resp) override {
    return workload_.Serve(reader, resp->mutable_summary());
  }

  std::map<std::string, std::string> Env(const std::string& lang) const {
    const std::string address = absl::StrCat("127.0.0.1:", port_);
    std::map<std::string, std::string> env = {{"SEIMBANG_PERSONNEL_ADDR", address},
                                              {"SEIMBANG_WORKLOAD_ADDR", address},
                                              {"SEIMBANG_TOKEN", "t"}};
    if (!lang.empty()) env["SEIMBANG_LANG"] = lang;  // else the default, Indonesian
    return env;
  }
  // The streams of the service the case cuts off.
  std::vector<std::vector<int64_t>> Seen() { return cut_.Seen(); }

 private:
  Streams personnel_, workload_;
  Streams& cut_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// A dataset whose every file is its header alone but the case's, which has the case's rows; a
// directory of its own per test (ctest runs the tests side by side).
std::string WriteDataset(const Case& c) {
  const std::string dir =
      absl::StrCat(::testing::TempDir(), "/resend-",
                   ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-", c.kind);
  std::filesystem::create_directories(dir);
  for (const char* kind : {"agencies", "units", "positions", "employees", "workloads", "signals"}) {
    std::ofstream f(absl::StrCat(dir, "/", kind, ".csv"));
    f << absl::StrJoin(RequiredColumns(kind), ",") << "\n";
    if (kind == c.kind) f << absl::StrJoin(c.rows, "\n") << "\n";
  }
  return dir;
}

// The case's import against a fake that cuts off the first `cut_off` streams of its service:
// what seimbangctl printed and the rows of each stream that service saw.
struct Result {
  int code;
  std::string out, err;
  std::vector<std::vector<int64_t>> seen;
};
Result ImportCutOff(const Case& c, int cut_off, const std::string& lang = "en") {
  FakeImports fake(c, cut_off);
  std::ostringstream out, err;
  int code = RunCli({"import", WriteDataset(c)}, fake.Env(lang), out, err);
  return {code, out.str(), err.str(), fake.Seen()};
}

std::string ResendLine(const std::string& file) {
  return absl::StrCat("seimbangctl: the connection to the server was lost before the import of ",
                      file,
                      " was applied (UNAVAILABLE); nothing was applied, sending it again once\n");
}

TEST(CliImportResend, AStreamCutOffWithUnavailableIsSentAgainOnceFromItsStart) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.kind);
    const std::string file = c.kind + ".csv";
    Result r = ImportCutOff(c, /*cut_off=*/1);
    EXPECT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(r.err, ResendLine(file));
    // The summary is the second stream's, which carried the whole file again.
    EXPECT_TRUE(absl::StrContains(
        r.out, absl::StrCat(absl::StrFormat("%-14s ", file),
                            "received 2, inserted 2, updated 0, unchanged 0, rejected 0, "
                            "in conflict 0\n")))
        << r.out;
    ASSERT_GE(r.seen.size(), 2u);
    EXPECT_EQ(r.seen[0], (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(r.seen[1], (std::vector<int64_t>{2, 3}));
  }
}

TEST(CliImportResend, AStreamCutOffTwiceIsTheErrorItWasAfterExactlyTwoStreams) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.kind);
    const std::string file = c.kind + ".csv";
    Result r = ImportCutOff(c, /*cut_off=*/100);
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err.rfind(ResendLine(file), 0), 0u) << r.err;  // said once, first
    EXPECT_EQ(r.err.find(ResendLine(file), 1), std::string::npos) << r.err;
    EXPECT_TRUE(absl::StrContains(r.err, absl::StrCat("import of ", file))) << r.err;
    EXPECT_TRUE(absl::StrContains(r.err, "(UNAVAILABLE)")) << r.err;
    EXPECT_EQ(r.seen.size(), 2u);
  }
}

TEST(CliImportResend, TheResendLineIsIndonesianByDefault) {
  Result r = ImportCutOff(Cases()[0], /*cut_off=*/1, /*lang=*/"");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.err,
            "seimbangctl: koneksi ke server terputus sebelum impor agencies.csv diterapkan "
            "(UNAVAILABLE); tidak ada yang diterapkan, dikirim ulang sekali\n");
}

}  // namespace
}  // namespace seimbang::ctl
