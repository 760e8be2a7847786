// MariaDB killed (SIGKILL) and restarted under personnel-service while clients write: calls fail
// fast with UNAVAILABLE, health turns NOT_SERVING, the service recovers by itself and every
// write acknowledged OK survives. Uses its own private MariaDB, never the shared fixture's.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "tests/fault/fault_checks.h"
#include "tests/fault/fault_support.h"

namespace seimbang::fault {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kWriters = 3;
constexpr int kCallDeadlineMs = 2000;

struct Attempt {
  std::string name;  // the value written
  grpc::StatusCode code;
  int64_t elapsed_ms;
  bool during_outage;  // started while the database was down
};

TEST(DatabaseRestart, ServiceAnswersUnavailableWhileDownRecoversAndKeepsEveryAcknowledgedWrite) {
  PrivateMariaDb db;
  ASSERT_TRUE(db.Start());
  const std::string dsn = db.CreateDatabase("fault_restart");
  ASSERT_FALSE(dsn.empty());
  const std::string dir = TempDirWithSecrets("fault-restart");
  testing::ServiceProcessOptions o;
  o.args = {"--db=" + dsn, "--auth-hs256-secret-file=" + dir + "/secret"};
  auto proc = testing::ServiceProcess::Start("personnel-service", o);
  ASSERT_TRUE(proc.ok()) << proc.status();
  auto stub = ppb::PersonnelService::NewStub(
      grpc::CreateChannel(proc->address(), grpc::InsecureChannelCredentials()));
  const std::string admin = Token(auth::Role::kAdmin);
  {
    auto ctx = Ctx(admin);
    ppb::ImportRecordsResponse resp;
    auto w = stub->ImportRecords(ctx.get(), &resp);
    ppb::ImportRecordsRequest r;
    r.mutable_agency()->set_code(kAgency);
    r.mutable_agency()->set_name("Kota Makassar");
    r.mutable_agency()->set_kind(ppb::AGENCY_KIND_CITY);
    r.mutable_agency()->set_province_code("73");
    w->Write(r);
    r.Clear();
    r.mutable_unit()->set_id(1);
    r.mutable_unit()->set_agency_code(kAgency);
    r.mutable_unit()->set_name("Dinas");
    r.mutable_unit()->set_kind(ppb::UNIT_KIND_DINAS);
    r.mutable_unit()->set_active(true);
    w->Write(r);
    r.Clear();
    r.mutable_position()->set_code("P1");
    r.mutable_position()->set_name("Pelaksana");
    r.mutable_position()->set_kind(ppb::POSITION_KIND_PELAKSANA);
    r.mutable_position()->set_level(ppb::FUNCTIONAL_LEVEL_NONE);
    r.mutable_position()->set_job_family("general_administration");
    w->Write(r);
    w->WritesDone();
    grpc::Status s = w->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
  }

  std::atomic<bool> stop{false};
  std::atomic<bool> down{false};
  std::mutex mu;
  std::set<std::string> acked_creates;                  // NIPs created with OK
  std::map<std::string, std::vector<Attempt>> updates;  // per writer's employee, in order
  std::vector<Attempt> all;
  auto writer = [&](int w) {
    const std::string own = absl::StrFormat("198503122010011%03d", 900 + w);
    std::string etag;
    for (int i = 0; !stop; ++i) {
      const bool outage = down;
      const auto start = Clock::now();
      grpc::StatusCode code;
      std::string name;
      if (etag.empty() || i % 2 == 0) {  // create: a new employee each time
        ppb::CreateEmployeeRequest req;
        auto* e = req.mutable_employee();
        e->set_nip(etag.empty()
                       ? own
                       : absl::StrFormat("198503122010011%03d", 100 + w * 250 + i / 2 % 250));
        name = absl::StrCat("Pegawai ", w, "-", i);
        e->set_name(name);
        e->set_employment_type(ppb::EMPLOYMENT_TYPE_PNS);
        e->set_unit_id(1);
        e->set_position_code("P1");
        *e->mutable_in_post_since() = D(2020, 1, 1);
        ppb::CreateEmployeeResponse resp;
        code = stub->CreateEmployee(Ctx(admin, kCallDeadlineMs).get(), req, &resp).error_code();
        if (code == grpc::StatusCode::OK) {
          std::lock_guard<std::mutex> l(mu);
          acked_creates.insert(e->nip());
          if (etag.empty()) etag = resp.employee().etag();
        } else if (code == grpc::StatusCode::ALREADY_EXISTS && etag.empty()) {
          // An earlier attempt committed though its answer was lost: fetch the etag.
          ppb::GetEmployeeRequest g;
          g.set_nip(own);
          ppb::GetEmployeeResponse got;
          if (stub->GetEmployee(Ctx(admin, kCallDeadlineMs).get(), g, &got).ok()) {
            etag = got.employee().etag();
          }
        }
      } else {  // update own employee's name under its etag
        ppb::GetEmployeeRequest g;
        g.set_nip(own);
        ppb::GetEmployeeResponse got;
        grpc::Status gs = stub->GetEmployee(Ctx(admin, kCallDeadlineMs).get(), g, &got);
        code = gs.error_code();
        if (gs.ok()) {
          ppb::UpdateEmployeeRequest req;
          *req.mutable_employee() = got.employee();
          name = absl::StrCat("Nama ", w, "-", i);
          req.mutable_employee()->set_name(name);
          ppb::UpdateEmployeeResponse resp;
          code = stub->UpdateEmployee(Ctx(admin, kCallDeadlineMs).get(), req, &resp).error_code();
          std::lock_guard<std::mutex> l(mu);
          updates[own].push_back({name, code, 0, outage});
        }
      }
      const int64_t ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
      {
        std::lock_guard<std::mutex> l(mu);
        all.push_back({name, code, ms, outage});
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  StoppingThreads writers(stop);
  for (int w = 0; w < kWriters; ++w) writers.Start(writer, w);

  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_EQ(Health(proc->address()), "SERVING");
  ASSERT_TRUE(db.Kill());
  down = true;
  EXPECT_TRUE(WaitFor([&] { return Health(proc->address()) == "NOT_SERVING"; }, 10000))
      << Health(proc->address());
  std::this_thread::sleep_for(std::chrono::seconds(3));  // writers keep hitting the dead database
  ASSERT_TRUE(db.Restart());
  const auto back = Clock::now();
  down = false;
  EXPECT_TRUE(WaitFor([&] { return Health(proc->address()) == "SERVING"; }, 30000))
      << Health(proc->address());
  const int64_t recovery_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - back).count();
  // Writes succeed again once SERVING is reported.
  size_t ok_before;
  {
    std::lock_guard<std::mutex> l(mu);
    ok_before = acked_creates.size();
  }
  EXPECT_TRUE(WaitFor(
      [&] {
        std::lock_guard<std::mutex> l(mu);
        return acked_creates.size() > ok_before + 2;
      },
      10000));
  writers.StopAndJoin();
  EXPECT_TRUE(proc->Running()) << "personnel-service died; see " << proc->log_path();

  // Every call returned within its deadline (plus scheduling slack); every failure during the
  // outage was UNAVAILABLE or DEADLINE_EXCEEDED, never INTERNAL or a hang.
  std::map<grpc::StatusCode, int> outage_codes;
  for (const Attempt& a : all) {
    EXPECT_LE(a.elapsed_ms, kCallDeadlineMs * 2 + 1000) << a.name;
    if (a.during_outage) ++outage_codes[a.code];
    if (a.during_outage && a.code != grpc::StatusCode::OK) {
      EXPECT_TRUE(a.code == grpc::StatusCode::UNAVAILABLE ||
                  a.code == grpc::StatusCode::DEADLINE_EXCEEDED)
          << "call " << a.name << " during the outage ended with code " << a.code;
    }
  }
  EXPECT_GT(outage_codes[grpc::StatusCode::UNAVAILABLE] +
                outage_codes[grpc::StatusCode::DEADLINE_EXCEEDED],
            0);
  std::cerr << "recovered " << recovery_ms << " ms after the restart; " << acked_creates.size()
            << " acknowledged creates\n";

  // Durability: every acknowledged create is readable; each employee's name is the last
  // acknowledged update or a later attempt whose answer was lost.
  for (const std::string& nip : acked_creates) {
    ppb::GetEmployeeRequest g;
    g.set_nip(nip);
    ppb::GetEmployeeResponse got;
    grpc::Status s = stub->GetEmployee(Ctx(admin).get(), g, &got);
    EXPECT_TRUE(s.ok()) << nip << ": " << s.error_message();
  }
  for (const auto& [nip, attempts] : updates) {
    ppb::GetEmployeeRequest g;
    g.set_nip(nip);
    ppb::GetEmployeeResponse got;
    ASSERT_TRUE(stub->GetEmployee(Ctx(admin).get(), g, &got).ok());
    int last_ok = -1, current = -1;
    for (int i = 0; i < static_cast<int>(attempts.size()); ++i) {
      if (attempts[i].code == grpc::StatusCode::OK) last_ok = i;
      if (attempts[i].name == got.employee().name()) current = i;
    }
    if (last_ok >= 0) {
      EXPECT_GE(current, last_ok) << nip << " lost the acknowledged name " << attempts[last_ok].name
                                  << ", has " << got.employee().name();
    }
  }
  proc->Stop();
  std::remove((dir + "/secret").c_str());
  std::remove((dir + "/service-token").c_str());
  rmdir(dir.c_str());
}

}  // namespace
}  // namespace seimbang::fault
