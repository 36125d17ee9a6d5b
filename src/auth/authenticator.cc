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

std::string DisabledMessage(const std::string& username) {
  return "the account \"" + username + "\" is disabled; an admin can enable it again";
}

}  // namespace

Authenticator::Authenticator(CredentialSource& source, AuthenticatorOptions options,
                             const MonotonicClock& clock, TokenVerifier* tokens,
                             AccountDirectory* accounts, SessionVerifier* sessions)
    : source_(source),
      tokens_(tokens),
      sessions_(sessions),
      accounts_(accounts),
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

Result<Authenticator::Resolved> Authenticator::Resolve(const std::string& username,
                                                       const BasicAuth& deployment) {
  Resolved r;
  if (ConstantTimeEquals(username, deployment.username)) {
    r.credentials = deployment;
    r.known = r.deployment = r.admin = true;
    return r;
  }
  r.credentials.username = username;
  if (accounts_ != nullptr) {
    RP_ASSIGN_OR_RETURN(auto found, accounts_->Find(username));
    if (found) {
      r.credentials.password_hash = found->password_hash;
      r.known = true;
      r.admin = found->role == Role::kAdmin;
      r.disabled = found->disabled;
    }
  }
  return r;
}

AuthDecision Authenticator::Allowed(const Resolved& account, std::string token_id,
                                    std::string session_id) const {
  AuthDecision allowed;
  allowed.outcome = Outcome::kAllowed;
  allowed.username = account.credentials.username;
  if (token_id.empty() && session_id.empty()) {
    allowed.binding = PasswordBinding(account.credentials.password_hash);
  }
  allowed.token_id = std::move(token_id);
  allowed.session_id = std::move(session_id);
  allowed.admin = account.admin;
  return allowed;
}

void Authenticator::Authenticate(AuthRequest request, Done done) {
  if (auto wait = throttle_.RetryAfter(request.client)) {
    return done(Throttled(request.client, *wait));
  }
  auto deployment = source_.Current();
  if (!deployment.ok()) {
    return done(Refuse(Outcome::kUnavailable, deployment.status().message()));
  }
  if (request.authorization.empty() && !request.session.empty()) {
    return done(VerifySession(request.session, request.origin_port, *deployment));
  }
  if (request.authorization.empty()) {
    return done(Refuse(Outcome::kUnauthenticated, "no credentials were sent"));
  }
  if (auto secret = ParseBearerAuthorization(request.authorization)) {
    return done(VerifyToken(request.client, *secret, *deployment));
  }
  Resolved account;
  if (auto presented = ParseBasicAuthorization(request.authorization)) {
    auto resolved = Resolve(presented->username, *deployment);
    if (!resolved.ok()) return done(Refuse(Outcome::kUnavailable, resolved.status().message()));
    account = std::move(resolved).value();
  }
  const Sha256Digest key =
      VerifiedCache::Key(account.credentials.password_hash, request.authorization);
  if (account.known && cache_.Contains(key)) {
    if (account.disabled) {
      return done(Refuse(Outcome::kUnauthenticated, DisabledMessage(account.credentials.username)));
    }
    return done(Allowed(account));
  }
  {
    std::unique_lock lock(mu_);
    if (in_flight_ < options_.max_pending_verifications && !stopping_) {
      ++in_flight_;
      queue_.push_back(Job{std::move(request), std::move(account), key, std::move(done)});
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
                                        const BasicAuth& deployment) {
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
  auto account = Resolve(identity->username, deployment);
  if (!account.ok()) return Refuse(Outcome::kUnavailable, account.status().message());
  if (!account->known) {
    return Failed(client, "the API token's account \"" + identity->username + "\" is gone");
  }
  if (account->disabled) return Failed(client, DisabledMessage(identity->username));
  throttle_.RecordSuccess(client);
  return Allowed(*account, identity->token_id);
}

AuthDecision Authenticator::VerifySession(std::string_view secret, int origin_port,
                                          const BasicAuth& deployment) {
  const std::string_view prefix = origin_port != 0 ? kOriginPrefix : kSessionPrefix;
  if (sessions_ == nullptr || !LooksLikeSecret(secret, prefix)) {
    return Refuse(Outcome::kUnauthenticated,
                  "the session cookie is not a session of this server; sign in again");
  }
  auto identity =
      origin_port != 0 ? sessions_->VerifyOrigin(secret, origin_port) : sessions_->Verify(secret);
  if (!identity.ok()) {
    const bool down = identity.status().code() == Code::kUnavailable;
    return Refuse(down ? Outcome::kUnavailable : Outcome::kUnauthenticated,
                  identity.status().message());
  }
  auto account = Resolve(identity->username, deployment);
  if (!account.ok()) return Refuse(Outcome::kUnavailable, account.status().message());
  if (!account->known) {
    return Refuse(Outcome::kUnauthenticated,
                  "the session's account \"" + identity->username + "\" is gone");
  }
  if (account->disabled) {
    return Refuse(Outcome::kUnauthenticated, DisabledMessage(identity->username));
  }
  if (!ConstantTimeEquals(identity->binding, PasswordBinding(account->credentials.password_hash))) {
    return Refuse(Outcome::kUnauthenticated,
                  "the account's password changed since this session began; sign in again");
  }
  return Allowed(*account, "", identity->session_id);
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

const std::string& Authenticator::UnknownAccountHash() {
  std::call_once(unknown_hash_once_, [this] {
    auto hash = HashPassword(NewTokenSecret());
    if (hash.ok()) unknown_hash_ = std::move(hash).value();  // else "": matches no password
  });
  return unknown_hash_;
}

AuthDecision Authenticator::Verify(const Job& job) {
  const std::string& client = job.request.client;
  // Locked out while this check waited (earlier guesses from the same address failed).
  if (auto wait = throttle_.RetryAfter(client)) return Throttled(client, *wait);
  const Resolved& account = job.account;
  bool match = false;
  if (auto presented = ParseBasicAuthorization(job.request.authorization)) {
    // An unknown name costs a hash as well, so timing does not tell which names exist.
    const std::string& hash =
        account.known ? account.credentials.password_hash : UnknownAccountHash();
    ++hash_checks_;
    match = PasswordMatches(presented->password, hash) && account.known;
    if (match && account.deployment && NeedsRehash(hash)) {
      source_.Rehash(account.credentials, presented->password);
    }
  }
  if (!match) return Failed(client, "the username or password is wrong");
  cache_.Insert(job.cache_key);
  throttle_.RecordSuccess(client);
  if (account.disabled) {
    return Refuse(Outcome::kUnauthenticated, DisabledMessage(account.credentials.username));
  }
  return Allowed(account);
}

}  // namespace rockpool::auth
