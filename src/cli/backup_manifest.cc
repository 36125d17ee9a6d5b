#include "cli/backup_manifest.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/incus/sha256.h"

namespace rockpool {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A plain relative path inside the backup: no absolute paths, no "..", no empty parts.
bool IsInsideBackup(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  for (const auto& part : fs::path(path)) {
    if (part == ".." || part == "." || part.empty()) return false;
  }
  return true;
}

}  // namespace

json ToJson(const BackupManifest& m) {
  json files = json::array();
  for (const BackupFile& f : m.files) {
    files.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
  }
  json workspaces = json::array();
  for (const BackupWorkspace& w : m.workspaces) {
    workspaces.push_back({{"name", w.name}, {"instance", w.instance}, {"file", w.file}});
  }
  return {{"format", m.format},
          {"created_at", m.created_at},
          {"rockpool_version", m.rockpool_version},
          {"engine", m.engine},
          {"schema_version", m.schema_version},
          {"only_store", m.only_store},
          {"store_file", m.store_file},
          {"files", files},
          {"workspaces", workspaces}};
}

Result<BackupManifest> ManifestFromJson(const json& j) {
  auto bad = [](const std::string& what) {
    return Status::InvalidArgument("backup manifest: " + what);
  };
  try {
    BackupManifest m;
    m.format = j.at("format").get<int>();
    if (m.format != kBackupFormat) {
      return bad("format " + std::to_string(m.format) + " is not one this build reads (" +
                 std::to_string(kBackupFormat) + ")");
    }
    m.created_at = j.at("created_at").get<std::string>();
    m.rockpool_version = j.at("rockpool_version").get<std::string>();
    m.engine = j.at("engine").get<std::string>();
    m.schema_version = j.at("schema_version").get<int>();
    m.only_store = j.at("only_store").get<bool>();
    m.store_file = j.at("store_file").get<std::string>();
    for (const json& f : j.at("files")) {
      BackupFile file{f.at("path").get<std::string>(), f.at("size").get<uint64_t>(),
                      f.at("sha256").get<std::string>()};
      if (!IsInsideBackup(file.path)) return bad("file path \"" + file.path + "\" is not allowed");
      m.files.push_back(std::move(file));
    }
    auto listed = [&m](const std::string& path) {
      for (const BackupFile& f : m.files) {
        if (f.path == path) return true;
      }
      return false;
    };
    if (!listed(m.store_file)) return bad("the store file " + m.store_file + " is not listed");
    for (const json& w : j.at("workspaces")) {
      BackupWorkspace ws{w.at("name").get<std::string>(), w.at("instance").get<std::string>(),
                         w.at("file").get<std::string>()};
      if (!listed(ws.file)) return bad("workspace " + ws.name + "'s file is not listed");
      m.workspaces.push_back(std::move(ws));
    }
    return m;
  } catch (const json::exception& e) {
    return bad(e.what());
  }
}

Result<BackupManifest> ReadManifest(const std::string& dir) {
  const std::string path = dir + "/" + kManifestFile;
  std::ifstream in(path);
  if (!in) {
    return Status::NotFound("read " + path +
                            ": no such file; this is not a Rockpool backup, or one that did "
                            "not finish (the manifest is written last)");
  }
  std::stringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("read " + path + ": not JSON");
  auto m = ManifestFromJson(j);
  if (!m.ok()) return m.status().WithContext("read " + path);
  return m;
}

Status WriteManifest(const std::string& dir, const BackupManifest& manifest) {
  const std::string path = dir + "/" + kManifestFile;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << ToJson(manifest).dump(2) << "\n";
    if (!out.flush()) return Status::Internal("write " + tmp + ": " + std::strerror(errno));
  }
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::Internal("rename " + tmp + " to " + path + ": " + ec.message());
  return Status::Ok();
}

Status VerifyBackupFiles(const std::string& dir, const BackupManifest& manifest) {
  for (const BackupFile& f : manifest.files) {
    const std::string path = dir + "/" + f.path;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return Status::NotFound("backup file " + path + " is missing: " + ec.message());
    if (size != f.size) {
      return Status::InvalidArgument("backup file " + path + " has " + std::to_string(size) +
                                     " bytes, the manifest says " + std::to_string(f.size) +
                                     ": the backup is damaged; nothing was restored");
    }
    RP_ASSIGN_OR_RETURN(std::string sum, incus::Sha256File(path));
    if (sum != f.sha256) {
      return Status::InvalidArgument("backup file " + path + " does not match its SHA-256 in " +
                                     kManifestFile + " (" + sum + " != " + f.sha256 +
                                     "): the backup is damaged; nothing was restored");
    }
  }
  return Status::Ok();
}

}  // namespace rockpool
