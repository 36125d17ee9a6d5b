# Rockpool workspace image for macOS hosts: a Tart VM (Debian base) with code-server.
#
# THIS IS THE macOS PATH. It needs Packer and Tart on an Apple Silicon Mac and is untested on
# Linux hosts, where images/linux/build.sh builds the LXD/Incus image instead. Both install
# the same pinned versions (images/linux/versions.env) and the same code-server unit.
#
#   packer init images/macos/rockpool-workspace.pkr.hcl
#   packer build images/macos/rockpool-workspace.pkr.hcl
#
# Result: a local Tart VM named "rockpool-workspace" (tart list).

packer {
  required_plugins {
    tart = {
      version = ">= 1.12.0"
      source  = "github.com/cirruslabs/tart"
    }
  }
}

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
  # The Cirrus Labs Debian image's default login; used only while provisioning.
  ssh_username = "admin"
  ssh_password = "admin"
  ssh_timeout  = "180s"
}

build {
  sources = ["source.tart-cli.workspace"]

  # Same pins and unit as the Linux recipe.
  provisioner "file" {
    source      = "${path.root}/../linux/versions.env"
    destination = "/tmp/rockpool-versions.env"
  }
  provisioner "file" {
    source      = "${path.root}/../linux/overlay/etc/systemd/system/code-server.service"
    destination = "/tmp/code-server.service"
  }
  provisioner "file" {
    source      = "${path.root}/../linux/overlay/home/admin/.local/share/code-server/User/settings.json"
    destination = "/tmp/code-server-settings.json"
  }

  provisioner "shell" {
    script          = "${path.root}/setup.sh"
    execute_command = "echo admin | sudo -S env {{ .Vars }} bash '{{ .Path }}'"
  }
}
