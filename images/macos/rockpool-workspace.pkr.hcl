# Rockpool workspace image for macOS hosts: a Tart VM (Debian base) with code-server, for the
# Tart runtime (src/runtime/tart). On an Apple Silicon Mac with Tart and Packer 1.7 or later:
#
#   packer init images/macos
#   packer build images/macos
#
# Result: a local Tart VM named "rockpool-workspace" (tart list). It is provisioned by
# setup.sh with the Linux image's recipe (images/linux): same pins, same Node.js and
# code-server steps, same provisioning script (provision.sh vm).
#
# On Linux, Debian's Packer (1.6) checks this file's syntax and its provisioners (the tests do,
# see tests/integration/images); it has no Tart plugin, so the source block is not checked.

variable "base_image" {
  type    = string
  default = "ghcr.io/cirruslabs/debian:latest"
}

variable "vm_name" {
  type    = string
  default = "rockpool-workspace"
}

source "tart-cli" "workspace" {
  vm_base_name = var.base_image
  vm_name      = var.vm_name
  cpu_count    = 2
  memory_gb    = 4
  disk_size_gb = 20
  headless     = true
  # The Cirrus Labs Debian image's login, used only while provisioning: provision.sh locks it,
  # takes sudo away and turns SSH off before the image is saved.
  ssh_username = "admin"
  ssh_password = "admin"
  ssh_timeout  = "180s"
}

build {
  sources = ["source.tart-cli.workspace"]

  # The Linux image's recipe: versions.env, lib/, overlay/, overlay-vm/, provision.sh.
  provisioner "file" {
    source      = "${path.root}/../linux/"
    destination = "/tmp/rockpool-recipe"
  }

  provisioner "shell" {
    script          = "${path.root}/setup.sh"
    execute_command = "echo admin | sudo -S env {{ .Vars }} bash '{{ .Path }}'"
  }
}
