#include "core/limits.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace rockpool {
namespace {

// One limit, described once for requests and settings alike.
struct Field {
  const char* api_name;                     // as the API spells it, e.g. "limits.memoryMib"
  const char* setting;                      // suffix of ROCKPOOL_DEFAULT_* / ROCKPOOL_MAX_*
  const char* unit;                         // for messages: "cores", "MiB", ...
  bool fractional = false;                  // cpus: steps of 0.01
  double WorkspaceLimits::*real = nullptr;  // set for cpus, else `whole`
  int64_t WorkspaceLimits::*whole = nullptr;
  std::optional<int64_t> LimitsRequest::*asked = nullptr;  // `whole` fields only
};

constexpr Field kFields[] = {
    {"limits.cpus", "CPUS", "cores", true, &WorkspaceLimits::cpus, nullptr, nullptr},
    {"limits.memoryMib", "MEMORY_MIB", "MiB", false, nullptr, &WorkspaceLimits::memory_mib,
     &LimitsRequest::memory_mib},
    {"limits.processes", "PROCESSES", "processes", false, nullptr, &WorkspaceLimits::processes,
     &LimitsRequest::processes},
    {"limits.diskGib", "DISK_GIB", "GiB", false, nullptr, &WorkspaceLimits::disk_gib,
     &LimitsRequest::disk_gib},
};

double Get(const WorkspaceLimits& l, const Field& f) {
  return f.real != nullptr ? l.*f.real : static_cast<double>(l.*f.whole);
}

void Set(WorkspaceLimits& l, const Field& f, double v) {
  if (f.real != nullptr) {
    l.*f.real = v;
  } else {
    l.*f.whole = static_cast<int64_t>(v);
  }
}

// Plain decimal ("100000", "1.5"); exponent form only for values too long for that.
std::string Number(double v) {
  char buf[32];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (r.ec != std::errc()) r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ec == std::errc() ? r.ptr : buf);
}

bool IsCentiMultiple(double v) { return std::abs(v * 100 - std::round(v * 100)) < 1e-6; }

// InvalidArgument when `v` cannot be a value of `f` at all (whatever the deployment allows).
Status CheckValue(const Field& f, double v, const std::string& what) {
  const double min = Get(kMinLimits, f);
  if (!std::isfinite(v) || v < min) {
    return Status::InvalidArgument(what + " is " + Number(v) + ": use at least " + Number(min) +
                                   " " + f.unit);
  }
  if (f.fractional && !IsCentiMultiple(v)) {
    return Status::InvalidArgument(what + " is " + Number(v) +
                                   ": use a multiple of 0.01 (e.g. 0.5 or 1.25)");
  }
  if (!f.fractional && v != std::floor(v)) {
    return Status::InvalidArgument(what + " is " + Number(v) + ": use a whole number of " + f.unit);
  }
  return Status::Ok();
}

std::optional<double> Requested(const LimitsRequest& r, const Field& f) {
  if (f.asked == nullptr) return r.cpus;
  const std::optional<int64_t>& v = r.*f.asked;
  if (!v) return std::nullopt;
  return static_cast<double>(*v);
}

// A setting's value: a decimal number, nothing else around it.
Result<double> ParseSetting(const std::string& name, const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(name + "=\"" + text + "\" is not a number");
  }
  return v;
}

}  // namespace

Result<WorkspaceLimits> LimitsPolicy::Resolve(const LimitsRequest& request) const {
  WorkspaceLimits out = defaults;
  for (const Field& f : kFields) {
    std::optional<double> v = Requested(request, f);
    if (!v) continue;
    RP_RETURN_IF_ERROR(CheckValue(f, *v, f.api_name));
    const double max = Get(maximums, f);
    if (*v > max) {
      return Status::OutOfRange(std::string(f.api_name) + " is " + Number(*v) +
                                ", above this deployment's maximum of " + Number(max) + " " +
                                f.unit + "; ask for at most " + Number(max));
    }
    Set(out, f, *v);
  }
  return out;
}

int64_t CpuMillisPer100ms(double cpus) { return std::llround(cpus * 100); }

Result<LimitsPolicy> LimitsPolicyFromSettings(const SettingLookup& lookup) {
  LimitsPolicy policy;
  for (const Field& f : kFields) {
    for (bool max : {false, true}) {
      const std::string name = std::string(max ? "ROCKPOOL_MAX_" : "ROCKPOOL_DEFAULT_") + f.setting;
      std::optional<std::string> text = lookup(name);
      if (!text || text->empty()) continue;
      RP_ASSIGN_OR_RETURN(double v, ParseSetting(name, *text));
      if (!f.fractional && v > static_cast<double>(std::numeric_limits<int32_t>::max())) {
        return Status::InvalidArgument(name + "=" + *text + " is too large");
      }
      RP_RETURN_IF_ERROR(CheckValue(f, v, name));
      Set(max ? policy.maximums : policy.defaults, f, v);
    }
  }
  for (const Field& f : kFields) {
    const double def = Get(policy.defaults, f), max = Get(policy.maximums, f);
    if (def > max) {
      return Status::InvalidArgument(std::string("ROCKPOOL_DEFAULT_") + f.setting + " (" +
                                     Number(def) + ") is above ROCKPOOL_MAX_" + f.setting + " (" +
                                     Number(max) + "): lower the default or raise the maximum");
    }
  }
  return policy;
}

}  // namespace rockpool
