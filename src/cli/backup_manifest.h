// The manifest of a Rockpool backup directory (manifest.json, written last): what made it,
// which files it holds and their SHA-256s, and which workspace each instance archive belongs to.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool {

inline constexpr char kManifestFile[] = "manifest.json";
inline constexpr int kBackupFormat = 1;

struct BackupFile {
  std::string path;  // relative to the backup directory, e.g. "settings/auth.json"
  uint64_t size = 0;
  std::string sha256;
};

struct BackupWorkspace {
  std::string name;      // the workspace
  std::string instance;  // the engine's instance name
  std::string file;      // its archive, one of the manifest's files
};

struct BackupManifest {
  int format = kBackupFormat;
  std::string created_at;        // RFC 3339, UTC
  std::string rockpool_version;  // of the build that wrote it
  std::string engine;            // "lxd 5.0.2"; empty for --only-store
  int schema_version = 0;        // of the store copy
  bool only_store = false;
  std::string store_file;  // one of the files
  std::vector<BackupFile> files;
  std::vector<BackupWorkspace> workspaces;
};

nlohmann::json ToJson(const BackupManifest& manifest);
// InvalidArgument naming the field when the JSON is not a manifest this build can restore, or
// names a file outside the backup directory.
Result<BackupManifest> ManifestFromJson(const nlohmann::json& json);

// Reads <dir>/manifest.json.
Result<BackupManifest> ReadManifest(const std::string& dir);
// Writes <dir>/manifest.json (0600) through a temporary file and a rename.
Status WriteManifest(const std::string& dir, const BackupManifest& manifest);
// Fails closed unless every listed file exists with its recorded size and SHA-256.
Status VerifyBackupFiles(const std::string& dir, const BackupManifest& manifest);

}  // namespace rockpool
