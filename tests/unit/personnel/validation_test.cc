#include "services/personnel/validation.h"

#include "common/domain/date.h"
#include "common/proto_convert/date.h"
#include "common/proto_convert/position.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/accented.h"

namespace seimbang::personnel {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

const domain::Date kToday{2026, 11, 27};
// Born 1985-03-12, CPNS 2010-01, male, sequence 002.
constexpr char kNip[] = "198503122010011002";

pv1::Employee Pns() {
  pv1::Employee e;
  e.set_nip(kNip);
  e.set_name("Andi Rahman");
  e.set_employment_type(pv1::EMPLOYMENT_TYPE_PNS);
  e.set_rank("III/a");
  e.set_unit_id(5);
  e.set_position_code("JF-TS-AP");
  return e;
}

cv1::Date D(int y, int m, int d) { return proto_convert::ToProto(domain::Date{y, m, d}); }

Violations Validate(pv1::Employee* e) { return ValidateEmployee(e, "employee", kToday); }

// The violations of Pns() after `change`.
template <typename Change>
Violations ValidatePnsWith(Change change) {
  pv1::Employee e = Pns();
  change(e);
  return Validate(&e);
}

// Matches the violations when there is exactly one, of `field`, saying `description`.
::testing::Matcher<Violations> Only(const std::string& field, const std::string& description) {
  return ElementsAre(
      AllOf(Field(&Violation::field, field), Field(&Violation::description, description)));
}

TEST(EmployeeValidation, PnsNipFillsBirthDateGenderAndAppointment) {
  pv1::Employee e = Pns();
  EXPECT_TRUE(Validate(&e).empty());
  EXPECT_EQ(domain::FormatDate(proto_convert::ToDomain(e.birth_date())), "1985-03-12");
  EXPECT_EQ(e.gender(), pv1::GENDER_MALE);
  EXPECT_EQ(e.appointment().year(), 2010);
  EXPECT_EQ(e.appointment().month(), 1);
}

TEST(EmployeeValidation, NipWithSpacesIsNormalised) {
  pv1::Employee e = Pns();
  e.set_nip("19850312 201001 1 002");
  EXPECT_TRUE(Validate(&e).empty());
  EXPECT_EQ(e.nip(), kNip);
}

TEST(EmployeeValidation, BirthDateDisagreeingWithTheNipIsRejectedOnThatField) {
  EXPECT_THAT(ValidatePnsWith([](pv1::Employee& e) { *e.mutable_birth_date() = D(1985, 3, 13); }),
              Only("employee.birth_date", "does not match the NIP, which says 1985-03-12"));
}

TEST(EmployeeValidation, GenderDisagreeingWithTheNipIsRejectedOnThatField) {
  EXPECT_THAT(ValidatePnsWith([](pv1::Employee& e) { e.set_gender(pv1::GENDER_FEMALE); }),
              Only("employee.gender", "does not match the NIP, which says male"));
}

TEST(EmployeeValidation, AppointmentDisagreeingWithTheNipIsRejectedOnThatField) {
  EXPECT_THAT(ValidatePnsWith([](pv1::Employee& e) {
                e.mutable_appointment()->set_year(2011);
                e.mutable_appointment()->set_month(1);
              }),
              Only("employee.appointment", "does not match the NIP, which says 2010-01"));
}

TEST(EmployeeValidation, ShortNipIsRejectedWithTheDomainReason) {
  EXPECT_THAT(ValidatePnsWith([](pv1::Employee& e) { e.set_nip("19850312201001100"); }),
              Only("employee.nip", "NIP must have 18 digits, got 17"));
}

TEST(EmployeeValidation, PppkNumberIsOnly18DigitsButNeedsBirthDateAndGender) {
  pv1::Employee e = Pns();
  e.set_employment_type(pv1::EMPLOYMENT_TYPE_PPPK);
  e.set_nip("999999999999999999");  // not a valid PNS layout, fine for PPPK
  e.set_rank("IX");
  EXPECT_THAT(Validate(&e), ElementsAre(Field(&Violation::field, "employee.birth_date"),
                                        Field(&Violation::field, "employee.gender")));
  *e.mutable_birth_date() = D(1990, 1, 2);
  e.set_gender(pv1::GENDER_FEMALE);
  EXPECT_TRUE(Validate(&e).empty());
}

TEST(EmployeeValidation, PnsMayNotHoldAPppkGrade) {
  EXPECT_THAT(ValidatePnsWith([](pv1::Employee& e) { e.set_rank("IX"); }),
              Only("employee.rank", "'IX' is not a golongan I/a-IV/e"));
}

TEST(EmployeeValidation, NameIsRequiredAndBounded) {
  pv1::Employee e = Pns();
  e.set_name("");
  EXPECT_THAT(Validate(&e), Only("employee.name", "is required"));
  e.set_name(std::string(201, 'x'));
  EXPECT_THAT(Validate(&e),
              ElementsAre(Field(&Violation::description, "must be 1-200 characters, got 201")));
}

// personnel.proto bounds names in characters, as MariaDB's utf8mb4 VARCHAR(200)
// stores them: a name of 200 accented characters (400 bytes) is valid, 201 is
// not, and the count is characters.
TEST(EmployeeValidation, NameLengthCountsCharactersNotBytes) {
  pv1::Employee e = Pns();
  e.set_name(test::Accented(200));
  EXPECT_THAT(Validate(&e), ::testing::IsEmpty());
  e.set_name(test::Accented(201));
  EXPECT_THAT(Validate(&e), Only("employee.name", "must be 1-200 characters, got 201"));
}

TEST(PlacementWarnings, RankOutsideThePositionBandIsAWarningNotARejection) {
  pv1::Employee e = Pns();
  e.set_rank("II/c");
  pv1::Position p;
  p.set_code("JF-TS-AP");
  p.set_rank_min("III/a");
  p.set_rank_max("III/b");
  auto w = PlacementWarnings(e, p, "employee");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].field(), "employee.rank");
  EXPECT_EQ(w[0].message(), "rank II/c is outside the band III/a-III/b of position JF-TS-AP");
  e.set_rank("III/b");
  EXPECT_TRUE(PlacementWarnings(e, p, "employee").empty());
}

TEST(PositionValidation, ExpertiseLevelMustFitTheKind) {
  pv1::Position p;
  p.set_code("JF-TS-AP");
  p.set_name("Teknik Sipil Ahli Pertama");
  p.set_kind(pv1::POSITION_KIND_FUNCTIONAL_EXPERTISE);
  p.set_level(pv1::FUNCTIONAL_LEVEL_TERAMPIL);
  p.set_job_family("civil_engineering");
  EXPECT_THAT(ValidatePosition(p, "position"),
              ElementsAre(AllOf(Field(&Violation::field, "position.level"),
                                Field(&Violation::description, "does not fit the position kind"))));
  p.set_level(pv1::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  EXPECT_TRUE(ValidatePosition(p, "position").empty());
}

TEST(AgencyValidation, CodeAllowsDigitsDotsAndUpperCaseOnly) {
  pv1::Agency a;
  a.set_code("73.71");
  a.set_name("Kota Makassar");
  a.set_kind(pv1::AGENCY_KIND_CITY);
  a.set_province_code("73");
  EXPECT_TRUE(ValidateAgency(a, "agency").empty());
  a.set_code("73-71");
  EXPECT_THAT(ValidateAgency(a, "agency"), ElementsAre(Field(&Violation::field, "agency.code")));
}

TEST(Retirement, BupComesFromThePositionOrTheDefaultOfItsKindAndLevel) {
  pv1::Position p;
  p.set_kind(pv1::POSITION_KIND_PELAKSANA);
  EXPECT_EQ(proto_convert::RetirementAge(p), 58);
  p.set_kind(pv1::POSITION_KIND_FUNCTIONAL_EXPERTISE);
  p.set_level(pv1::FUNCTIONAL_LEVEL_AHLI_UTAMA);
  EXPECT_EQ(proto_convert::RetirementAge(p), 65);
  p.set_retirement_age(60);
  EXPECT_EQ(proto_convert::RetirementAge(p), 60);
}

TEST(Hints, MonthsInPostAndToRetirementAreWholeMonths) {
  pv1::Employee e = Pns();
  ASSERT_TRUE(Validate(&e).empty());
  *e.mutable_in_post_since() = D(2020, 1, 15);
  pv1::Position p;
  p.set_kind(pv1::POSITION_KIND_PELAKSANA);
  EligibilityHints h = ComputeHints(e, p, domain::Date{2026, 1, 14});
  EXPECT_EQ(h.months_in_post, 71);
  // Born 1985-03-12, BUP 58: TMT pensiun 2043-04-01.
  EXPECT_EQ(domain::FormatDate(h.retirement_date), "2043-04-01");
  EXPECT_EQ(h.months_to_retirement, domain::MonthsBetween({2026, 1, 14}, {2043, 4, 1}));
}

}  // namespace
}  // namespace seimbang::personnel
