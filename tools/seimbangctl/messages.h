#ifndef SEIMBANG_TOOLS_SEIMBANGCTL_MESSAGES_H_
#define SEIMBANG_TOOLS_SEIMBANGCTL_MESSAGES_H_

// seimbangctl's one catalogue of user-facing text: every heading, message,
// error, help and usage text the CLI prints, in Indonesian (`--lang id`, the
// default) and English (`--lang en`). Texts take $0..$9 placeholders
// (absl::Substitute). The enum words (plan states, job families, ...) are
// entries too ("enum.PLAN_STATE_DRAFT", "family.health").
//
// The services' own Indonesian sentences (a move's explanation from
// services/transfer/planner/explain.cc, plan_description.cc) arrive as data
// and are printed as they come.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/substitute.h"

namespace seimbang::ctl {

enum class Lang { kId, kEn };

struct CatalogueEntry {
  const char* key;
  const char* id;  // Indonesian
  const char* en;  // English
};

// Every entry, in the order of messages.cc.
const std::vector<CatalogueEntry>& Catalogue();

// "id" or "en" to a language; false for anything else.
bool ParseLang(absl::string_view text, Lang& lang);

// The raw text of `key`; "" when the catalogue has no such key (Text then
// prints "?key?"; the catalogue test keeps that from happening).
const char* RawText(Lang lang, absl::string_view key);
bool HasText(absl::string_view key);

template <typename... A>
std::string Text(Lang lang, absl::string_view key, const A&... args) {
  if (!HasText(key)) return absl::StrCat("?", key, "?");
  return absl::Substitute(RawText(lang, key), args...);
}

// A job family in words ("kesehatan" / "health"); the proto name when the
// catalogue has no entry for it.
std::string FamilyWord(Lang lang, const std::string& family);
// The proto name of a family given by its proto name or its name in either
// language ("kesehatan", "Teknik Sipil", "civil_engineering"); "" if unknown.
std::string FamilyFromText(const std::string& text);
// The proto names of the families the catalogue knows, in its order.
std::vector<std::string> KnownFamilies();

// An enum value in words ("draf" for PLAN_STATE_DRAFT); without an entry,
// the value's name without the enum's prefix ("S1" for EDUCATION_LEVEL_S1).
std::string EnumWord(Lang lang, const std::string& value_name, absl::string_view prefix);

}  // namespace seimbang::ctl

#endif  // SEIMBANG_TOOLS_SEIMBANGCTL_MESSAGES_H_
