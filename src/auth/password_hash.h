// Password hashes: argon2id from libsodium ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), a
// memory-hard hash, so a stolen hash costs a guesser memory as well as time per guess.
// bcrypt hashes ("$2b$"), which earlier releases wrote to auth.json, are still verified so an
// existing deployment keeps signing in; NeedsRehash says to replace them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool {

struct PasswordHashCost {
  unsigned long long passes;  // argon2id's t
  size_t memory_bytes;        // argon2id's m
};

// What Rockpool writes: libsodium's "interactive" limits, 2 passes over 64 MiB (about 60 ms
// here). The control plane pays it once per new sign-in (verified credentials are cached) and
// for every wrong password, on one bounded verifier thread, so at most 64 MiB at a time.
PasswordHashCost DefaultPasswordHashCost();
// The least argon2id allows (1 pass, 8 KiB): for tests, never for a stored password.
PasswordHashCost TestPasswordHashCost();

// An argon2id hash of `password` with a fresh random salt. InvalidArgument for a password with
// a NUL character or over 1024 bytes.
Result<std::string> HashPassword(std::string_view password,
                                 PasswordHashCost cost = DefaultPasswordHashCost());

// True when `password` matches `hash` (argon2id, or a bcrypt hash of an earlier release).
bool PasswordMatches(std::string_view password, const std::string& hash);

// True when `hash` is a well-formed argon2id or bcrypt hash.
bool ValidPasswordHash(const std::string& hash);

// True when `hash` should be replaced by a fresh HashPassword: it is not argon2id (a bcrypt hash
// of an earlier release). An argon2id hash keeps its own cost.
bool NeedsRehash(const std::string& hash);

}  // namespace rockpool
