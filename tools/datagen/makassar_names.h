#ifndef SEIMBANG_TOOLS_DATAGEN_MAKASSAR_NAMES_H_
#define SEIMBANG_TOOLS_DATAGEN_MAKASSAR_NAMES_H_

// Place names of Kota Makassar (73.71) used by the makassar profile.

#include <string>
#include <vector>

namespace seimbang::datagen {

struct Kecamatan {
  std::string name;
  double latitude = 0;  // Approximate centre, degrees.
  double longitude = 0;
  std::vector<std::string> kelurahan;
};

// The 15 kecamatan and their 153 kelurahan (names as commonly published;
// see README.md for how reliable they are).
const std::vector<Kecamatan>& MakassarKecamatan();

// Puskesmas names known in Makassar; the rest are generated "(nama contoh)".
const std::vector<std::string>& MakassarPuskesmas();

// Given names (male, female) and family names common in South Sulawesi.
struct PersonNames {
  std::vector<std::string> male, female, family;
};
const PersonNames& SulawesiNames();

}  // namespace seimbang::datagen

#endif  // SEIMBANG_TOOLS_DATAGEN_MAKASSAR_NAMES_H_
