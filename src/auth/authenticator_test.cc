#include "auth/authenticator.h"

#include <crypt.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <thread>

#include "auth/password_hash.h"

namespace rockpool::auth {
namespace {

using Outcome = AuthDecision::Outcome;
using ::testing::HasSubstr;

std::string Header(const std::string& user, const std::string& password) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = user + ":" + password;
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return "Basic " + out;
}

const std::string& CheapHash() {  // argon2id at its least: well under 1 ms
  static const std::string hash = *HashPassword("right", TestPasswordHashCost());
  return hash;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthDecision Check(const std::string& header, const std::string& client = "10.0.0.1") {
    return auth_.AuthenticateAndWait({header, client});
  }

  FakeMonotonicClock clock_;
  FixedCredentialSource source_{BasicAuth{"admin", CheapHash()}};
  Authenticator auth_{source_, AuthenticatorOptions{}, clock_};
};

TEST_F(AuthenticatorTest, AllowsTheRightPasswordAndThenAnswersFromTheCache) {
  AuthDecision first = Check(Header("admin", "right"));
  EXPECT_TRUE(first.allowed()) << first.message;
  EXPECT_EQ(first.username, "admin");
  EXPECT_EQ(auth_.hash_checks(), 1u);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(Check(Header("admin", "right"), "10.9.9.9").allowed());
  EXPECT_EQ(auth_.hash_checks(), 1u) << "a signed-in client never pays for a hash again";
}

TEST_F(AuthenticatorTest, WrongPasswordsAndWrongUsernamesPayBcryptEveryTime) {
  EXPECT_EQ(Check(Header("admin", "wrong")).outcome, Outcome::kUnauthenticated);
  EXPECT_EQ(Check(Header("admin", "wrong")).outcome, Outcome::kUnauthenticated);
  AuthDecision user = Check(Header("root", "right"));
  EXPECT_EQ(user.outcome, Outcome::kUnauthenticated);
  EXPECT_EQ(user.message, "the username or password is wrong");
  EXPECT_EQ(auth_.hash_checks(), 3u) << "a wrong username is not answered faster";
}

TEST_F(AuthenticatorTest, MissingHeaderIsUnauthenticatedButNotAFailure) {
  for (int i = 0; i < 20; ++i) {
    AuthDecision d = Check("");
    EXPECT_EQ(d.outcome, Outcome::kUnauthenticated);
    EXPECT_EQ(d.message, "no credentials were sent");
  }
  EXPECT_EQ(auth_.throttle().RetryAfter("10.0.0.1"), std::nullopt);
  EXPECT_EQ(auth_.hash_checks(), 0u);
}

TEST_F(AuthenticatorTest, MalformedHeadersCountAsFailuresWithoutBcrypt) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Check("Basic !!!").outcome, Outcome::kUnauthenticated);
  EXPECT_EQ(Check("Bearer token").outcome, Outcome::kThrottled);
  EXPECT_EQ(auth_.hash_checks(), 0u);
}

TEST_F(AuthenticatorTest, AfterFiveFailuresEvenTheRightPasswordIsRefusedUnchecked) {
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(Check(Header("admin", "guess")).outcome, Outcome::kUnauthenticated);
  AuthDecision fifth = Check(Header("admin", "guess"));
  EXPECT_EQ(fifth.outcome, Outcome::kUnauthenticated);
  EXPECT_THAT(fifth.message, HasSubstr("must wait 30 s"));
  const uint64_t checks = auth_.hash_checks();
  AuthDecision locked = Check(Header("admin", "right"));
  EXPECT_EQ(locked.outcome, Outcome::kThrottled);
  EXPECT_EQ(locked.retry_after, std::chrono::seconds(30));
  EXPECT_THAT(locked.message, HasSubstr("too many wrong sign-ins from 10.0.0.1"));
  EXPECT_EQ(auth_.hash_checks(), checks) << "a throttled address gets no answer about its guess";
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_TRUE(Check(Header("admin", "right")).allowed());
}

TEST_F(AuthenticatorTest, ThrottledAddressIsRefusedEvenWithCachedCredentials) {
  ASSERT_TRUE(Check(Header("admin", "right")).allowed());
  for (int i = 0; i < 5; ++i) Check(Header("admin", "guess"));
  EXPECT_EQ(Check(Header("admin", "right")).outcome, Outcome::kThrottled)
      << "otherwise the cache would confirm a correct guess at full speed";
  EXPECT_TRUE(Check(Header("admin", "right"), "10.0.0.2").allowed()) << "other addresses pass";
}

TEST_F(AuthenticatorTest, ANewPasswordInvalidatesCachedCredentials) {
  ASSERT_TRUE(Check(Header("admin", "right")).allowed());
  source_.Set(BasicAuth{"admin", *HashPassword("new", TestPasswordHashCost())});
  EXPECT_EQ(Check(Header("admin", "right")).outcome, Outcome::kUnauthenticated);
  EXPECT_TRUE(Check(Header("admin", "new")).allowed());
}

TEST_F(AuthenticatorTest, NoCredentialsToCheckAgainstRefusesEverything) {
  ASSERT_TRUE(Check(Header("admin", "right")).allowed());
  source_.Fail(Status::Unavailable("auth.json is missing; run rockpool up"));
  AuthDecision d = Check(Header("admin", "right"));
  EXPECT_EQ(d.outcome, Outcome::kUnavailable);
  EXPECT_EQ(d.message, "auth.json is missing; run rockpool up");
}

TEST_F(AuthenticatorTest, HashRunsOnAVerifierThreadAndCachedChecksInline) {
  auto caller = std::this_thread::get_id();
  std::promise<std::thread::id> slow;
  auth_.Authenticate({Header("admin", "right"), "a"},
                     [&](AuthDecision) { slow.set_value(std::this_thread::get_id()); });
  EXPECT_NE(slow.get_future().get(), caller);
  std::thread::id fast;
  auth_.Authenticate({Header("admin", "right"), "a"},
                     [&](AuthDecision) { fast = std::this_thread::get_id(); });
  EXPECT_EQ(fast, caller);
}

TEST_F(AuthenticatorTest, ABurstFromOneAddressIsCutOffAtTheThresholdWhileQueued) {
  std::vector<std::future<AuthDecision>> results;
  for (int i = 0; i < 50; ++i) {
    results.push_back(std::async(std::launch::async, [&] { return Check(Header("admin", "x")); }));
  }
  int unauthenticated = 0, throttled = 0;
  for (auto& r : results) {
    auto d = r.get();
    unauthenticated += d.outcome == Outcome::kUnauthenticated;
    throttled += d.outcome == Outcome::kThrottled;
  }
  EXPECT_EQ(unauthenticated, 5);
  EXPECT_EQ(throttled, 45);
  EXPECT_EQ(auth_.hash_checks(), 5u);
}

TEST(AuthenticatorRehashTest, AnEarlierReleasesBcryptBecomesArgon2idOnceItsPasswordIsRight) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, setting, sizeof setting), nullptr);
  crypt_data data{};
  const std::string legacy = crypt_r("right", setting, &data);
  FakeMonotonicClock clock;
  FixedCredentialSource source(BasicAuth{"admin", legacy});
  Authenticator auth(source, {}, clock);

  EXPECT_FALSE(auth.AuthenticateAndWait({Header("admin", "wrong"), "c"}).allowed());
  EXPECT_EQ(source.Current()->password_hash, legacy) << "a wrong password changes nothing";

  EXPECT_TRUE(auth.AuthenticateAndWait({Header("admin", "right"), "c"}).allowed());
  const std::string now = source.Current()->password_hash;
  EXPECT_EQ(now.rfind("$argon2id$", 0), 0u) << now;
  EXPECT_TRUE(PasswordMatches("right", now));
  EXPECT_TRUE(auth.AuthenticateAndWait({Header("admin", "right"), "c"}).allowed());
}

TEST(AuthenticatorBoundsTest, RefusesAtOnceWhenTooManyChecksAreWaiting) {
  FakeMonotonicClock clock;
  FixedCredentialSource source(BasicAuth{"admin", *HashPassword("right")});  // ~60 ms each
  AuthenticatorOptions options;
  options.max_pending_verifications = 2;
  Authenticator auth(source, options, clock);
  std::vector<std::future<AuthDecision>> queued;
  std::vector<AuthDecision> immediate;
  for (int i = 0; i < 6; ++i) {
    auto p = std::make_shared<std::promise<AuthDecision>>();
    auto f = p->get_future();
    auth.Authenticate({Header("admin", "wrong" + std::to_string(i)), "client-" + std::to_string(i)},
                      [p](AuthDecision d) { p->set_value(std::move(d)); });
    if (f.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      immediate.push_back(f.get());
    } else {
      queued.push_back(std::move(f));
    }
  }
  EXPECT_EQ(queued.size(), 2u);
  ASSERT_EQ(immediate.size(), 4u);
  for (const auto& d : immediate) {
    EXPECT_EQ(d.outcome, Outcome::kUnavailable);
    EXPECT_EQ(d.retry_after, std::chrono::seconds(1));
    EXPECT_THAT(d.message, HasSubstr("too many sign-ins are being checked"));
  }
  for (auto& f : queued) EXPECT_EQ(f.get().outcome, Outcome::kUnauthenticated);
}

}  // namespace
}  // namespace rockpool::auth

namespace rockpool::auth {
namespace {

// Tokens by secret, as the store would answer for them.
class FakeTokenVerifier final : public TokenVerifier {
 public:
  Result<TokenIdentity> Verify(std::string_view secret) override {
    ++calls;
    if (unavailable) return Status::Unavailable("the store is down");
    auto it = live.find(std::string(secret));
    if (it == live.end()) return Status::NotFound("the API token is unknown or was revoked");
    return it->second;
  }
  std::map<std::string, TokenIdentity> live;
  bool unavailable = false;
  int calls = 0;
};

class AuthenticatorTokenTest : public ::testing::Test {
 protected:
  AuthDecision Check(const std::string& header, const std::string& client = "10.0.0.1") {
    return auth_.AuthenticateAndWait({header, client});
  }

  FakeMonotonicClock clock_;
  FixedCredentialSource source_{BasicAuth{"admin", CheapHash()}};
  FakeTokenVerifier tokens_;
  Authenticator auth_{source_, AuthenticatorOptions{}, clock_, &tokens_};
};

TEST_F(AuthenticatorTokenTest, ALiveTokenOfTheAccountSignsInWithoutAHash) {
  const std::string secret = NewTokenSecret();
  tokens_.live[secret] = {"token-1", "admin"};
  AuthDecision d = Check("Bearer " + secret);
  ASSERT_TRUE(d.allowed()) << d.message;
  EXPECT_EQ(d.username, "admin");
  EXPECT_EQ(d.token_id, "token-1");
  EXPECT_EQ(auth_.hash_checks(), 0u);
  EXPECT_EQ(Check(Header("admin", "right")).token_id, "") << "the password names no token";
}

TEST_F(AuthenticatorTokenTest, UnknownTokensAndOtherAccountsAreCountedFailures) {
  const std::string other = NewTokenSecret();
  tokens_.live[other] = {"token-2", "someone-else"};
  AuthDecision unknown = Check("Bearer " + NewTokenSecret());
  EXPECT_EQ(unknown.outcome, Outcome::kUnauthenticated);
  EXPECT_THAT(unknown.message, HasSubstr("unknown or was revoked"));
  AuthDecision foreign = Check("Bearer " + other);
  EXPECT_EQ(foreign.outcome, Outcome::kUnauthenticated);
  EXPECT_THAT(foreign.message, HasSubstr("\"someone-else\" is gone"));
  AuthDecision shape = Check("Bearer not-a-rockpool-token");
  EXPECT_EQ(shape.outcome, Outcome::kUnauthenticated);
  EXPECT_THAT(shape.message, HasSubstr("start with rpt_"));
  EXPECT_EQ(tokens_.calls, 2) << "text of another shape is never looked up";
  // Guessing tokens locks the address out like guessing passwords.
  for (int i = 0; i < 5; ++i) Check("Bearer " + NewTokenSecret());
  EXPECT_EQ(Check("Bearer " + NewTokenSecret()).outcome, Outcome::kThrottled);
}

TEST_F(AuthenticatorTokenTest, AStoreThatCannotAnswerRefusesWithoutCountingAFailure) {
  tokens_.unavailable = true;
  for (int i = 0; i < 10; ++i) {
    AuthDecision d = Check("Bearer " + NewTokenSecret());
    EXPECT_EQ(d.outcome, Outcome::kUnavailable);
    EXPECT_EQ(d.message, "the store is down");
  }
  EXPECT_EQ(auth_.throttle().RetryAfter("10.0.0.1"), std::nullopt);
}

// Accounts besides the deployment's, as the store would answer for them.
class FakeDirectory final : public AccountDirectory {
 public:
  Result<std::optional<User>> Find(const std::string& username) override {
    if (unavailable) return Status::Unavailable("the accounts cannot be read");
    auto it = users.find(username);
    if (it == users.end()) return std::optional<User>();
    return std::optional<User>(it->second);
  }
  void Add(const std::string& name, Role role) {
    users[name] = User{name, CheapHash(), role, false, "2026-01-01T00:00:00.000Z"};
  }
  std::map<std::string, User> users;
  bool unavailable = false;
};

class AuthenticatorAccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_.Add("ann", Role::kMember);
    directory_.Add("bea", Role::kAdmin);
  }
  AuthDecision Check(const std::string& header, const std::string& client = "10.0.0.1") {
    return auth_.AuthenticateAndWait({header, client});
  }

  FakeMonotonicClock clock_;
  FixedCredentialSource source_{BasicAuth{"admin", CheapHash()}};
  FakeTokenVerifier tokens_;
  FakeDirectory directory_;
  Authenticator auth_{source_, AuthenticatorOptions{}, clock_, &tokens_, &directory_};
};

TEST_F(AuthenticatorAccountsTest, EachAccountSignsInWithItsRole) {
  AuthDecision admin = Check(Header("admin", "right"));
  ASSERT_TRUE(admin.allowed()) << admin.message;
  EXPECT_TRUE(admin.admin);
  AuthDecision ann = Check(Header("ann", "right"));
  ASSERT_TRUE(ann.allowed()) << ann.message;
  EXPECT_EQ(ann.username, "ann");
  EXPECT_FALSE(ann.admin);
  AuthDecision bea = Check(Header("bea", "right"));
  ASSERT_TRUE(bea.allowed());
  EXPECT_TRUE(bea.admin);
  EXPECT_EQ(Check(Header("ann", "wrong")).outcome, Outcome::kUnauthenticated);
  // A promotion counts from the next request, cached password or not.
  directory_.users["ann"].role = Role::kAdmin;
  EXPECT_TRUE(Check(Header("ann", "right")).admin);
}

TEST_F(AuthenticatorAccountsTest, ADisabledAccountIsRefusedEvenWithACachedPasswordOrAToken) {
  ASSERT_TRUE(Check(Header("ann", "right")).allowed());
  const std::string secret = NewTokenSecret();
  tokens_.live[secret] = {"token-1", "ann"};
  ASSERT_TRUE(Check("Bearer " + secret).allowed());

  directory_.users["ann"].disabled = true;
  AuthDecision cached = Check(Header("ann", "right"));
  EXPECT_EQ(cached.outcome, Outcome::kUnauthenticated);
  EXPECT_THAT(cached.message, HasSubstr("\"ann\" is disabled"));
  EXPECT_EQ(Check("Bearer " + secret).outcome, Outcome::kUnauthenticated);
  // Who does not know the password learns nothing about the account.
  EXPECT_EQ(Check(Header("ann", "wrong")).message, "the username or password is wrong");

  directory_.users.erase("ann");
  EXPECT_THAT(Check("Bearer " + secret).message, HasSubstr("\"ann\" is gone"));
}

TEST_F(AuthenticatorAccountsTest, AnUnknownNameCostsAHashAndAnUnreadableDirectoryRefuses) {
  const uint64_t before = auth_.hash_checks();
  EXPECT_EQ(Check(Header("nobody", "right")).message, "the username or password is wrong");
  EXPECT_EQ(auth_.hash_checks(), before + 1);
  directory_.unavailable = true;
  AuthDecision down = Check(Header("ann", "right"));
  EXPECT_EQ(down.outcome, Outcome::kUnavailable);
  EXPECT_THAT(down.message, HasSubstr("cannot be read"));
  EXPECT_TRUE(Check(Header("admin", "right")).allowed())
      << "the deployment's account is not looked up";
}

// Sessions by secret, as the store would answer for them.
class FakeSessionVerifier final : public SessionVerifier {
 public:
  Result<SessionIdentity> Verify(std::string_view secret) override {
    if (unavailable) return Status::Unavailable("the store is down");
    auto it = live.find(std::string(secret));
    if (it == live.end()) return Status::NotFound("the session ended");
    return it->second;
  }
  Result<SessionIdentity> VerifyOrigin(std::string_view secret, int port) override {
    auto it = origins.find({std::string(secret), port});
    if (it == origins.end()) return Status::NotFound("not this origin's cookie");
    return it->second;
  }
  std::map<std::string, SessionIdentity> live;
  std::map<std::pair<std::string, int>, SessionIdentity> origins;  // (cookie, port)
  bool unavailable = false;
};

class AuthenticatorSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { directory_.Add("ann", Role::kMember); }
  AuthDecision WithCookie(const std::string& secret, const std::string& header = "") {
    return auth_.AuthenticateAndWait({header, "10.0.0.1", secret});
  }
  // A session of `username` started with its current password.
  std::string Start(const std::string& username) {
    AuthDecision signed_in = auth_.AuthenticateAndWait({Header(username, "right"), "10.0.0.1"});
    EXPECT_TRUE(signed_in.allowed()) << signed_in.message;
    EXPECT_FALSE(signed_in.binding.empty());
    const std::string secret = NewSessionSecret();
    sessions_.live[secret] = {"session-" + username, username, signed_in.binding};
    return secret;
  }

  FakeMonotonicClock clock_;
  FixedCredentialSource source_{BasicAuth{"admin", CheapHash()}};
  FakeDirectory directory_;
  FakeSessionVerifier sessions_;
  Authenticator auth_{source_, AuthenticatorOptions{}, clock_, nullptr, &directory_, &sessions_};
};

TEST_F(AuthenticatorSessionTest, ALiveSessionSignsInItsAccountWithoutAHash) {
  const std::string secret = Start("ann");
  const uint64_t hashes = auth_.hash_checks();
  AuthDecision d = WithCookie(secret);
  ASSERT_TRUE(d.allowed()) << d.message;
  EXPECT_EQ(d.username, "ann");
  EXPECT_EQ(d.session_id, "session-ann");
  EXPECT_TRUE(d.binding.empty()) << "only the password itself can start a session";
  EXPECT_EQ(auth_.hash_checks(), hashes);
  // An Authorization header speaks for the request; the cookie is not looked at.
  AuthDecision header = WithCookie(secret, Header("admin", "right"));
  EXPECT_EQ(header.username, "admin");
  EXPECT_TRUE(header.session_id.empty());
}

TEST_F(AuthenticatorSessionTest, EndedForeignOrStaleSessionsAreRefusedButNotCounted) {
  const std::string secret = Start("ann");
  for (int i = 0; i < 10; ++i) {
    AuthDecision ended = WithCookie(NewSessionSecret());
    EXPECT_EQ(ended.outcome, Outcome::kUnauthenticated);
    EXPECT_EQ(ended.message, "the session ended");
    EXPECT_THAT(WithCookie("rpt_" + NewSessionSecret().substr(4)).message,
                HasSubstr("not a session of this server"));
  }
  EXPECT_EQ(auth_.throttle().RetryAfter("10.0.0.1"), std::nullopt);
  EXPECT_TRUE(WithCookie(secret).allowed());

  // A new password (the same text again, hashed with a new salt) ends the old sessions.
  directory_.users["ann"].password_hash = *HashPassword("right", TestPasswordHashCost());
  EXPECT_THAT(WithCookie(secret).message, HasSubstr("password changed since this session began"));
  const std::string renewed = Start("ann");
  EXPECT_TRUE(WithCookie(renewed).allowed());
  directory_.users["ann"].disabled = true;
  EXPECT_THAT(WithCookie(renewed).message, HasSubstr("\"ann\" is disabled"));
  directory_.users.erase("ann");
  EXPECT_THAT(WithCookie(renewed).message, HasSubstr("\"ann\" is gone"));
  sessions_.unavailable = true;
  EXPECT_EQ(WithCookie(renewed).outcome, Outcome::kUnavailable);
}

// On a workspace origin only that origin's cookie counts: never the dashboard's session, and
// the account checks of a session apply to the session the cookie carries.
TEST_F(AuthenticatorSessionTest, AnOriginTakesItsOwnCookieOnly) {
  const std::string session = Start("ann");
  const std::string cookie = NewSecret(kOriginPrefix);
  sessions_.origins[{cookie, 20001}] = sessions_.live[session];
  auto on_origin = [&](const std::string& secret, int port) {
    return auth_.AuthenticateAndWait({"", "10.0.0.1", secret, port});
  };
  AuthDecision d = on_origin(cookie, 20001);
  ASSERT_TRUE(d.allowed()) << d.message;
  EXPECT_EQ(d.username, "ann");
  EXPECT_EQ(d.session_id, "session-ann");
  EXPECT_THAT(on_origin(cookie, 20002).message, HasSubstr("not this origin's cookie"));
  EXPECT_THAT(on_origin(session, 20001).message, HasSubstr("not a session of this server"));
  EXPECT_THAT(WithCookie(cookie).message, HasSubstr("not a session of this server"));
  directory_.users["ann"].password_hash = *HashPassword("right", TestPasswordHashCost());
  EXPECT_THAT(on_origin(cookie, 20001).message, HasSubstr("password changed"));
}

TEST(AuthenticatorWithoutSessionsTest, SessionCookiesAreRefused) {
  FakeMonotonicClock clock;
  FixedCredentialSource source{BasicAuth{"admin", CheapHash()}};
  Authenticator auth(source, {}, clock);
  AuthDecision d = auth.AuthenticateAndWait({"", "10.0.0.1", NewSessionSecret()});
  EXPECT_EQ(d.outcome, Outcome::kUnauthenticated);
  EXPECT_THAT(d.message, HasSubstr("not a session of this server"));
}

TEST(AuthenticatorWithoutTokensTest, BearerHeadersAreRefused) {
  FakeMonotonicClock clock;
  FixedCredentialSource source{BasicAuth{"admin", CheapHash()}};
  Authenticator auth(source, {}, clock);
  AuthDecision d = auth.AuthenticateAndWait({"Bearer " + NewTokenSecret(), "10.0.0.1"});
  EXPECT_EQ(d.outcome, Outcome::kUnauthenticated);
  EXPECT_THAT(d.message, HasSubstr("takes no API tokens"));
}

}  // namespace
}  // namespace rockpool::auth
