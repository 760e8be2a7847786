#include "common/domain/nip.h"

#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

// A fixed "today" keeps the birth-year rule independent of the clock.
constexpr Date kToday{2025, 6, 1};

void ExpectRejected(std::string_view nip, const std::string& message) {
  absl::StatusOr<NipInfo> info = ParseNip(nip, kToday);
  ASSERT_FALSE(info.ok()) << nip;
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(info.status().message()), message) << nip;
}

TEST(ParseNip, ReadsBirthDateAppointmentGenderAndSequence) {
  absl::StatusOr<NipInfo> info = ParseNip("198503122010011002", kToday);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->nip, "198503122010011002");
  EXPECT_EQ(info->birth_date, (Date{1985, 3, 12}));
  EXPECT_EQ(info->appointment_year, 2010);
  EXPECT_EQ(info->appointment_month, 1);
  EXPECT_EQ(info->gender, Gender::kMale);
  EXPECT_EQ(info->sequence, 2);
}

TEST(ParseNip, ReadsGenderTwoAsFemale) {
  EXPECT_EQ(ParseNip("199001012015032001", kToday)->gender, Gender::kFemale);
}

TEST(ParseNip, AcceptsSpacesBetweenGroupsAndNormalisesThem) {
  absl::StatusOr<NipInfo> info = ParseNip("19850312 201001 1 002", kToday);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->nip, "198503122010011002");
  EXPECT_EQ(ParseNip("  19850312 201001 1 002 ", kToday)->nip, "198503122010011002");
}

TEST(ParseNip, RejectsSpacesInsideAGroup) {
  ExpectRejected("1985 0312 201001 1 002",
                 "NIP may contain spaces only between its groups (YYYYMMDD YYYYMM G NNN)");
  ExpectRejected("19850312  201001 1 002",
                 "NIP may contain spaces only between its groups (YYYYMMDD YYYYMM G NNN)");
}

TEST(ParseNip, MustHaveEighteenDigits) {
  ExpectRejected("19850312201001100", "NIP must have 18 digits, got 17");
  ExpectRejected("1985031220100110021", "NIP must have 18 digits, got 19");
  ExpectRejected("", "NIP must have 18 digits, got 0");
}

TEST(ParseNip, MustContainOnlyDigits) {
  ExpectRejected("19850312-201001-1-002", "NIP must contain only digits");
  ExpectRejected("1985031220100110O2", "NIP must contain only digits");
}

TEST(ParseNip, BirthDateMustBeARealDate) {
  ExpectRejected("198502302010011002", "NIP birth date 1985-02-30 is not a real date");
  ExpectRejected("198513012010011002", "NIP birth date 1985-13-01 is not a real date");
  ExpectRejected("198302292010011002", "NIP birth date 1983-02-29 is not a real date");
  EXPECT_TRUE(ParseNip("198402292010011002", kToday).ok());  // 1984 is a leap year
}

TEST(ParseNip, BirthYearMustBeFrom1940ToTheCurrentYear) {
  ExpectRejected("193912312000011001", "NIP birth year 1939 is before 1940");
  ExpectRejected("202601012045011001", "NIP birth year 2026 is after the current year 2025");
  EXPECT_TRUE(ParseNip("194001011960011001", kToday).ok());
}

TEST(ParseNip, AppointmentMonthMustBeAMonth) {
  ExpectRejected("198503122010131002", "NIP appointment month 13 is not a month");
  ExpectRejected("198503122010001002", "NIP appointment month 0 is not a month");
}

TEST(ParseNip, AppointmentMustNotBeBeforeTheEighteenthBirthday) {
  ExpectRejected("198503122001051002",
                 "NIP appointment 2001-05 is before the person turned 18 (born 1985-03-12)");
  ExpectRejected("198503122003021002",
                 "NIP appointment 2003-02 is before the person turned 18 (born 1985-03-12)");
}

TEST(ParseNip, AppointmentInTheMonthOfTheEighteenthBirthdayIsAccepted) {
  // The NIP records only the month, so the rule is checked per month.
  EXPECT_TRUE(ParseNip("198503122003031002", kToday).ok());
}

TEST(ParseNip, GenderDigitMustBeOneOrTwo) {
  ExpectRejected("198503122010013002", "NIP gender digit must be 1 or 2, got 3");
  ExpectRejected("198503122010010002", "NIP gender digit must be 1 or 2, got 0");
}

TEST(ParseNip, SequenceMustBe001To999) {
  ExpectRejected("198503122010011000", "NIP sequence must be 001-999");
  EXPECT_EQ(ParseNip("198503122010011999", kToday)->sequence, 999);
}

TEST(ParseNip, WithoutATodayUsesTheClock) { EXPECT_TRUE(ParseNip("198503122010011002").ok()); }

TEST(MaskNip, KeepsTheFirstSixAndLastTwoDigits) {
  EXPECT_EQ(MaskNip("198503122010011002"), "198503**********02");
  EXPECT_EQ(MaskNip("19850312 201001 1 002"), "198503**********02");
}

TEST(MaskNip, MasksMalformedInputEntirely) {
  EXPECT_EQ(MaskNip("1985031220"), "**********");
  EXPECT_EQ(MaskNip("19850312201001100x"), "******************");
  EXPECT_EQ(MaskNip(""), "");
}

// Issue 15 item 6: an 8 MiB "NIP" is masked to a bounded string, not 8 MiB of stars.
TEST(MaskNip, BoundsTheMaskOfAHugeValue) {
  EXPECT_EQ(MaskNip(std::string(8 << 20, '1')), std::string(32, '*') + "\xE2\x80\xA6");
  EXPECT_EQ(MaskNip(std::string(32, 'x')), std::string(32, '*'));
}

TEST(CheckNipConsistency, PassesWhenGivenFieldsMatch) {
  const NipInfo info = *ParseNip("198503122010011002", kToday);
  EXPECT_TRUE(CheckNipConsistency(info, Date{1985, 3, 12}, Gender::kMale, Date{2010, 1, 1}).ok());
  EXPECT_TRUE(CheckNipConsistency(info, std::nullopt, std::nullopt, std::nullopt).ok());
}

TEST(CheckNipConsistency, ComparesOnlyYearAndMonthOfTheAppointment) {
  const NipInfo info = *ParseNip("198503122010011002", kToday);
  EXPECT_TRUE(CheckNipConsistency(info, std::nullopt, std::nullopt, Date{2010, 1, 31}).ok());
}

TEST(CheckNipConsistency, ReportsEveryMismatch) {
  const NipInfo info = *ParseNip("198503122010011002", kToday);
  absl::Status s = CheckNipConsistency(info, Date{1985, 3, 13}, Gender::kFemale, Date{2010, 2, 1});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "birth date 1985-03-13 does not match NIP (1985-03-12); "
            "gender female does not match NIP (male); "
            "appointment 2010-02 does not match NIP (2010-01)");
}

TEST(ValidateEmployeeNumber, AppliesTheNipRulesToPns) {
  EXPECT_EQ(*ValidateEmployeeNumber(EmploymentType::kPns, "19850312 201001 1 002"),
            "198503122010011002");
  EXPECT_EQ(ValidateEmployeeNumber(EmploymentType::kPns, "198503122010013002").status().message(),
            "NIP gender digit must be 1 or 2, got 3");
}

TEST(ValidateEmployeeNumber, ChecksOnlyEighteenDigitsForPppk) {
  // Not a valid NIP (gender digit 3, month 13), yet a well-formed PPPK number.
  EXPECT_EQ(*ValidateEmployeeNumber(EmploymentType::kPppk, "198503122010133002"),
            "198503122010133002");
  EXPECT_EQ(ValidateEmployeeNumber(EmploymentType::kPppk, "12345").status().message(),
            "PPPK number must have 18 digits, got 5");
  EXPECT_EQ(ValidateEmployeeNumber(EmploymentType::kPppk, "19850312201013300A").status().message(),
            "PPPK number must contain only digits");
}

TEST(IsEmployeeNumberShape, IsEighteenAsciiDigitsAndNothingElse) {
  EXPECT_TRUE(IsEmployeeNumberShape("198503122010011002"));
  EXPECT_TRUE(IsEmployeeNumberShape("198503122010133002"));  // a PPPK number: the shape only
  EXPECT_FALSE(IsEmployeeNumberShape("19850312201001100"));  // 17
  EXPECT_FALSE(IsEmployeeNumberShape("1985031220100110021"));
  EXPECT_FALSE(IsEmployeeNumberShape("19850312 201001 1 002"));  // not normalised
  EXPECT_FALSE(IsEmployeeNumberShape("19850312201001100A"));
  EXPECT_FALSE(IsEmployeeNumberShape("\xd9\xa198503122010011002"));  // an Arabic-Indic digit
  EXPECT_FALSE(IsEmployeeNumberShape(""));
}

}  // namespace
}  // namespace seimbang::domain
