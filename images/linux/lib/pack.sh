# shellcheck shell=bash
# Packs metadata.yaml, templates/ and rootfs/ into one unified LXD/Incus image tarball.

# write_metadata <image dir> <digest>
write_metadata() {
  local dir="$1" digest="$2"
  cat >"${dir}/metadata.yaml" <<YAML
architecture: x86_64
creation_date: $(date +%s)
properties:
  description: Rockpool workspace (Debian 12, code-server ${CODE_SERVER_VERSION}, Node.js ${NODE_VERSION})
  os: debian
  release: ${DEBIAN_SUITE}
  architecture: amd64
  rockpool.recipe: "${digest}"
  # Instances see this as image.rockpool.code-server.config: their code-server config is
  # rendered at each start from user.rockpool.code-server.* (templates/code-server.yaml.tpl).
  rockpool.code-server.config: template
templates:
  /etc/hostname:
    when: [create, copy]
    template: hostname.tpl
  /etc/hosts:
    when: [create, copy]
    template: hosts.tpl
  /etc/rockpool/code-server.yaml:
    when: [start]
    template: code-server.yaml.tpl
YAML
  mkdir -p "${dir}/templates"
  cp "${RECIPE_DIR}"/templates/*.tpl "${dir}/templates/"
}

# pack_image <image dir> <tarball>: gzip only when ROCKPOOL_IMAGE_GZIP=1 (plain tar imports
# faster on the local daemon; see README.md).
pack_image() {
  local dir="$1" out="$2"
  local args=(--numeric-owner --xattrs --xattrs-include='*' -C "${dir}" -cf - metadata.yaml templates rootfs)
  if [[ "${ROCKPOOL_IMAGE_GZIP:-0}" == 1 ]]; then
    tar "${args[@]}" | gzip -1 >"${out}.partial"
  else
    tar "${args[@]}" >"${out}.partial"
  fi
  mv "${out}.partial" "${out}"
}
