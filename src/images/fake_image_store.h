// FakeImageStore: an in-memory image store that records every import, so builder tests
// assert on what would have been imported without an LXD/Incus daemon.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "images/image_store.h"

namespace rockpool {

class FakeImageStore final : public ImageStore {
 public:
  struct ImportCall {
    std::string tarball_path;
    std::string alias;
    std::string recipe_digest;
  };

  // Puts an image under `alias` as if it had been imported earlier.
  void Add(const std::string& alias, StoredImage image) {
    std::lock_guard lock(mu_);
    images_[alias] = std::move(image);
  }
  void FailFind(Status status) {
    std::lock_guard lock(mu_);
    find_error_ = std::move(status);
  }
  void FailImport(Status status) {
    std::lock_guard lock(mu_);
    import_error_ = std::move(status);
  }

  Result<std::optional<StoredImage>> Find(const std::string& alias) override {
    std::lock_guard lock(mu_);
    finds_.push_back(alias);
    if (!find_error_.ok()) return find_error_;
    auto it = images_.find(alias);
    if (it == images_.end()) return std::optional<StoredImage>();
    return std::optional<StoredImage>(it->second);
  }

  Status Import(const std::string& tarball_path, const std::string& alias,
                const std::string& recipe_digest,
                const std::function<void(const std::string&)>& progress) override {
    std::lock_guard lock(mu_);
    imports_.push_back({tarball_path, alias, recipe_digest});
    if (!import_error_.ok()) return import_error_;
    images_[alias] = StoredImage{"fake-" + std::to_string(imports_.size()), recipe_digest};
    if (progress) progress("imported " + alias);
    return Status::Ok();
  }

  std::vector<std::string> finds() const {
    std::lock_guard lock(mu_);
    return finds_;
  }
  std::vector<ImportCall> imports() const {
    std::lock_guard lock(mu_);
    return imports_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, StoredImage> images_;
  Status find_error_;
  Status import_error_;
  std::vector<std::string> finds_;
  std::vector<ImportCall> imports_;
};

}  // namespace rockpool
