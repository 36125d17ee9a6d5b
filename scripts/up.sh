#!/usr/bin/env bash
# Brings Rockpool up on this machine and prints the URL of workspace "test".
# Idempotent: a second run only checks that everything is in place.
source "$(dirname "$0")/lib.sh"
setup_host
exec "$ROCKPOOL_ROOT/build/rockpool" up "$@"
