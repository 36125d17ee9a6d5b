// Authenticator: decides whether a request's `Authorization` header carries the current
// credentials (Basic) or a live API token (Bearer, api_token.h), for one client address.
//
// Order of checks, cheapest first:
//   1. A client address the LoginThrottle has locked out is refused (kThrottled) without its
//      credentials being looked at, so the answer is no oracle for guesses.
//   2. No usable credentials from the CredentialSource: kUnavailable; nothing passes.
//   3. No Authorization header: kUnauthenticated (not counted as a failure: browsers ask
//      without credentials first and offer them after the 401).
//   4. A Bearer token: its digest looked up by the TokenVerifier (one indexed read, on the
//      caller's thread); allowed when it is live and its account is the current one, otherwise
//      a failure the throttle counts. No hash is computed for a token.
//   5. A header already verified against the current hash (cache keyed by SHA-256 of the
//      header and the hash, so a new password invalidates it): kAllowed, no hash computed.
//   6. Otherwise the password hash (argon2id), on a verifier thread, never on the caller's:
//      allowed (and cached), or a failure that the throttle counts (kUnauthenticated). A
//      bcrypt hash of an earlier release is replaced by argon2id once its password verified.
//
// The hash is the expensive part (about 60 ms and 64 MiB here) and the lever an attacker would
// pull. It runs on `verify_threads` threads (default 1: at most one core spent on it), with
// at most `max_pending_verifications` waiting; beyond that a sign-in is refused at once
// (kUnavailable, retry in 1 s) instead of queueing without bound. The server's io threads
// therefore never block on a hash, and a signed-in browser never pays for one.
//
// Thread-safe. Username and hash comparisons are constant-time, and a wrong username still
// costs a hash, so timing does not tell which part was wrong.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth/api_token.h"
#include "auth/credential_source.h"
#include "auth/login_throttle.h"
#include "auth/monotonic_clock.h"
#include "auth/verified_cache.h"

namespace rockpool::auth {

struct AuthenticatorOptions {
  ThrottleOptions throttle;
  size_t cache_entries = 256;  // verified header values remembered (one per browser or script)
  int verify_threads = 1;
  size_t max_pending_verifications = 64;
};

struct AuthRequest {
  std::string authorization;  // the header's value; empty when absent
  std::string client;         // the client address the throttle counts against
};

struct AuthDecision {
  enum class Outcome { kAllowed, kUnauthenticated, kThrottled, kUnavailable };
  Outcome outcome = Outcome::kUnauthenticated;
  std::string message;                  // for a refusal: why
  std::chrono::seconds retry_after{0};  // kThrottled; kUnavailable when the verifier is busy
  std::string username;                 // kAllowed
  std::string token_id;                 // kAllowed by an API token: which; empty: the password

  bool allowed() const { return outcome == Outcome::kAllowed; }
};

class Authenticator {
 public:
  using Done = std::function<void(AuthDecision)>;

  // `source`, `clock` and `tokens` must outlive the authenticator. `tokens` null: Bearer
  // headers are refused.
  explicit Authenticator(CredentialSource& source, AuthenticatorOptions options = {},
                         const MonotonicClock& clock = SteadyClock::Instance(),
                         TokenVerifier* tokens = nullptr);
  // Finishes the checks already queued, then stops the verifier threads.
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // Calls `done` exactly once: on the calling thread when no hash has to be computed (steps
  // 1-5 above), otherwise later on a verifier thread.
  void Authenticate(AuthRequest request, Done done);
  // Blocks until decided (tests and tools).
  AuthDecision AuthenticateAndWait(AuthRequest request);

  LoginThrottle& throttle() { return throttle_; }
  uint64_t hash_checks() const { return hash_checks_.load(); }

 private:
  struct Job {
    AuthRequest request;
    BasicAuth credentials;
    Sha256Digest cache_key;
    Done done;
  };
  AuthDecision Verify(const Job& job);
  AuthDecision Throttled(const std::string& client, std::chrono::seconds wait) const;
  AuthDecision VerifyToken(const std::string& client, std::string_view secret,
                           const std::string& username);
  AuthDecision Failed(const std::string& client, std::string message);
  void VerifierLoop();

  CredentialSource& source_;
  TokenVerifier* const tokens_;
  const AuthenticatorOptions options_;
  LoginThrottle throttle_;
  VerifiedCache cache_;
  std::atomic<uint64_t> hash_checks_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  size_t in_flight_ = 0;  // queued or being checked
  bool stopping_ = false;
  std::vector<std::thread> verifiers_;
};

}  // namespace rockpool::auth
