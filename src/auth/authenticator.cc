#include "auth/authenticator.h"

#include <future>

#include "auth/basic_header.h"
#include "auth/digest.h"
#include "auth/password_hash.h"

namespace rockpool::auth {
namespace {

using Outcome = AuthDecision::Outcome;

AuthDecision Refuse(Outcome outcome, std::string message,
                    std::chrono::seconds retry_after = std::chrono::seconds(0)) {
  AuthDecision d;
  d.outcome = outcome;
  d.message = std::move(message);
  d.retry_after = retry_after;
  return d;
}

}  // namespace

Authenticator::Authenticator(CredentialSource& source, AuthenticatorOptions options,
                             const MonotonicClock& clock, TokenVerifier* tokens)
    : source_(source),
      tokens_(tokens),
      options_(options),
      throttle_(options.throttle, clock),
      cache_(options.cache_entries) {
  const int threads = std::max(1, options_.verify_threads);
  for (int i = 0; i < threads; ++i) verifiers_.emplace_back([this] { VerifierLoop(); });
}

Authenticator::~Authenticator() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : verifiers_) t.join();
}

AuthDecision Authenticator::Throttled(const std::string& client, std::chrono::seconds wait) const {
  return Refuse(Outcome::kThrottled,
                "too many wrong sign-ins from " + client + "; try again in " +
                    std::to_string(wait.count()) + " s",
                wait);
}

void Authenticator::Authenticate(AuthRequest request, Done done) {
  if (auto wait = throttle_.RetryAfter(request.client)) {
    return done(Throttled(request.client, *wait));
  }
  auto credentials = source_.Current();
  if (!credentials.ok()) {
    return done(Refuse(Outcome::kUnavailable, credentials.status().message()));
  }
  if (request.authorization.empty()) {
    return done(Refuse(Outcome::kUnauthenticated, "no credentials were sent"));
  }
  if (auto secret = ParseBearerAuthorization(request.authorization)) {
    return done(VerifyToken(request.client, *secret, credentials->username));
  }
  const Sha256Digest key = VerifiedCache::Key(credentials->password_hash, request.authorization);
  if (cache_.Contains(key)) {
    AuthDecision allowed;
    allowed.outcome = Outcome::kAllowed;
    allowed.username = credentials->username;
    return done(std::move(allowed));
  }
  {
    std::unique_lock lock(mu_);
    if (in_flight_ < options_.max_pending_verifications && !stopping_) {
      ++in_flight_;
      queue_.push_back(
          Job{std::move(request), std::move(credentials).value(), key, std::move(done)});
      lock.unlock();
      cv_.notify_one();
      return;
    }
  }
  done(Refuse(Outcome::kUnavailable,
              "too many sign-ins are being checked right now; try again in a second",
              std::chrono::seconds(1)));
}

AuthDecision Authenticator::VerifyToken(const std::string& client, std::string_view secret,
                                        const std::string& username) {
  if (tokens_ == nullptr) {
    return Failed(client, "this server takes no API tokens; use the username and password");
  }
  if (!LooksLikeTokenSecret(secret)) {
    return Failed(client, "the bearer token is not a Rockpool API token (those start with " +
                              std::string(kTokenPrefix) + ")");
  }
  auto identity = tokens_->Verify(secret);
  if (!identity.ok() && identity.status().code() == Code::kUnavailable) {
    return Refuse(Outcome::kUnavailable, identity.status().message());
  }
  if (!identity.ok()) return Failed(client, identity.status().message());
  if (!ConstantTimeEquals(identity->username, username)) {
    return Failed(client, "the API token's account \"" + identity->username +
                              "\" is no longer Rockpool's account");
  }
  throttle_.RecordSuccess(client);
  AuthDecision allowed;
  allowed.outcome = Outcome::kAllowed;
  allowed.username = identity->username;
  allowed.token_id = identity->token_id;
  return allowed;
}

AuthDecision Authenticator::Failed(const std::string& client, std::string message) {
  if (auto lockout = throttle_.RecordFailure(client)) {
    message += "; after repeated wrong sign-ins, " + client + " must wait " +
               std::to_string(lockout->count()) + " s before trying again";
  }
  return Refuse(Outcome::kUnauthenticated, std::move(message));
}

AuthDecision Authenticator::AuthenticateAndWait(AuthRequest request) {
  std::promise<AuthDecision> decided;
  auto future = decided.get_future();
  Authenticate(std::move(request), [&decided](AuthDecision d) { decided.set_value(std::move(d)); });
  return future.get();
}

void Authenticator::VerifierLoop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to check
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    AuthDecision decision = Verify(job);
    {
      std::lock_guard lock(mu_);
      --in_flight_;
    }
    job.done(std::move(decision));
  }
}

AuthDecision Authenticator::Verify(const Job& job) {
  const std::string& client = job.request.client;
  // Locked out while this check waited (earlier guesses from the same address failed).
  if (auto wait = throttle_.RetryAfter(client)) return Throttled(client, *wait);
  bool match = false;
  if (auto presented = ParseBasicAuthorization(job.request.authorization)) {
    const bool user_ok = ConstantTimeEquals(presented->username, job.credentials.username);
    ++hash_checks_;
    const bool password_ok = PasswordMatches(presented->password, job.credentials.password_hash);
    match = user_ok && password_ok;
    if (match && NeedsRehash(job.credentials.password_hash)) {
      source_.Rehash(job.credentials, presented->password);
    }
  }
  if (match) {
    cache_.Insert(job.cache_key);
    throttle_.RecordSuccess(client);
    AuthDecision allowed;
    allowed.outcome = Outcome::kAllowed;
    allowed.username = job.credentials.username;
    return allowed;
  }
  return Failed(client, "the username or password is wrong");
}

}  // namespace rockpool::auth
