#!/usr/bin/env python3
"""Specification of tools/lint/function_length.py: what counts as a function and its length."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "lint"))
import function_length as fl  # noqa: E402


def body(n):
    return "".join(f"  x += {i};\n" for i in range(n))


class FunctionsTest(unittest.TestCase):
    def test_a_function_counts_from_its_signature_to_its_closing_brace(self):
        text = "int F(int a,\n      int b) {\n" + body(3) + "}\n"
        self.assertEqual(list(fl.functions(text)), [(1, 6, "F")])

    def test_member_functions_in_classes_and_namespaces_are_found(self):
        text = "namespace a {\nclass C {\n public:\n  void M() const {\n" + body(2) + "  }\n};\n}\n"
        self.assertEqual(list(fl.functions(text)), [(4, 7, "M")])

    def test_a_constructor_with_an_initializer_list_is_one_function(self):
        text = "C::C(int a) : a_(a), b_{a} {\n" + body(2) + "}\n"
        self.assertEqual(list(fl.functions(text)), [(1, 4, "C::C")])

    def test_lambdas_and_control_blocks_belong_to_their_function(self):
        text = ("void F() {\n  auto g = [](int x) {\n    return x;\n  };\n"
                "  if (g(1)) {\n    for (;;) {\n    }\n  }\n}\n")
        self.assertEqual(list(fl.functions(text)), [(1, 9, "F")])

    def test_braces_in_strings_comments_and_raw_strings_are_ignored(self):
        text = ('void F() {\n  const char* s = "{{";  // }\n  /* { */\n'
                '  auto r = R"x({ })x";\n  char c = \'}\';\n}\n')
        self.assertEqual(list(fl.functions(text)), [(1, 6, "F")])

    def test_initializers_enums_and_structs_are_not_functions(self):
        text = ("const int kA[] = {1, 2};\nenum class E { kX, kY };\n"
                "struct S {\n  int a = 0;\n};\nstd::vector<int> v{1, 2};\n")
        self.assertEqual(list(fl.functions(text)), [])


class CheckTest(unittest.TestCase):
    def write(self, text):
        f = tempfile.NamedTemporaryFile("w", suffix=".cc", delete=False)
        f.write(text)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_a_function_one_line_over_the_limit_is_reported_and_one_at_it_is_not(self):
        at = self.write("void F() {\n" + body(78) + "}\n")  # 80 lines
        over = self.write("void F() {\n" + body(79) + "}\n")  # 81 lines
        self.assertEqual(fl.check(at, 80, 600), [])
        self.assertEqual(fl.check(over, 80, 600), [f"{over}:1: F is 81 lines (limit 80)"])

    def test_a_comment_saying_why_excuses_a_long_function(self):
        path = self.write("// long-function: one table, read top to bottom.\nvoid F() {\n"
                          + body(100) + "}\n")
        self.assertEqual(fl.check(path, 80, 600), [])

    def test_a_long_file_is_reported_unless_its_head_says_why(self):
        long_text = "int x;\n" * 700
        self.assertEqual(len(fl.check(self.write(long_text), 80, 600)), 1)
        self.assertEqual(fl.check(self.write("// long-file: generated table\n" + long_text), 80, 600), [])


if __name__ == "__main__":
    unittest.main()
