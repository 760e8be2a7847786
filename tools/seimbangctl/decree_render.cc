// Decree drafts: the variables each template receives (tools/seimbangctl/README.md
// lists them), the check of a template against them, and rendering with mstch.
#include <algorithm>
#include <exception>
#include <functional>
#include <mstch/mstch.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/seimbangctl/decree.h"
#include "tools/seimbangctl/report.h"

namespace seimbang::ctl::decree {
namespace {

std::string Upper(const std::string& s) { return absl::AsciiStrToUpper(s); }

// Items numbered for a list: {no, teks, penutup} with ";" after each but the last ".".
mstch::array Numbered(const std::vector<std::string>& items) {
  mstch::array out;
  for (size_t i = 0; i < items.size(); ++i) {
    out.push_back(mstch::map{{"no", std::to_string(i + 1)},
                             {"teks", items[i]},
                             {"penutup", std::string(i + 1 == items.size() ? "." : ";")}});
  }
  return out;
}

mstch::map MoveNode(const Move& m, size_t no, const Plan& p) {
  return mstch::map{
      {"no", std::to_string(no)},
      {"id", m.id},
      {"nama", m.name},
      {"nip", m.nip},
      {"jenis_pegawai",
       std::string(m.pppk ? "Pegawai Pemerintah dengan Perjanjian Kerja" : "Pegawai Negeri Sipil")},
      {"pangkat_golongan", RankWords(m.rank, m.pppk)},
      {"lama_jabatan", m.from_position},
      {"lama_kode_jabatan", m.from_position_code},
      {"lama_unit", m.from_unit},
      {"lama_unit_lengkap", m.from_unit_path},
      {"baru_jabatan", m.to_position},
      {"baru_kode_jabatan", m.to_position_code},
      {"baru_unit", m.to_unit},
      {"baru_unit_lengkap", m.to_unit_path},
      {"tmt", LongDate(p.effective)},
      {"ringkasan", m.summary},
  };
}

// The variables both templates receive.
mstch::map CommonData(const Plan& p, const Settings& s, const std::string& tentang) {
  const int year = p.effective.year > 0 ? p.effective.year : p.created.year;
  return mstch::map{
      {"kop", Upper(p.agency_name)},
      {"instansi", p.agency_name},
      {"kode_instansi", p.agency_code},
      {"pejabat_penetap", s.authority},
      {"nomor", s.number},
      {"tentang", tentang},
      {"tmt", LongDate(p.effective)},
      {"tahun", std::to_string(year)},
      {"rencana_id", p.id},
      {"rencana_revisi", std::to_string(p.revision)},
      {"rencana_tanggal", LongDate(p.created)},
      {"rencana_status", p.state_word},
      {"rencana_disetujui", LongDate(p.approved)},
      {"analisis_id", p.analysis_run_id},
      {"tempat", s.place},
      {"tanggal_penetapan", s.signing_date},
      {"penandatangan_jabatan", s.signer_title},
      {"penandatangan_nama", s.signer_name},
      {"penandatangan_nip", s.signer_nip},
      {"penandatangan_pangkat", s.signer_rank},
      {"mengingat", Numbered(s.legal_basis)},
      {"tembusan", Numbered(s.copies)},
  };
}

mstch::map MoveData(const Plan& p, const Settings& s, const Move& m) {
  mstch::map d = CommonData(
      p, s,
      absl::StrCat("PEMINDAHAN ",
                   m.pppk ? "PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA" : "PEGAWAI NEGERI SIPIL",
                   " DI LINGKUNGAN ", Upper(p.agency_name)));
  d.emplace("mutasi", MoveNode(m, 1, p));
  d.emplace("jumlah_mutasi", std::string("1"));
  return d;
}

mstch::map CollectiveData(const Plan& p, const Settings& s, const std::vector<Move>& moves) {
  mstch::map d = CommonData(p, s,
                            absl::StrCat("PEMINDAHAN PEGAWAI APARATUR SIPIL NEGARA DI LINGKUNGAN ",
                                         Upper(p.agency_name)));
  mstch::array rows;
  for (size_t i = 0; i < moves.size(); ++i) rows.push_back(MoveNode(moves[i], i + 1, p));
  d.emplace("mutasi", std::move(rows));
  d.emplace("jumlah_mutasi", std::to_string(moves.size()));
  return d;
}

bool IsCollective(const std::string& name) { return absl::StartsWith(name, "sk_collective"); }
bool IsHtml(const std::string& name) { return absl::StrContains(name, ".html"); }

// Data of the template's kind with every list non-empty: what CheckTemplate checks against.
mstch::map SampleData(const std::string& name) {
  Plan p;
  p.agency_name = "Pemerintah Kota Contoh";
  p.effective = {2026, 7, 1};
  p.created = {2026, 5, 2};
  p.approved = {2026, 6, 1};
  Settings s = DefaultSettings(p);
  Move m;
  m.rank = "III/b";
  if (IsCollective(name)) return CollectiveData(p, s, {m});
  return MoveData(p, s, m);
}

// ---- the template check

struct Tag {
  char kind;  // 0 variable, or one of # ^ / ! > = & {
  std::string name;
  int line;
};

class Checker {
 public:
  Checker(std::string name, Lang lang) : name_(std::move(name)), lang_(lang) {}

  absl::Status Tokenize(const std::string& text, std::vector<Tag>& tags);
  absl::Status Walk(const std::vector<Tag>& tags, const mstch::node& root);

 private:
  template <typename... A>
  absl::Status Error(const char* key, int line, const A&... a) const {
    return absl::InvalidArgumentError(Text(lang_, key, name_, line, a...));
  }
  absl::Status CheckKind(const Tag& t) const;
  // The node `name` resolves to from the top of the stack (a dotted name
  // descends through maps), or nullptr.
  const mstch::node* Resolve(const std::string& name) const;
  std::string Known() const;

  std::string name_;
  Lang lang_;
  std::vector<const mstch::node*> stack_;
};

absl::Status Checker::Tokenize(const std::string& text, std::vector<Tag>& tags) {
  int line = 1;
  size_t at = 0;
  while (true) {
    size_t open = text.find("{{", at);
    line += static_cast<int>(std::count(
        text.begin() + at, text.begin() + (open == std::string::npos ? text.size() : open), '\n'));
    if (open == std::string::npos) return absl::OkStatus();
    const bool triple = text.compare(open, 3, "{{{") == 0;
    const std::string closer = triple ? "}}}" : "}}";
    size_t close = text.find(closer, open + (triple ? 3 : 2));
    if (close == std::string::npos) return Error("decree.err.unclosed_tag", line);
    std::string body = text.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
    Tag t{triple ? '{' : '\0', "", line};
    absl::string_view b = absl::StripAsciiWhitespace(body);
    if (!triple && !b.empty() &&
        absl::string_view("#^/!>=&").find(b[0]) != absl::string_view::npos) {
      t.kind = b[0];
      b = absl::StripAsciiWhitespace(b.substr(1));
    }
    t.name = std::string(b);
    line += static_cast<int>(std::count(body.begin(), body.end(), '\n'));
    if (t.kind != '!') tags.push_back(std::move(t));
    at = close + closer.size();
  }
}

absl::Status Checker::CheckKind(const Tag& t) const {
  if (t.kind == '>' || t.kind == '=') {
    return Error("decree.err.unsupported_tag", t.line,
                 absl::StrCat("{{", std::string(1, t.kind), t.name, "}}"));
  }
  if ((t.kind == '{' || t.kind == '&') && IsHtml(name_)) {
    return Error("decree.err.unescaped", t.line, t.name);
  }
  if (t.name.empty()) return Error("decree.err.empty_tag", t.line);
  return absl::OkStatus();
}

const mstch::node* Checker::Resolve(const std::string& name) const {
  std::vector<std::string> parts = absl::StrSplit(name, '.');
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
    const auto* m = boost::get<mstch::map>(*it);
    if (m == nullptr) continue;
    auto found = m->find(parts[0]);
    if (found == m->end()) continue;
    const mstch::node* n = &found->second;
    for (size_t i = 1; i < parts.size() && n != nullptr; ++i) {
      const auto* inner = boost::get<mstch::map>(n);
      auto f = inner == nullptr ? mstch::map::const_iterator() : inner->find(parts[i]);
      n = inner == nullptr || f == inner->end() ? nullptr : &f->second;
    }
    return n;
  }
  return nullptr;
}

std::string Checker::Known() const {
  std::set<std::string> names;
  for (const mstch::node* n : stack_) {
    if (const auto* m = boost::get<mstch::map>(n)) {
      for (const auto& [k, v] : *m) names.insert(k);
    }
  }
  return absl::StrJoin(names, ", ");
}

absl::Status Checker::Walk(const std::vector<Tag>& tags, const mstch::node& root) {
  stack_ = {&root};
  std::vector<const Tag*> open;
  for (const Tag& t : tags) {
    if (auto st = CheckKind(t); !st.ok()) return st;
    if (t.kind == '/') {
      if (open.empty() || open.back()->name != t.name) {
        return Error("decree.err.close_mismatch", t.line, t.name,
                     open.empty() ? std::string("-") : "{{#" + open.back()->name + "}}");
      }
      open.pop_back();
      stack_.pop_back();
      continue;
    }
    const mstch::node* n = t.name == "." ? stack_.back() : Resolve(t.name);
    if (n == nullptr) return Error("decree.err.unknown_var", t.line, t.name, Known());
    if (t.kind == '#' || t.kind == '^') {
      const auto* list = boost::get<mstch::array>(n);
      if (t.kind == '#' && list != nullptr && !list->empty()) n = &list->front();
      open.push_back(&t);
      stack_.push_back(t.kind == '#' ? n : stack_.back());
    }
  }
  if (!open.empty())
    return Error("decree.err.unclosed_section", open.back()->line, open.back()->name);
  return absl::OkStatus();
}

absl::StatusOr<std::string> Render(const std::string& tmpl, Format f, const mstch::map& data,
                                   Lang lang) {
  mstch::config::escape = f == Format::kHtml
                              ? std::function<std::string(const std::string&)>(ctl::HtmlEscape)
                              : [](const std::string& s) { return s; };
  try {
    return mstch::render(tmpl, data);
  } catch (const std::exception& e) {
    return absl::InternalError(Text(lang, "decree.err.render", e.what()));
  }
}

}  // namespace

absl::Status CheckTemplate(const std::string& name, const std::string& text, Lang lang) {
  Checker c(name, lang);
  std::vector<Tag> tags;
  if (auto st = c.Tokenize(text, tags); !st.ok()) return st;
  const mstch::node root = SampleData(name);
  return c.Walk(tags, root);
}

absl::StatusOr<std::string> RenderMove(const std::string& tmpl, Format f, const Plan& plan,
                                       const Settings& s, const Move& m, Lang lang) {
  return Render(tmpl, f, MoveData(plan, s, m), lang);
}

absl::StatusOr<std::string> RenderCollective(const std::string& tmpl, Format f, const Plan& plan,
                                             const Settings& s, const std::vector<Move>& moves,
                                             Lang lang) {
  return Render(tmpl, f, CollectiveData(plan, s, moves), lang);
}

}  // namespace seimbang::ctl::decree
