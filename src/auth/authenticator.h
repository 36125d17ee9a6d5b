// Authenticator: decides whether a request's `Authorization` header carries the password of an
// enabled account (Basic) or a live API token of one (Bearer, api_token.h), or, without that
// header, whether its session cookie names a live browser session of one, for one client
// address, and which account and role that is. The accounts are the deployment's own admin
// account (the CredentialSource) and those of the AccountDirectory; the deployment's account's
// name is never looked up in the directory.
//
// Order of checks, cheapest first:
//   1. A client address the LoginThrottle has locked out is refused (kThrottled) without its
//      credentials being looked at, so the answer is no oracle for guesses.
//   2. No usable credentials from the CredentialSource: kUnavailable; nothing passes.
//   3. No Authorization header and no session cookie: kUnauthenticated (not counted as a
//      failure: browsers ask without credentials first).
//   3a. No Authorization header but a session cookie: the session looked up by its digest (one
//      indexed read, no hash); allowed when it is live, its account exists and is enabled, and
//      the account's password is still the one the session began with. A refused session is
//      not counted as a failure (a browser with a stale cookie would lock its own address out,
//      and a session's 256-bit secret is not guessed).
//   4. A Bearer token: its digest looked up by the TokenVerifier (one indexed read, on the
//      caller's thread); allowed when it is live and its account exists and is enabled,
//      otherwise a failure the throttle counts. No hash is computed for a token.
//   5. Basic: the account is looked up by its username (one indexed read for a directory
//      account, none for the deployment's). A header already verified against the account's
//      current hash (cache keyed by SHA-256 of the header and the hash, so a new password
//      invalidates it): kAllowed, or refused when the account is disabled; no hash computed.
//   6. Otherwise the password hash (argon2id), on a verifier thread, never on the caller's:
//      allowed (and cached), or a failure that the throttle counts (kUnauthenticated). A
//      bcrypt hash of an earlier release is replaced by argon2id once its password verified.
//      An unknown username is checked against a hash of a random password, so it costs the
//      same; a disabled account is told so only after its password verified.
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

#include "auth/account_directory.h"
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
  std::string session;        // the session cookie's value; empty when absent
  // Nonzero: the request reached the workspace origin on this port, and `session` is that
  // origin's cookie ("rpo_"), not the dashboard's session.
  int origin_port = 0;
};

struct AuthDecision {
  enum class Outcome { kAllowed, kUnauthenticated, kThrottled, kUnavailable };
  Outcome outcome = Outcome::kUnauthenticated;
  std::string message;                  // for a refusal: why
  std::chrono::seconds retry_after{0};  // kThrottled; kUnavailable when the verifier is busy
  std::string username;                 // kAllowed
  std::string token_id;                 // kAllowed by an API token: which; empty: the password
  std::string session_id;               // kAllowed by a session: which
  std::string binding;                  // kAllowed by the password: PasswordBinding of its hash
  bool admin = false;                   // kAllowed: the account is an admin

  bool allowed() const { return outcome == Outcome::kAllowed; }
};

class Authenticator {
 public:
  using Done = std::function<void(AuthDecision)>;

  // `source`, `clock`, `tokens`, `accounts` and `sessions` must outlive the authenticator.
  // `tokens` null: Bearer headers are refused. `accounts` null: the deployment's account is the
  // only one. `sessions` null: session cookies are refused.
  explicit Authenticator(CredentialSource& source, AuthenticatorOptions options = {},
                         const MonotonicClock& clock = SteadyClock::Instance(),
                         TokenVerifier* tokens = nullptr, AccountDirectory* accounts = nullptr,
                         SessionVerifier* sessions = nullptr);
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
  // The account a username names, as far as signing in goes.
  struct Resolved {
    BasicAuth credentials;    // its username and hash; an unknown one: a random password's hash
    bool known = false;       // an account of that name exists
    bool deployment = false;  // the deployment's own (the CredentialSource's)
    bool admin = false;
    bool disabled = false;
  };
  struct Job {
    AuthRequest request;
    Resolved account;
    Sha256Digest cache_key;
    Done done;
  };
  // Unavailable when the directory cannot be read.
  Result<Resolved> Resolve(const std::string& username, const BasicAuth& deployment);
  AuthDecision Verify(const Job& job);
  // By the password when both ids are empty.
  AuthDecision Allowed(const Resolved& account, std::string token_id = "",
                       std::string session_id = "") const;
  AuthDecision Throttled(const std::string& client, std::chrono::seconds wait) const;
  AuthDecision VerifyToken(const std::string& client, std::string_view secret,
                           const BasicAuth& deployment);
  AuthDecision VerifySession(std::string_view secret, int origin_port, const BasicAuth& deployment);
  const std::string& UnknownAccountHash();
  AuthDecision Failed(const std::string& client, std::string message);
  void VerifierLoop();

  CredentialSource& source_;
  TokenVerifier* const tokens_;
  SessionVerifier* const sessions_;
  AccountDirectory* const accounts_;
  const AuthenticatorOptions options_;
  LoginThrottle throttle_;
  VerifiedCache cache_;
  std::atomic<uint64_t> hash_checks_{0};
  std::once_flag unknown_hash_once_;
  std::string unknown_hash_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  size_t in_flight_ = 0;  // queued or being checked
  bool stopping_ = false;
  std::vector<std::thread> verifiers_;
};

}  // namespace rockpool::auth
