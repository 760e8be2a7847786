#!/usr/bin/env python3
"""Lists C++ functions longer than a limit and files longer than a limit (issue 16).

    tools/lint/function_length.py [--max-function 80] [--max-file 600] DIR|FILE...

A function counts from the line of its signature to its closing brace. A function may be
longer when the comment just above it (within three lines of the signature) says why, with
the marker `long-function:`; a file may be longer with `long-file:` in its first 20 lines.
Exit status 1 when anything is over its limit, 0 otherwise; each finding is one line
`path:line: name is N lines (limit M)`.

It reads C++ as text: comments, strings and character literals are blanked first, then
braces are matched. A brace opens a function body when the text before it (back to the
previous `;`, `{` or `}`) has a parameter list and is not a class, namespace, enum, control
statement or initializer. Lambdas and local classes count as part of their function.
"""

import argparse
import os
import re
import sys

SOURCE_ENDINGS = (".cc", ".cpp", ".h", ".hpp")
CONTAINER = re.compile(r"\b(namespace|class|struct|union|enum)\b[^()]*$|extern\s+\"C\"")
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|return|case)\b")
ACCESS = re.compile(r"\s*(?:(?:public|private|protected)\s*:(?!:)\s*)+")
# `) : a_(a), b_` or `) const : b_`: the head of a constructor whose initializer list is open.
INIT_BRACE = re.compile(r"\)[^;{}()]*:(?!:)[^;{}]*[\w>]\s*$")
NAME = re.compile(r"([~A-Za-z_][\w:<>,~]*(?:operator\s*[^\s(]+)?)\s*\($")


def blank(text):
    """Returns text with comments, strings and char literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 1'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def signature_name(head):
    """The function's name if `head` (text before a `{`) is a function signature, else None."""
    flat = " ".join(head.split())
    if not flat or CONTROL.match(flat) or flat.startswith("#"):
        return None
    if CONTAINER.search(flat):
        return None
    # Strip a constructor's initializer list and trailing qualifiers back to the parameter list.
    depth = 0
    close = -1
    for k, ch in enumerate(flat):
        if ch == "(":
            if depth == 0 and close >= 0 and ":" in flat[close:k]:
                break  # initializer list after the parameter list
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                close = k
                break
    if close < 0:
        return None
    before = flat[: flat.index("(")].rstrip()
    if before.endswith("=") or before.endswith("]") or not before:
        return None  # lambda or initializer
    m = NAME.search(before + "(")
    if not m:
        return None
    name = m.group(1)
    if name in ("if", "for", "while", "switch", "catch", "return", "sizeof", "decltype"):
        return None
    return name


def functions(text):
    """Yields (start_line, end_line, name) for each function body at container level."""
    clean = blank(text)
    line_of = []
    line = 1
    for ch in clean:
        line_of.append(line)
        if ch == "\n":
            line += 1
    stack = []  # each entry: "container", "function", or "other"
    head_start = 0
    fn_start = None
    for i, ch in enumerate(clean):
        if ch in ";":
            if not stack or stack[-1] == "container":
                head_start = i + 1
        elif ch == "{":
            in_function = any(kind == "function" for kind in stack)
            kind = "other"
            if not in_function:
                access = ACCESS.match(clean, head_start)
                if access:
                    head_start = access.end()
                head = clean[head_start:i]
                if INIT_BRACE.search(" ".join(head.split())):
                    stack.append("init")  # a member's brace initializer in a constructor
                    continue
                name = signature_name(head)
                if name:
                    kind = "function"
                    first = head_start + (len(head) - len(head.lstrip()))
                    fn_start = (line_of[min(first, len(line_of) - 1)], name)
                elif CONTAINER.search(" ".join(head.split())) or not head.strip():
                    kind = "container" if CONTAINER.search(" ".join(head.split())) else "other"
            stack.append(kind)
            head_start = i + 1
        elif ch == "}":
            kind = stack.pop() if stack else "other"
            if kind == "init":
                continue
            if kind == "function" and fn_start:
                yield fn_start[0], line_of[i], fn_start[1]
                fn_start = None
            if not stack or stack[-1] == "container":
                head_start = i + 1


def excused(lines, start, marker):
    for k in range(max(0, start - 4), start):
        if marker in lines[k]:
            return True
    return False


def check(path, max_function, max_file):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    lines = text.split("\n")
    findings = []
    if len(lines) > max_file and not any("long-file:" in l for l in lines[:20]):
        findings.append(f"{path}:1: file is {len(lines)} lines (limit {max_file})")
    for start, end, name in functions(text):
        length = end - start + 1
        if length > max_function and not excused(lines, start, "long-function:"):
            findings.append(f"{path}:{start}: {name} is {length} lines (limit {max_function})")
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-function", type=int, default=80)
    parser.add_argument("--max-file", type=int, default=600)
    parser.add_argument("--exclude", action="append", default=[], help="path prefix to skip")
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    findings = []
    for root_dir in args.dirs:
        if os.path.isfile(root_dir):
            findings.extend(check(root_dir, args.max_function, args.max_file))
            continue
        for root, _, files in os.walk(root_dir):
            for name in sorted(files):
                path = os.path.join(root, name)
                if not name.endswith(SOURCE_ENDINGS):
                    continue
                if any(path.startswith(p) for p in args.exclude):
                    continue
                findings.extend(check(path, args.max_function, args.max_file))
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
