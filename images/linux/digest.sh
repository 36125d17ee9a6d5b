#!/bin/bash
# Prints the recipe digest: sha256 over every file of this recipe (path and content, in a
# fixed order), so an unchanged recipe, including its pinned versions in versions.env, is
# recognised and not rebuilt. The README is documentation, not recipe.
set -euo pipefail
cd "$(dirname "$0")"
find . -type f -not -name '*~' -not -name 'README.md' -print0 | LC_ALL=C sort -z |
  xargs -0 sha256sum | sha256sum | cut -d' ' -f1
