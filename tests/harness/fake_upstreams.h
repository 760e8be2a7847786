// In-process fakes of personnel and workload-analysis, speaking the real
// contracts, so the transfer-service binary is tested on its own: data is
// exact, outages are switchable and ApplyTransfers counts every first apply.
#ifndef SEIMBANG_TESTS_HARNESS_FAKE_UPSTREAMS_H_
#define SEIMBANG_TESTS_HARNESS_FAKE_UPSTREAMS_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"

namespace seimbang::testing {

namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;

struct FakeWorld {
  std::string agency = "73.71";
  std::vector<wpb::PositionRow> rows;
  std::vector<ppb::Unit> units;
  std::vector<ppb::Position> positions;
  std::vector<ppb::StreamEmployeesResponse> employees;
  std::string digest = "digest-1";      // personnel's current staffing digest
  std::string run_digest = "digest-1";  // the digest the analysis run recorded
};

class FakePersonnel final : public ppb::PersonnelService::Service {
 public:
  explicit FakePersonnel(FakeWorld* world) : world_(world) {}
  std::atomic<bool> down{false};

  grpc::Status ListUnits(grpc::ServerContext*, const ppb::ListUnitsRequest*,
                         ppb::ListUnitsResponse* resp) override {
    if (down) return {grpc::StatusCode::UNAVAILABLE, "fake personnel is down"};
    for (const auto& u : world_->units) *resp->add_units() = u;
    return grpc::Status::OK;
  }
  // What transfer asks to check the ids a policy or preference names (issue 15 item 3).
  grpc::Status GetUnit(grpc::ServerContext*, const ppb::GetUnitRequest* req,
                       ppb::GetUnitResponse* resp) override {
    if (down) return {grpc::StatusCode::UNAVAILABLE, "fake personnel is down"};
    for (const auto& u : world_->units) {
      if (u.id() == req->id()) {
        *resp->mutable_unit() = u;
        return grpc::Status::OK;
      }
    }
    return {grpc::StatusCode::NOT_FOUND, absl::StrCat("unit ", req->id(), " not found")};
  }
  grpc::Status BatchGetEmployees(grpc::ServerContext*, const ppb::BatchGetEmployeesRequest* req,
                                 ppb::BatchGetEmployeesResponse* resp) override {
    if (down) return {grpc::StatusCode::UNAVAILABLE, "fake personnel is down"};
    for (const auto& nip : req->nips()) {
      bool found = false;
      for (const auto& e : world_->employees) {
        if (e.employee().nip() != nip) continue;
        *resp->add_employees() = e.employee();
        found = true;
        break;
      }
      if (!found) resp->add_not_found(nip);
    }
    return grpc::Status::OK;
  }
  grpc::Status ListPositions(grpc::ServerContext*, const ppb::ListPositionsRequest*,
                             ppb::ListPositionsResponse* resp) override {
    if (down) return {grpc::StatusCode::UNAVAILABLE, "fake personnel is down"};
    for (const auto& p : world_->positions) *resp->add_positions() = p;
    return grpc::Status::OK;
  }
  grpc::Status StreamEmployees(grpc::ServerContext*, const ppb::StreamEmployeesRequest*,
                               grpc::ServerWriter<ppb::StreamEmployeesResponse>* w) override {
    if (down) return {grpc::StatusCode::UNAVAILABLE, "fake personnel is down"};
    for (const auto& e : world_->employees) w->Write(e);
    return grpc::Status::OK;
  }
  grpc::Status GetStaffing(grpc::ServerContext*, const ppb::GetStaffingRequest*,
                           ppb::GetStaffingResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    resp->set_digest(world_->digest);
    return grpc::Status::OK;
  }
  grpc::Status ApplyTransfers(grpc::ServerContext* ctx, const ppb::ApplyTransfersRequest* req,
                              ppb::ApplyTransfersResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    tokens_.insert(GetToken(*ctx));
    for (const auto& m : req->moves()) {
      auto key = std::make_pair(m.plan_id(), m.move_id());
      auto* r = resp->add_results();
      r->set_plan_id(m.plan_id());
      r->set_move_id(m.move_id());
      r->set_outcome(ppb::MOVE_OUTCOME_APPLIED);
      ++calls_[key];
      if (applied_.count(key)) {
        r->set_replayed(true);
      } else {
        ++first_applies_[m.plan_id()];
        applied_.insert(key);
        placements_[m.nip()] = {m.to_unit_id(), m.to_position_code()};
      }
    }
    return grpc::Status::OK;
  }

  void SetDigest(const std::string& d) {
    std::lock_guard<std::mutex> lock(mu_);
    world_->digest = d;
  }
  size_t Applied(const std::string& plan_id) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const auto& k : applied_) n += k.first == plan_id;
    return n;
  }
  // Placement changes made (a replay changes nothing): exactly once means one per move.
  size_t FirstApplies(const std::string& plan_id) {
    std::lock_guard<std::mutex> lock(mu_);
    return first_applies_[plan_id];
  }
  std::pair<int64_t, std::string> PlacementOf(const std::string& nip) {
    std::lock_guard<std::mutex> lock(mu_);
    return placements_[nip];
  }
  std::set<std::string> Tokens() {
    std::lock_guard<std::mutex> lock(mu_);
    return tokens_;
  }

 private:
  static std::string GetToken(const grpc::ServerContext& ctx) {
    auto it = ctx.client_metadata().find("authorization");
    return it == ctx.client_metadata().end() ? ""
                                             : std::string(it->second.data(), it->second.size());
  }
  FakeWorld* world_;
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> applied_;
  std::map<std::pair<std::string, std::string>, int> calls_;
  std::map<std::string, std::pair<int64_t, std::string>> placements_;
  std::set<std::string> tokens_;
  std::map<std::string, size_t> first_applies_;
};

class FakeWorkload final : public wpb::WorkloadAnalysisService::Service {
 public:
  explicit FakeWorkload(FakeWorld* world) : world_(world) {}
  grpc::Status GetAnalysis(grpc::ServerContext*, const wpb::GetAnalysisRequest* req,
                           wpb::GetAnalysisResponse* resp) override {
    if (req->run_id() != "run-1") {
      return {grpc::StatusCode::NOT_FOUND,
              absl::StrCat("analysis run ", req->run_id(), " not found")};
    }
    auto* s = resp->mutable_summary();
    s->set_run_id("run-1");
    s->set_agency_code(world_->agency);
    s->mutable_as_of()->set_year(2026);
    s->mutable_as_of()->set_month(1);
    s->mutable_as_of()->set_day(1);
    s->set_staffing_digest(world_->run_digest);
    s->mutable_settings()->set_effective_minutes_per_year(75000);
    s->set_positions(static_cast<int>(world_->rows.size()));
    // Two rows per page, to exercise the paging through the run.
    size_t start = req->page().page_token().empty() ? 0 : std::stoul(req->page().page_token());
    size_t size = req->page().page_size() == 1 ? 1 : 2;
    for (size_t i = start; i < world_->rows.size() && i < start + size; ++i) {
      *resp->add_rows() = world_->rows[i];
    }
    if (start + size < world_->rows.size()) {
      resp->mutable_page()->set_next_page_token(std::to_string(start + size));
    }
    return grpc::Status::OK;
  }

 private:
  FakeWorld* world_;
};

// Both fakes on one loopback port.
class FakeUpstreams {
 public:
  explicit FakeUpstreams(FakeWorld world)
      : world_(std::move(world)), personnel_(&world_), workload_(&world_) {
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    b.RegisterService(&personnel_);
    b.RegisterService(&workload_);
    server_ = b.BuildAndStart();
  }
  ~FakeUpstreams() { server_->Shutdown(); }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  FakePersonnel& personnel() { return personnel_; }

 private:
  FakeWorld world_;
  FakePersonnel personnel_;
  FakeWorkload workload_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_HARNESS_FAKE_UPSTREAMS_H_
