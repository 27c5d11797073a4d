package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// UserClaims is what a user token says: who, for which organization, and
// which password it was issued under.
type UserClaims struct {
	UserID int64
	OrgID  int64
	// PasswordStamp ties the token to the password and the session epoch
	// (sessionStamp): a reset, disabling or enabling changes it, which ends
	// the tokens issued before.
	PasswordStamp string
	ExpiresAt     time.Time
}

// UserTokens issues and checks user tokens (signed JWTs). It lives outside
// the domain so the domain stays stdlib-only.
type UserTokens interface {
	// Issue returns a signed token carrying c.
	Issue(c UserClaims, now time.Time) (string, error)
	// Parse checks a token's signature and expiry at now. Errors:
	// EUnauthenticated ("token expired" or "invalid access token").
	Parse(token string, now time.Time) (UserClaims, error)
	// Looks reports whether token has a user token's shape, so that other
	// tokens go to the API key lookup without a signature check.
	Looks(token string) bool
}

// DefaultUserTokenTTL is a user token's lifetime when ServiceConfig sets none.
const DefaultUserTokenTTL = 12 * time.Hour

// Failed logins allowed per email and per client address within
// LoginWindow; past that, logins answer ERateLimited until the window ends.
const (
	LoginFailuresPerEmail   = 5
	LoginFailuresPerAddress = 20
	LoginWindow             = 15 * time.Minute
	// maxLoginCounters bounds the failure counters kept in memory.
	maxLoginCounters = 100_000
)

// passwordStamp is a short fingerprint of a password hash, stored in tokens.
func passwordStamp(hash string) string {
	sum := sha256.Sum256([]byte(hash))
	return hex.EncodeToString(sum[:8])
}

// loginRefusal is the one answer to a wrong email or password: it must not
// reveal whether the email exists.
const loginRefusal = "Invalid email or password"

// Login checks an email and password and returns a user token, for the
// client at addr (its IP address). Unknown emails cost a dummy hash
// verification so that they answer in about the same time as known ones.
// Errors: EUnauthenticated (same message for every wrong pair, disabled
// users included), ERateLimited (too many failures for the email or the
// address), EUnavailable when users are not configured.
func (s *Service) Login(ctx context.Context, email, password, addr string) (string, *User, error) {
	if _, err := s.hasher(); err != nil {
		return "", nil, err
	}
	if s.tokens == nil {
		return "", nil, Errorf(EUnavailable, "user tokens are not configured")
	}
	u, org, err := s.checkPassword(ctx, email, password, addr)
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	token, err := s.tokens.Issue(UserClaims{UserID: u.ID, OrgID: org.ID,
		PasswordStamp: sessionStamp(u), ExpiresAt: now.Add(s.tokenTTL)}, now)
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

// SignIn checks an email and password for an interactive session (the
// dashboard), for the client at addr, and returns the user's principal and
// the stamp the session must be bound to (see UserSession). It shares
// Login's failure counters, so the two doors together get no more guesses
// than one. Errors: as Login's.
func (s *Service) SignIn(ctx context.Context, email, password, addr string) (*Principal, string, error) {
	u, org, err := s.checkPassword(ctx, email, password, addr)
	if err != nil {
		return nil, "", err
	}
	return userPrincipal(u, org), sessionStamp(u), nil
}

// UserSession resolves the user of a session to its principal, and returns
// the stamp the session must have been bound to at SignIn. The user is read
// on every call, so a disabled user is refused at once, and a new password
// changes the stamp, which ends the sessions opened before.
// Errors: EUnauthenticated (unknown or disabled user).
func (s *Service) UserSession(ctx context.Context, userID int64) (*Principal, string, error) {
	u, org, err := s.store.UserByID(ctx, userID)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, "", Errorf(EUnauthenticated, "invalid session")
	case err != nil:
		return nil, "", err
	case u.Disabled || u.OrgID != org.ID:
		return nil, "", Errorf(EUnauthenticated, "invalid session")
	}
	return userPrincipal(u, org), sessionStamp(u), nil
}

// sessionStamp is what sessions and user tokens are bound to: it changes
// with the password and with the session epoch (disabled, enabled). It
// never leaves the server in clear (sessions carry a MAC over it, tokens a
// hash prefix).
func sessionStamp(u *User) string {
	return passwordStamp(u.PasswordHash + "\x00" + strconv.FormatInt(u.SessionEpoch, 10))
}

// checkPassword is the credential check shared by Login and SignIn: rate
// limit, then the same refusal for an unknown email, a wrong password or a
// disabled user.
func (s *Service) checkPassword(ctx context.Context, email, password, addr string) (*User, *Org, error) {
	h, err := s.hasher()
	if err != nil {
		return nil, nil, err
	}
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		return nil, nil, FieldErrors(map[string]string{"email": "email and password are required"})
	}
	now := s.now()
	emailKey, addrKey := "e:"+strings.ToLower(email), "a:"+addr
	if wait := s.logins.blocked(now, emailKey, addrKey); wait > 0 {
		return nil, nil, &Error{Code: ERateLimited, RetryAfter: wait,
			Message: fmt.Sprintf("too many failed logins; retry in %d s", int(math.Ceil(wait.Seconds())))}
	}
	u, org, err := s.store.UserByEmail(ctx, email)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		h.Verify(s.dummyHash(h), password)
		u = nil
	case err != nil:
		return nil, nil, err
	}
	if u == nil || len(password) > MaxPasswordLength || !h.Verify(u.PasswordHash, password) || u.Disabled {
		s.logins.fail(now, emailKey, LoginFailuresPerEmail, addrKey, LoginFailuresPerAddress)
		return nil, nil, Errorf(EUnauthenticated, "%s", loginRefusal)
	}
	s.logins.reset(emailKey)
	return u, org, nil
}

// dummyHash is a hash of a password no one has, computed once, for the
// unknown-email path to verify against.
func (s *Service) dummyHash(h PasswordHasher) string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = h.Hash(NewPassword())
	})
	return s.dummy
}

// userPrincipal resolves a user token. The user is read on every request,
// so disabling a user or resetting its password ends its tokens at once, in
// every process sharing the store.
func (s *Service) userPrincipal(ctx context.Context, token string) (*Principal, error) {
	c, err := s.tokens.Parse(token, s.now())
	if err != nil {
		return nil, err
	}
	u, org, err := s.store.UserByID(ctx, c.UserID)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, Errorf(EUnauthenticated, "invalid access token")
	case err != nil:
		return nil, err
	}
	if u.Disabled || org.ID != c.OrgID || sessionStamp(u) != c.PasswordStamp {
		return nil, Errorf(EUnauthenticated, "invalid access token")
	}
	return userPrincipal(u, org), nil
}

// userPrincipal builds the Principal of a signed-in user. Every rule of the
// Service checks an API key, so a user acts through a key standing for it:
// its ID is the user's ID negated (never a real key's, which are positive;
// candidates it creates record it as their creator, and its idempotency
// keys and rate limit are its own), its scopes follow the role (roleScopes).
// The Service's own checks go by the role itself (Principal.Require).
func userPrincipal(u *User, org *Org) *Principal {
	scopes := slices.Clone(roleScopes[u.Role])
	return &Principal{
		Key:  &APIKey{ID: -u.ID, OrgID: org.ID, Name: "user " + u.Email, Scopes: scopes, CreatedAt: u.CreatedAt},
		Org:  org,
		User: u,
	}
}

// CanWrite reports whether the principal may create, move or archive
// candidates (a key with a write scope, a user whose role writes).
func (p *Principal) CanWrite() bool {
	ok, _ := p.canWrite()
	return ok
}

// loginLimiter counts failed logins per key (an email or an address) in
// fixed windows.
type loginLimiter struct {
	mu       sync.Mutex
	counters map[string]loginCounter
}

type loginCounter struct {
	failures int
	limit    int
	since    time.Time
}

// blocked returns how long any of keys stays locked, 0 when none is.
func (l *loginLimiter) blocked(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		c, ok := l.counters[k]
		if !ok {
			continue
		}
		end := c.since.Add(LoginWindow)
		if c.failures >= c.limit && now.Before(end) {
			wait = max(wait, end.Sub(now))
		}
	}
	return wait
}

// fail counts a failure against each (key, limit) pair.
func (l *loginLimiter) fail(now time.Time, emailKey string, emailLimit int, addrKey string, addrLimit int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counters == nil {
		l.counters = map[string]loginCounter{}
	}
	if len(l.counters) >= maxLoginCounters {
		for k, c := range l.counters {
			if !now.Before(c.since.Add(LoginWindow)) {
				delete(l.counters, k)
			}
		}
	}
	for _, kl := range [...]struct {
		key   string
		limit int
	}{{emailKey, emailLimit}, {addrKey, addrLimit}} {
		c, ok := l.counters[kl.key]
		if !ok || !now.Before(c.since.Add(LoginWindow)) {
			// A full table with no expired entry keeps counting the keys
			// it has and lets new ones pass: memory stays bounded.
			if !ok && len(l.counters) >= maxLoginCounters {
				continue
			}
			c = loginCounter{since: now, limit: kl.limit}
		}
		c.failures++
		l.counters[kl.key] = c
	}
}

// reset forgets the failures of a key after a successful login.
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.counters, key)
}
