# shellcheck shell=bash
# Helpers shared by the recipe's steps. Sourced, not run.

# step <n> <text>: one progress line per step, e.g. "[3/8] installing code-server 4.100.3".
step() {
  echo "[$1/${STEP_TOTAL}] $2"
}

info() {
  echo "    $*"
}

# die <message>: one line naming what failed and how to fix it; the builder reports it.
die() {
  echo "error: $*" >&2
  exit 1
}

# need <command> <debian package>: fail early with the install command when a tool is missing.
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: apt-get install $2"
}
