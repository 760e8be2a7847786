// Text whose length in characters is not its length in bytes, for the bounds the
// contracts count in characters (as MariaDB's utf8mb4 VARCHAR does).
#ifndef SEIMBANG_TESTS_UNIT_ACCENTED_H_
#define SEIMBANG_TESTS_UNIT_ACCENTED_H_

#include <string>

namespace seimbang::test {

// `n` copies of "é": n characters, 2n bytes.
inline std::string Accented(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "\xc3\xa9";
  return s;
}

}  // namespace seimbang::test

#endif  // SEIMBANG_TESTS_UNIT_ACCENTED_H_
