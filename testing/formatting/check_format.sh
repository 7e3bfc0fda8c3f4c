#!/bin/sh
# Fails, naming each file, when a C or C++ file tracked by git is not as clang-format writes it with
# the tree's .clang-format files. Usage: check_format.sh SOURCE_DIR (exit 77: no clang-format or
# not a git checkout, skipped). To fix a file: clang-format -i FILE.
cd "$1" || exit 2
command -v clang-format > /dev/null || { echo "clang-format is not installed: skipped"; exit 77; }
git rev-parse --is-inside-work-tree > /dev/null 2>&1 || { echo "not a git checkout: skipped"; exit 77; }
unformatted=$(git ls-files -z '*.c' '*.cc' '*.cpp' '*.h' '*.hpp' |
  xargs -0 -n 50 clang-format --dry-run --Werror 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error:.*/\1/p' | sort -u)
if [ -n "$unformatted" ]; then
  echo "not formatted as .clang-format says (clang-format -i FILE fixes each):"
  echo "$unformatted"
  exit 1
fi
echo "every C and C++ file is formatted"
