// systemd units for the control plane and its Caddy, rendered from dist/systemd/*.service.in
// with this deployment's paths and settings, for hosts where PID 1 is systemd.
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace rockpool {

// True when PID 1 is systemd (it creates /run/systemd/system at boot).
bool SystemdIsInit();

struct UnitSettings {
  std::string rockpool_binary;
  std::string caddy_binary;
  std::string caddy_dir;
  std::string serve_unit = "rockpool.service";
  std::string caddy_unit = "rockpool-caddy.service";
  std::vector<std::string> environment;  // KEY=value, written as Environment= lines
};

struct UnitFile {
  std::string name;
  std::string text;
};

// The settings of this deployment: this executable, caddy from PATH, and every ROCKPOOL_*
// setting of the environment but the credentials (the state dir, log dir and ports always).
// A deployment outside /var/lib/rockpool gets units named after its state dir.
UnitSettings UnitSettingsFor(Context& ctx);
std::vector<UnitFile> RenderUnits(const UnitSettings& settings);

// Writes the units into `unit_dir`, reloads systemd, enables and (re)starts them, and waits
// for the control plane to answer; prints the mode.
Status EnsureUnits(Context& ctx, const std::string& unit_dir = "/etc/systemd/system");
// Stops the control plane's unit, and Caddy's when `caddy_too` (they stay enabled); ok when
// they are not installed.
Status StopUnits(Context& ctx, bool caddy_too, const std::string& unit_dir = "/etc/systemd/system");
// Disables, stops and deletes the units.
Status RemoveUnits(Context& ctx, const std::string& unit_dir = "/etc/systemd/system");

}  // namespace rockpool
