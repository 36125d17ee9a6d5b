#include "client/table.h"

#include <algorithm>
#include <charconv>

#include "core/duration.h"

namespace rockpool::client {

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size() && i < width.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string FormatWorkspaces(const std::vector<Workspace>& workspaces) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& ws : workspaces) {
    rows.push_back({ws.name, std::string(StatusName(ws.status)), ws.owner.empty() ? "-" : ws.owner,
                    ws.image, ws.updated_at, ws.status_reason.value_or("")});
  }
  return FormatTable({"NAME", "STATUS", "OWNER", "IMAGE", "UPDATED", "REASON"}, rows);
}

std::string FormatCpus(double cpus) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, cpus, std::chars_format::fixed);
  return std::string(buf, ec == std::errc() ? end : buf) + (cpus == 1 ? " core" : " cores");
}

std::string FormatWorkspace(const Workspace& ws, const std::string& url) {
  std::vector<std::vector<std::string>> rows = {
      {"id:", ws.id},
      {"status:", std::string(StatusName(ws.status))},
      {"image:", ws.image},
      {"url:", url},
      {"created:", ws.created_at},
      {"updated:", ws.updated_at},
      {"cpus:", FormatCpus(ws.limits.cpus)},
      {"memory:", std::to_string(ws.limits.memory_mib) + " MiB"},
      {"processes:", std::to_string(ws.limits.processes)},
      {"disk:", std::to_string(ws.limits.disk_gib) + " GiB"},
  };
  rows.push_back({"idle timeout:", FormatDurationSeconds(ws.idle_timeout_seconds)});
  if (ws.last_activity_at) rows.push_back({"last activity:", *ws.last_activity_at});
  if (ws.idle_stop_at) rows.push_back({"idle stop at:", *ws.idle_stop_at});
  if (!ws.location.empty()) rows.push_back({"cluster member:", ws.location});
  if (ws.status_reason) rows.push_back({"reason:", *ws.status_reason});
  if (ws.source) {
    const WorkspaceSource& s = *ws.source;
    rows.push_back({"repository:", s.url + (s.ref ? " @ " + *s.ref : "") +
                                       (s.sealed_token ? " (with a token)" : "")});
    std::string clone(SourceStatusName(s.status));
    if (s.status == SourceStatus::kFailed) {
      clone += " (" + std::string(CloneErrorName(s.error_kind.value_or(CloneError::kOther))) +
               "): " + s.error.value_or("");
    }
    rows.push_back({"clone:", clone});
  }
  return FormatTable({"name:", ws.name}, rows);
}

std::string FormatPorts(const std::vector<Port>& ports,
                        const std::function<std::string(int)>& url_of) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : ports) {
    rows.push_back({std::to_string(p.port), p.label.value_or("-"), url_of(p.port)});
  }
  return FormatTable({"PORT", "LABEL", "URL"}, rows);
}

std::string FormatSnapshots(const std::vector<WorkspaceSnapshot>& snapshots) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : snapshots) rows.push_back({s.name, s.created_at});
  return FormatTable({"NAME", "CREATED"}, rows);
}

std::string FormatTokens(const std::vector<ApiToken>& tokens) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tokens) {
    rows.push_back({t.id, t.name, t.created_at, t.expires_at.value_or("never"),
                    t.last_used_at.value_or("never")});
  }
  return FormatTable({"ID", "NAME", "CREATED", "EXPIRES", "LAST-USED"}, rows);
}

std::string FormatUsers(const std::vector<UserInfo>& users) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : users) {
    rows.push_back({u.username, std::string(RoleName(u.role)), u.disabled ? "disabled" : "enabled",
                    u.deployment ? "deployment account" : u.created_at});
  }
  return FormatTable({"USERNAME", "ROLE", "STATUS", "CREATED"}, rows);
}

}  // namespace rockpool::client
