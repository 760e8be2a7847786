// What an import batch reads before its rows are applied (Importer::Prefetch), and the second
// connection that reads it while the lane's writer runs.
#include <array>
#include <functional>
#include <set>
#include <utility>

#include "common/errors/status_macros.h"
#include "services/personnel/importer.h"

namespace seimbang::personnel {

std::array<uint64_t, Importer::WrittenNips::kProbes> Importer::WrittenNips::Bits(
    std::string_view nip, size_t bits) {
  // Double hashing (Kirsch and Mitzenmacher): probe i is h1 + i * h2.
  const uint64_t h1 = std::hash<std::string_view>{}(nip);
  const uint64_t h2 = (h1 >> 32 | h1 << 32) * 0x9E3779B97F4A7C15ULL | 1;
  std::array<uint64_t, kProbes> out;
  for (int i = 0; i < kProbes; ++i) out[i] = (h1 + static_cast<uint64_t>(i) * h2) % bits;
  return out;
}

void Importer::WrittenNips::Add(std::string_view nip) {
  if (blocks_.empty() || blocks_.back().size == blocks_.back().capacity) {
    Block next;
    next.capacity = blocks_.empty() ? kFirstCapacity : 2 * blocks_.back().capacity;
    next.words.assign(next.capacity * kBitsPerNip / 64, 0);
    blocks_.push_back(std::move(next));
  }
  Block& b = blocks_.back();
  for (uint64_t bit : Bits(nip, b.words.size() * 64))
    b.words[bit / 64] |= uint64_t{1} << (bit % 64);
  ++b.size;
}

bool Importer::WrittenNips::MayContain(std::string_view nip) const {
  for (const Block& b : blocks_) {
    bool all = true;
    for (uint64_t bit : Bits(nip, b.words.size() * 64)) {
      if ((b.words[bit / 64] & (uint64_t{1} << (bit % 64))) == 0) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

db::Connection* Importer::Reader(Lane& lane) {
  if (!lane.reader_tried) {
    lane.reader_tried = true;
    // Only against a server that serves two connections at once, and only while at most half
    // the pool is in use: the reader speeds the import up, and must not leave the service's
    // other calls (or other imports' transactions) without connections. Without one the lane
    // reads on its own.
    db::Pool& pool = repo_.pool();
    if (pool.dialect() == db::Dialect::kMysql &&
        pool.Stats().in_use * 2 <= pool.options().max_connections) {
      if (auto c = pool.TryAcquire(); c.ok()) lane.reader = std::move(*c);
    }
  }
  return lane.reader ? &lane.reader->get() : nullptr;
}

absl::Status Importer::Prefetch(Lane& lane, Tx& tx, const std::vector<Row*>& rows,
                                std::vector<std::string>* elsewhere) {
  lane.existing_employees.clear();
  lane.latest_placements.clear();
  std::vector<std::string> nips;
  std::set<int64_t> units;
  for (Row* r : rows) {
    if (!r->record.has_employee()) continue;
    const pv1::Employee& e = r->record.employee();
    // What this import wrote is visible only to its own transaction; the rest is committed,
    // and a second connection reads it as well.
    if (elsewhere != nullptr && !lane.written_nips.MayContain(e.nip())) {
      elsewhere->push_back(e.nip());
    } else {
      nips.push_back(e.nip());
    }
    // The units and positions they name into the caches too, while no writer holds the
    // connection (ApplyPipelined).
    if (e.unit_id() > 0 && lane.units.count(e.unit_id()) == 0 &&
        overlay_units_.count(e.unit_id()) == 0) {
      units.insert(e.unit_id());
    }
    SEIMBANG_RETURN_IF_ERROR(FindPosition(lane, tx, e.position_code()).status());
  }
  if (!units.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto found, tx.GetUnits({units.begin(), units.end()}));
    for (auto& u : found) lane.units[u.id()] = std::move(u);
  }
  return ReadEmployees(lane, tx.conn(), std::move(nips));
}

absl::Status Importer::ReadEmployees(Lane& lane, db::Connection& conn,
                                     std::vector<std::string> nips) {
  if (nips.empty()) return absl::OkStatus();
  SEIMBANG_ASSIGN_OR_RETURN(auto found, repo_.EmployeesByNip(conn, nips));
  // Only an existing employee's newest placement can be an executed transfer to protect.
  nips.clear();
  for (auto& e : found) {
    nips.push_back(e.nip());
    lane.existing_employees[e.nip()] = std::move(e);
  }
  if (nips.empty()) return absl::OkStatus();
  SEIMBANG_ASSIGN_OR_RETURN(auto placements, repo_.LatestPlacements(conn, nips));
  for (auto& [nip, p] : placements) lane.latest_placements[nip] = std::move(p);
  return absl::OkStatus();
}

}  // namespace seimbang::personnel
