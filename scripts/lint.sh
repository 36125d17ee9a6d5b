#!/usr/bin/env bash
# Lints the C++ tree: clang-tidy with the repository's .clang-tidy on every source file under
# src/ (using build/compile_commands.json; test files without the clang-analyzer checks), then
# clang-format --dry-run -Werror on every C++ file under src/, tests/ and bench/. Prints what
# fails and how long each part took; exits non-zero when anything fails.
#   scripts/lint.sh [build-dir]     (default: build; configure it first: cmake --preset default)
# LINT_JOBS sets clang-tidy's parallelism (default 2).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
jobs=${LINT_JOBS:-2}
cd "$root" || exit 1

for tool in clang-tidy clang-format; do
  command -v "$tool" >/dev/null || { echo "lint: $tool not found; install it: apt-get install $tool" >&2; exit 1; }
done
if [ ! -f "$build/compile_commands.json" ]; then
  echo "lint: no $build/compile_commands.json; configure first: cmake --preset default -S $root" >&2
  exit 1
fi
failed=0

start=$(date +%s)
mapfile -t sources < <(git ls-files 'src/*.cc')
tidy_log=$(mktemp)
trap 'rm -f "$tidy_log"' EXIT
# One clang-tidy per file, $jobs at a time; a file's findings are printed together. Findings
# located inside Boost's headers are not counted: clang 14's analyzer follows our calls into
# Asio's type-erased executors and awaitables and reports null dereferences there that cannot
# happen (a known false positive); they are listed, and anything located in our code fails.
# Test files get every check but the analyzer's: its path-sensitive walk through GoogleTest's
# macros triples their time, and the tests themselves run under ASan/UBSan.
check_file() {
  local out
  local errors
  local only=()
  [[ $2 == *_test.cc ]] && only=(--checks=-clang-analyzer-*)
  out=$(clang-tidy -p "$1" --quiet "${only[@]}" "$2" 2>&1) && return 0
  errors=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' <<<"$out")
  # No finding at all (it crashed, or the file has no compile command), or one in our code.
  if [ -z "$errors" ] || grep -qv '^/usr/include/boost/' <<<"$errors"; then
    printf '%s\nlint: clang-tidy failed: %s\n' "$out" "$2"
    return 1
  fi
  sed "s|^|lint: ignored in $2: |" <<<"$errors" | cut -c1-200
}
export -f check_file
if ! printf '%s\0' "${sources[@]}" |
  xargs -0 -P "$jobs" -n 1 bash -c 'check_file "$0" "$1"' "$build" >"$tidy_log"; then
  failed=1
fi
grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' "$tidy_log"
echo "lint: clang-tidy checked ${#sources[@]} files in $(($(date +%s) - start)) s (-j$jobs)"

start=$(date +%s)
mapfile -t files < <(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h')
unformatted=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [ ${#unformatted[@]} -gt 0 ]; then
  printf 'lint: not formatted (fix with clang-format -i): %s\n' "${unformatted[@]}"
  failed=1
fi
echo "lint: clang-format checked ${#files[@]} files in $(($(date +%s) - start)) s"

[ "$failed" = 0 ] && echo "lint: ok"
exit "$failed"
