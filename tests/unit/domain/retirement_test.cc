#include "common/domain/retirement.h"

#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

using K = PositionKind;
using F = FunctionalLevel;

int Bup(K kind, F level) {
  absl::StatusOr<int> age = DefaultRetirementAge(kind, level);
  EXPECT_TRUE(age.ok()) << age.status();
  return age.value_or(-1);
}

TEST(DefaultRetirementAge, IsSixtyForEveryJpt) {
  EXPECT_EQ(Bup(K::kJptUtama, F::kNone), 60);
  EXPECT_EQ(Bup(K::kJptMadya, F::kNone), 60);
  EXPECT_EQ(Bup(K::kJptPratama, F::kNone), 60);
}

TEST(DefaultRetirementAge, IsFiftyEightForAdministrativePosts) {
  EXPECT_EQ(Bup(K::kAdministrator, F::kNone), 58);
  EXPECT_EQ(Bup(K::kPengawas, F::kNone), 58);
  EXPECT_EQ(Bup(K::kPelaksana, F::kNone), 58);
}

TEST(DefaultRetirementAge, DependsOnTheExpertiseLevel) {
  EXPECT_EQ(Bup(K::kFunctionalExpertise, F::kAhliPertama), 58);
  EXPECT_EQ(Bup(K::kFunctionalExpertise, F::kAhliMuda), 58);
  EXPECT_EQ(Bup(K::kFunctionalExpertise, F::kAhliMadya), 60);
  EXPECT_EQ(Bup(K::kFunctionalExpertise, F::kAhliUtama), 65);
}

TEST(DefaultRetirementAge, IsFiftyEightForEverySkillLevel) {
  for (F level : {F::kPemula, F::kTerampil, F::kMahir, F::kPenyelia}) {
    EXPECT_EQ(Bup(K::kFunctionalSkill, level), 58);
  }
}

TEST(DefaultRetirementAge, RejectsALevelThatDoesNotFitTheKind) {
  EXPECT_EQ(DefaultRetirementAge(K::kFunctionalExpertise, F::kNone).status().message(),
            "functional level NONE does not fit position kind FUNCTIONAL_EXPERTISE");
  EXPECT_EQ(DefaultRetirementAge(K::kFunctionalExpertise, F::kMahir).status().message(),
            "functional level MAHIR does not fit position kind FUNCTIONAL_EXPERTISE");
  EXPECT_EQ(DefaultRetirementAge(K::kFunctionalSkill, F::kAhliMuda).status().message(),
            "functional level AHLI_MUDA does not fit position kind FUNCTIONAL_SKILL");
  EXPECT_EQ(DefaultRetirementAge(K::kAdministrator, F::kAhliMadya).status().message(),
            "functional level AHLI_MADYA does not fit position kind ADMINISTRATOR");
  EXPECT_EQ(DefaultRetirementAge(K::kJptMadya, F::kAhliUtama).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace seimbang::domain
