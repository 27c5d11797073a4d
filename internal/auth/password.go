// Package auth holds the credential primitives the domain names by
// interface: password hashing (bcrypt) and user tokens (HS256 JWTs).
package auth

import (
	"golang.org/x/crypto/bcrypt"

	"intake"
)

// Bcrypt hashes passwords with bcrypt at Cost.
type Bcrypt struct {
	// Cost is bcrypt's work factor; bcrypt.DefaultCost (10) when 0. Tests
	// use bcrypt.MinCost.
	Cost int
}

// Hash returns the encoded bcrypt hash of password. Errors: EInvalid for a
// password over 72 bytes, which bcrypt would otherwise truncate.
func (b Bcrypt) Hash(password string) (string, error) {
	cost := b.Cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		if err == bcrypt.ErrPasswordTooLong {
			return "", intake.FieldErrors(map[string]string{"password": "is too long (maximum is 72 bytes)"})
		}
		return "", intake.WrapError(intake.EInternal, err, "cannot hash the password")
	}
	return string(h), nil
}

// Verify reports whether password matches hash; a malformed hash matches
// nothing.
func (Bcrypt) Verify(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
