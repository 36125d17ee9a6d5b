# shellcheck shell=bash
# The Debian root filesystem, built with mmdebstrap from the host's Debian mirror.

# Prints the host's apt source files that point at a Debian archive (third-party
# repositories are left out: the image must only need Debian's archive).
debian_source_files() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "${f}" ]] || continue
    if grep -Eq '^[^#]*(https?|file)://[^ ]*/debian(-security)?/?([[:space:]]|$)' "${f}"; then
      echo "${f}"
    fi
  done
}

# Keeps the host's tolerance for snapshot mirrors whose Release files have expired.
host_apt_options() {
  local key value
  for key in Acquire::Check-Valid-Until Acquire::Check-Date; do
    value="$(apt-config dump "${key}" 2>/dev/null | sed -n "s/^${key} \"\(.*\)\";$/\1/p")"
    [[ -n "${value}" ]] && echo "--aptopt=${key} \"${value}\";"
  done
  return 0
}

# build_rootfs <dir>
build_rootfs() {
  local dir="$1" sources=() opts=() pkgs
  need mmdebstrap mmdebstrap
  if [[ -n "${ROCKPOOL_DEBIAN_MIRROR:-}" ]]; then
    sources=("${ROCKPOOL_DEBIAN_MIRROR}")
  else
    mapfile -t sources < <(debian_source_files)
  fi
  [[ ${#sources[@]} -gt 0 ]] ||
    die "no Debian archive in /etc/apt/sources.list*: add one or set ROCKPOOL_DEBIAN_MIRROR=http://deb.debian.org/debian"
  mapfile -t opts < <(host_apt_options)
  pkgs="$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "${RECIPE_DIR}/packages.txt" | paste -sd, -)"
  info "mirror: ${sources[*]}"
  # Downloaded .debs are kept in the cache, so a rebuild only fetches package indexes.
  local debs="${CACHE_DIR}/debs"
  mkdir -p "${debs}"
  mmdebstrap --variant=minbase --mode=root --format=directory \
    --skip=essential/unlink \
    --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives/" \
    --setup-hook="sync-in '${debs}' /var/cache/apt/archives/" \
    --customize-hook="rm -rf '${debs}' && mkdir -p '${debs}'" \
    --customize-hook="sync-out /var/cache/apt/archives '${debs}'" \
    --include="${pkgs}" \
    --dpkgopt='force-unsafe-io' \
    "${opts[@]}" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    "${DEBIAN_SUITE}" "${dir}" "${sources[@]}" 2>&1 | sed -u 's/^/    /' ||
    die "mmdebstrap ${DEBIAN_SUITE} failed: check the Debian mirror in /etc/apt/sources.list* (apt-get update on the host)"
  # mmdebstrap keeps its dpkg options in the image: the excludes stay (later apt installs
  # stay small too), unsafe I/O (a build-time speed-up) goes.
  sed -i '/^force-unsafe-io$/d' "${dir}/etc/dpkg/dpkg.cfg.d/99mmdebstrap"
}
