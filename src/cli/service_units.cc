#include "cli/service_units.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/install_paths.h"
#include "cli/service.h"
#include "cli/unit_templates.h"
#include "proxy/caddy/caddy_daemon.h"
#include "sys/process_lock.h"

extern char** environ;

namespace rockpool {
namespace {

namespace fs = std::filesystem;

void Replace(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// A word of a unit file: specifiers (%) doubled; quoted when it holds a space or a quote.
std::string UnitWord(const std::string& s) {
  std::string out;
  bool quote = false;
  for (char ch : s) {
    if (ch == '%') {
      out += "%%";
    } else if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
      quote = true;
    } else if (ch == '\n') {
      out += "\\n";
      quote = true;
    } else {
      quote |= ch == ' ' || ch == '\t' || ch == '\'';
      out += ch;
    }
  }
  return quote ? "\"" + out + "\"" : out;
}

std::string Which(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path candidate = fs::path(dir) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "/usr/bin/" + program;
}

std::string Fnv1aHex(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char ch : s) h = (h ^ ch) * 16777619u;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

std::string Render(std::string text, const UnitSettings& s) {
  std::string environment;
  for (const std::string& kv : s.environment) {
    environment += (environment.empty() ? "" : "\n") + std::string("Environment=") + UnitWord(kv);
  }
  Replace(text, "@ENVIRONMENT@", environment);
  Replace(text, "@ROCKPOOL@", UnitWord(s.rockpool_binary));
  Replace(text, "@CADDY@", UnitWord(s.caddy_binary));
  Replace(text, "@CADDY_DIR@", s.caddy_dir);
  Replace(text, "@CADDY_UNIT@", s.caddy_unit);
  return text;
}

Status Systemctl(Context& ctx, std::vector<std::string> args) {
  args.insert(args.begin(), "systemctl");
  RP_ASSIGN_OR_RETURN(ProcessResult r, ctx.runner().Run({.argv = args}));
  if (r.exit_code != 0) {
    return Status::Unavailable(CommandLine(args) + " failed (exit " + std::to_string(r.exit_code) +
                               "): " + r.output);
  }
  return Status::Ok();
}

// Writes `unit` when its text differs; returns whether it did.
Result<bool> WriteUnit(const std::string& dir, const UnitFile& unit) {
  const std::string path = dir + "/" + unit.name;
  std::ifstream in(path);
  std::stringstream old;
  old << in.rdbuf();
  if (in && old.str() == unit.text) return false;
  std::ofstream out(path, std::ios::trunc);
  out << unit.text;
  out.close();
  if (!out) return Status::Internal("write systemd unit " + path);
  fs::permissions(path, fs::perms(0644));
  return true;
}

}  // namespace

bool SystemdIsInit() { return fs::is_directory("/run/systemd/system"); }

UnitSettings UnitSettingsFor(Context& ctx) {
  const Config& c = ctx.config();
  UnitSettings s;
  s.rockpool_binary = ExecutablePath();
  s.caddy_binary = Which(ctx.caddy().RunSpec().argv[0]);
  s.caddy_dir = c.caddy_dir();
  if (c.state_dir != Config().state_dir) {
    const std::string id = Fnv1aHex(c.state_dir);
    s.serve_unit = "rockpool-" + id + ".service";
    s.caddy_unit = "rockpool-" + id + "-caddy.service";
  }
  s.environment = {"ROCKPOOL_STATE_DIR=" + c.state_dir, "ROCKPOOL_LOG_DIR=" + c.log_dir,
                   "ROCKPOOL_CONTROL_PORT=" + std::to_string(c.control_port),
                   "ROCKPOOL_WORKSPACE_PORT=" + std::to_string(c.workspace_port)};
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv(*e);
    const std::string key = kv.substr(0, kv.find('='));
    if (!key.starts_with("ROCKPOOL_") || key == "ROCKPOOL_USERNAME" || key == "ROCKPOOL_PASSWORD" ||
        key == "ROCKPOOL_STATE_DIR" || key == "ROCKPOOL_LOG_DIR" ||
        key == "ROCKPOOL_CONTROL_PORT" || key == "ROCKPOOL_WORKSPACE_PORT") {
      continue;
    }
    s.environment.push_back(kv);
  }
  std::sort(s.environment.begin() + 4, s.environment.end());
  return s;
}

std::vector<UnitFile> RenderUnits(const UnitSettings& s) {
  return {{s.serve_unit, Render(kServeUnitTemplate, s)},
          {s.caddy_unit, Render(kCaddyUnitTemplate, s)}};
}

Status EnsureUnits(Context& ctx, const std::string& unit_dir) {
  const UnitSettings s = UnitSettingsFor(ctx);
  RP_RETURN_IF_ERROR(ctx.caddy().Prepare());
  bool changed = false;
  for (const UnitFile& unit : RenderUnits(s)) {
    RP_ASSIGN_OR_RETURN(bool wrote, WriteUnit(unit_dir, unit));
    changed |= wrote;
  }
  if (changed) RP_RETURN_IF_ERROR(Systemctl(ctx, {"daemon-reload"}));
  RP_RETURN_IF_ERROR(Systemctl(ctx, {"enable", "--quiet", s.caddy_unit, s.serve_unit}));
  // New settings or a rebuilt binary: restart; else start what is not running.
  const int serve = FindServe(ctx.config());
  const bool stale = serve != 0 && !RunsExecutable(serve, s.rockpool_binary);
  RP_RETURN_IF_ERROR(
      Systemctl(ctx, {changed || stale ? "restart" : "start", s.caddy_unit, s.serve_unit}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!ControlPlaneAnswers(ctx.config())) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable("the control plane (" + s.serve_unit +
                                 ") did not answer within 60 s: journalctl -u " + s.serve_unit);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf(
      "service: systemd units %s and %s enabled and running; they come back after a "
      "reboot\n",
      s.serve_unit.c_str(), s.caddy_unit.c_str());
  return Status::Ok();
}

Status StopUnits(Context& ctx, bool caddy_too, const std::string& unit_dir) {
  const UnitSettings s = UnitSettingsFor(ctx);
  if (!fs::exists(unit_dir + "/" + s.serve_unit)) return Status::Ok();
  if (!caddy_too) return Systemctl(ctx, {"stop", s.serve_unit});
  return Systemctl(ctx, {"stop", s.serve_unit, s.caddy_unit});
}

Status RemoveUnits(Context& ctx, const std::string& unit_dir) {
  const UnitSettings s = UnitSettingsFor(ctx);
  bool any = false;
  for (const std::string& name : {s.serve_unit, s.caddy_unit}) {
    if (!fs::exists(unit_dir + "/" + name)) continue;
    any = true;
    RP_RETURN_IF_ERROR(Systemctl(ctx, {"disable", "--now", "--quiet", name}));
    fs::remove(unit_dir + "/" + name);
  }
  if (any) RP_RETURN_IF_ERROR(Systemctl(ctx, {"daemon-reload"}));
  return Status::Ok();
}

}  // namespace rockpool
