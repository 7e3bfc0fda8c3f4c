"""Checks every #include of the tree against the dependency rules of docs/architecture.md.

The rules are the ```dependency-rules block of that file, one per line:

    FOLDER/  only   PATTERN ...   the folder's files may include only what matches a pattern
    FOLDER/  never  PATTERN ...   the folder's files may include nothing that matches one
    exempt   GLOB ...             files the rules do not bind (tests), matched against the path

A pattern is the start of an include target as written: "host/ matches #include "host/error.h",
<cstdint> matches only <cstdint>, <opencv2/ every OpenCV header. A file follows the lines of the
deepest folder listed that holds it (a subfolder's lines replace its parent's). A folder that does
not exist is an error, so a rule cannot silently stop checking anything after a move.

Usage: check_includes.py SOURCE_DIR   exit 0: no violation; 1: violations (listed); 2: bad rules.
"""
import fnmatch
import os
import re
import sys

RULES_FILE = "docs/architecture.md"
SOURCE_SUFFIXES = (".h", ".hpp", ".c", ".cc", ".cpp", ".def", ".inc")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"][^>"]*[>"])')


class RulesError(Exception):
    pass


def parse_rules(text):
    """Returns ({folder: {"only": [...], "never": [...]}}, [exempt globs]) from the rules block."""
    block = re.search(r"^```dependency-rules\n(.*?)^```", text, re.M | re.S)
    if not block:
        raise RulesError(f"{RULES_FILE} has no ```dependency-rules block")
    rules, exempt = {}, []
    for number, line in enumerate(block.group(1).splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "exempt":
            exempt += words[1:]
            continue
        if len(words) < 3 or words[1] not in ("only", "never") or not words[0].endswith("/"):
            raise RulesError(f"dependency-rules line {number}: expected 'FOLDER/ only|never PATTERN...': {line}")
        rules.setdefault(words[0], {"only": [], "never": []})[words[1]] += words[2:]
    return rules, exempt


def source_files(root, folder):
    for directory, subdirectories, files in os.walk(os.path.join(root, folder)):
        subdirectories.sort()
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/")


def governing_folder(path, rules):
    matches = [folder for folder in rules if path.startswith(folder)]
    return max(matches, key=len) if matches else None


def violations(root, rules, exempt):
    """Yields "path:line: #include X: why" for every include a rule forbids."""
    for folder in sorted(rules):
        if not os.path.isdir(os.path.join(root, folder)):
            raise RulesError(f"dependency rule for {folder}: no such folder")
    seen = set()
    for folder in sorted(rules):
        for path in source_files(root, folder):
            if path in seen or any(fnmatch.fnmatch(path, glob) for glob in exempt):
                continue
            seen.add(path)
            owner = governing_folder(path, rules)
            rule = rules[owner]
            with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = match.group(1)
                    if rule["only"] and not any(target.startswith(p) for p in rule["only"]):
                        yield f"{path}:{number}: #include {target}: {owner} may include only {' '.join(rule['only'])}"
                    for pattern in rule["never"]:
                        if target.startswith(pattern):
                            yield f"{path}:{number}: #include {target}: {owner} never includes {pattern}"


def check(root):
    """Returns (exit code, lines to print)."""
    try:
        with open(os.path.join(root, RULES_FILE), encoding="utf-8") as f:
            rules, exempt = parse_rules(f.read())
        found = list(violations(root, rules, exempt))
    except (OSError, RulesError) as e:
        return 2, [f"check_includes: {e}"]
    if found:
        return 1, found + [f"check_includes: {len(found)} include(s) break the dependency rules of {RULES_FILE}"]
    return 0, []


def main(argv):
    if len(argv) != 2:
        print("usage: check_includes.py SOURCE_DIR", file=sys.stderr)
        return 2
    code, lines = check(argv[1])
    for line in lines:
        print(line, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
