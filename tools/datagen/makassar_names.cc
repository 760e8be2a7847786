#include "tools/datagen/makassar_names.h"

namespace seimbang::datagen {

const std::vector<Kecamatan>& MakassarKecamatan() {
  static const auto* k = new std::vector<Kecamatan>{
      {"Mariso",
       -5.1560,
       119.4050,
       {"Bontorannu", "Kampung Buyang", "Kunjung Mae", "Lette", "Mario", "Mariso", "Mattoanging",
        "Panambungan", "Tamarunang"}},
      {"Mamajang",
       -5.1610,
       119.4180,
       {"Baji Mappakasunggu", "Bonto Biraeng", "Bonto Lebang", "Karang Anyar", "Labuang Baji",
        "Mamajang Dalam", "Mamajang Luar", "Mandala", "Maricaya Selatan", "Pa'batong", "Parang",
        "Sambung Jawa", "Tamparang Keke"}},
      {"Tamalate",
       -5.1880,
       119.4080,
       {"Balang Baru", "Barombong", "Bongaya", "Bonto Duri", "Jongaya", "Maccini Sombala",
        "Mangasa", "Mannuruki", "Pa'baeng-baeng", "Parang Tambung", "Tanjung Merdeka"}},
      {"Rappocini",
       -5.1660,
       119.4380,
       {"Ballaparang", "Banta-Bantaeng", "Bonto Makkio", "Buakana", "Gunung Sari", "Karunrung",
        "Kassi-Kassi", "Mappala", "Minasa Upa", "Rappocini", "Tidung"}},
      {"Makassar",
       -5.1440,
       119.4260,
       {"Bara-Baraya", "Bara-Baraya Selatan", "Bara-Baraya Timur", "Bara-Baraya Utara", "Barana",
        "Lariang Bangi", "Maccini", "Maccini Gusung", "Maccini Parang", "Maradekaya",
        "Maradekaya Selatan", "Maradekaya Utara", "Maricaya", "Maricaya Baru"}},
      {"Ujung Pandang",
       -5.1350,
       119.4110,
       {"Baru", "Bulogading", "Lae-Lae", "Lajangiru", "Losari", "Maloku", "Mangkura",
        "Pisang Selatan", "Pisang Utara", "Sawerigading"}},
      {"Wajo",
       -5.1250,
       119.4110,
       {"Butung", "Ende", "Malimongan", "Malimongan Tua", "Mampu", "Melayu", "Melayu Baru",
        "Pattunuang"}},
      {"Bontoala",
       -5.1240,
       119.4220,
       {"Baraya", "Bontoala", "Bontoala Parang", "Bontoala Tua", "Bunga Ejaya", "Gaddong", "Layang",
        "Malimongan Baru", "Parang Layang", "Timungan Lompoa", "Tompo Balang", "Wajo Baru"}},
      {"Ujung Tanah",
       -5.1100,
       119.4180,
       {"Camba Berua", "Cambaya", "Gusung", "Pattingalloang", "Pattingalloang Baru", "Tabaringan",
        "Tamalabba", "Totaka", "Ujung Tanah"}},
      {"Kepulauan Sangkarrang",
       -5.0500,
       119.3300,
       {"Barrang Caddi", "Barrang Lompo", "Kodingareng"}},
      {"Tallo",
       -5.1100,
       119.4350,
       {"Buloa", "Bunga Eja Beru", "Kaluku Bodoa", "Kalukuang", "La'latang", "Lakkang", "Lembo",
        "Pannampu", "Rappojawa", "Rappokalling", "Suangga", "Tallo", "Tammua", "Ujung Pandang Baru",
        "Wala-Walaya"}},
      {"Panakkukang",
       -5.1450,
       119.4550,
       {"Karampuang", "Karuwisi", "Karuwisi Utara", "Masale", "Pampang", "Panaikang", "Pandang",
        "Paropo", "Sinrijala", "Tamamaung", "Tello Baru"}},
      {"Manggala",
       -5.1700,
       119.4900,
       {"Antang", "Bangkala", "Batua", "Biring Romang", "Bitowa", "Borong", "Manggala",
        "Tamangapa"}},
      {"Biringkanaya",
       -5.0800,
       119.5100,
       {"Bakung", "Berua", "Bulurokeng", "Daya", "Katimbang", "Laikang", "Paccerakkang", "Pai",
        "Sudiang", "Sudiang Raya", "Untia"}},
      {"Tamalanrea",
       -5.1250,
       119.4950,
       {"Bira", "Buntusu", "Kapasa", "Kapasa Raya", "Parangloe", "Tamalanrea", "Tamalanrea Indah",
        "Tamalanrea Jaya"}},
  };
  return *k;
}

const std::vector<std::string>& MakassarPuskesmas() {
  static const auto* p = new std::vector<std::string>{
      "Puskesmas Kassi-Kassi",  "Puskesmas Jongaya",        "Puskesmas Mamajang",
      "Puskesmas Pampang",      "Puskesmas Tamalanrea",     "Puskesmas Sudiang",
      "Puskesmas Antang",       "Puskesmas Batua",          "Puskesmas Bara-Baraya",
      "Puskesmas Kaluku Bodoa", "Puskesmas Tabaringan",     "Puskesmas Makkasau",
      "Puskesmas Andalas",      "Puskesmas Maccini Sawah",  "Puskesmas Rappokalling",
      "Puskesmas Tamamaung",    "Puskesmas Barombong",      "Puskesmas Minasa Upa",
      "Puskesmas Mangasa",      "Puskesmas Tamangapa",      "Puskesmas Paccerakkang",
      "Puskesmas Bira",         "Puskesmas Dahlia",         "Puskesmas Cendrawasih",
      "Puskesmas Mariso",       "Puskesmas Pattingalloang", "Puskesmas Barrang Lompo",
      "Puskesmas Kodingareng",  "Puskesmas Tallo",          "Puskesmas Panambungan",
  };
  return *p;
}

const std::vector<std::string>& MaleNames() {
  static const auto* n = new std::vector<std::string>{
      "Muhammad",  "Ahmad",      "Andi Muh.", "Syamsuddin",   "Hasanuddin", "Ridwan",
      "Irwan",     "Haerul",     "Zainal",    "Abdul Rahman", "Basri",      "Rusdi",
      "Jusman",    "Hamzah",     "Arifin",    "Saharuddin",   "Baso",       "Muh. Nasir",
      "Amiruddin", "Syahrir",    "Fadli",     "Ilham",        "Akbar",      "Rizal",
      "Taufik",    "Kamaruddin", "Alimuddin", "Sudirman",     "Yusuf",      "Ishak"};
  return *n;
}

const std::vector<std::string>& FemaleNames() {
  static const auto* n = new std::vector<std::string>{
      "Nurhayati",  "Rahmawati", "Sitti Aminah",     "Fitriani", "Jumriah",       "Hasnawati",
      "Darmawati",  "Sukmawati", "Masyita",          "Rosmini",  "Nurul Hidayah", "Ayu Lestari",
      "Dewi",       "Wahyuni",   "Andi Nurfadillah", "Hasmiah",  "Suriani",       "Marwah",
      "Nurjannah",  "Irmawati",  "Kartini",          "Haslinda", "Megawati",      "Sri Wahyuni",
      "St. Hajrah", "Nurmala",   "Asriani",          "Erna",     "Hijrah",        "Risna"};
  return *n;
}

const std::vector<std::string>& FamilyNames() {
  static const auto* n = new std::vector<std::string>{
      "Syam",    "Latif",        "Rahman",     "Hamid",  "Makmur", "Karim",
      "Amin",    "Nur",          "Said",       "Tahir",  "Rasyid", "Mappa",
      "Pabbaja", "Daeng Ngemba", "Mattulada",  "Anwar",  "Sultan", "Patongai",
      "Arsyad",  "Yunus",        "Baharuddin", "Ramli",  "Djafar", "Hakim",
      "Halim",   "Situju",       "Mallombasi", "Tjoddo", "Lamba",  "Ismail"};
  return *n;
}

}  // namespace seimbang::datagen
