# The Tart plugin for Packer (Packer 1.7 or later): `packer init images/macos` installs it.
packer {
  required_plugins {
    tart = {
      version = ">= 1.12.0"
      source  = "github.com/cirruslabs/tart"
    }
  }
}
