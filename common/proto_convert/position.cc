#include "common/proto_convert/position.h"

namespace seimbang::proto_convert {

namespace pv1 = ::seimbang::personnel::v1;

domain::PositionKind ToDomain(pv1::PositionKind k) {
  switch (k) {
    case pv1::POSITION_KIND_JPT_UTAMA:
      return domain::PositionKind::kJptUtama;
    case pv1::POSITION_KIND_JPT_MADYA:
      return domain::PositionKind::kJptMadya;
    case pv1::POSITION_KIND_JPT_PRATAMA:
      return domain::PositionKind::kJptPratama;
    case pv1::POSITION_KIND_ADMINISTRATOR:
      return domain::PositionKind::kAdministrator;
    case pv1::POSITION_KIND_PENGAWAS:
      return domain::PositionKind::kPengawas;
    case pv1::POSITION_KIND_FUNCTIONAL_EXPERTISE:
      return domain::PositionKind::kFunctionalExpertise;
    case pv1::POSITION_KIND_FUNCTIONAL_SKILL:
      return domain::PositionKind::kFunctionalSkill;
    default:
      return domain::PositionKind::kPelaksana;
  }
}

domain::FunctionalLevel ToDomain(pv1::FunctionalLevel l) {
  switch (l) {
    case pv1::FUNCTIONAL_LEVEL_AHLI_PERTAMA:
      return domain::FunctionalLevel::kAhliPertama;
    case pv1::FUNCTIONAL_LEVEL_AHLI_MUDA:
      return domain::FunctionalLevel::kAhliMuda;
    case pv1::FUNCTIONAL_LEVEL_AHLI_MADYA:
      return domain::FunctionalLevel::kAhliMadya;
    case pv1::FUNCTIONAL_LEVEL_AHLI_UTAMA:
      return domain::FunctionalLevel::kAhliUtama;
    case pv1::FUNCTIONAL_LEVEL_PEMULA:
      return domain::FunctionalLevel::kPemula;
    case pv1::FUNCTIONAL_LEVEL_TERAMPIL:
      return domain::FunctionalLevel::kTerampil;
    case pv1::FUNCTIONAL_LEVEL_MAHIR:
      return domain::FunctionalLevel::kMahir;
    case pv1::FUNCTIONAL_LEVEL_PENYELIA:
      return domain::FunctionalLevel::kPenyelia;
    default:
      return domain::FunctionalLevel::kNone;
  }
}

int RetirementAge(const pv1::Position& p) {
  if (p.retirement_age() > 0) return p.retirement_age();
  if (p.kind() == pv1::POSITION_KIND_UNSPECIFIED) return 58;
  auto age = domain::DefaultRetirementAge(ToDomain(p.kind()), ToDomain(p.level()));
  return age.ok() ? *age : 58;
}

}  // namespace seimbang::proto_convert
