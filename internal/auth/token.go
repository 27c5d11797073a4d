package auth

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"intake"
)

// issuer names intake in the tokens it signs.
const issuer = "intake"

// JWT signs user tokens as HS256 JWTs with Key, which must be a key of its
// own (derived from the data dir's secret, not that secret itself).
type JWT struct {
	Key []byte
}

type claims struct {
	jwt.RegisteredClaims
	Org   int64  `json:"org"`
	Stamp string `json:"pwd"`
}

// Issue returns a signed token carrying c.
func (j JWT) Issue(c intake.UserClaims, now time.Time) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   strconv.FormatInt(c.UserID, 10),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
		},
		Org:   c.OrgID,
		Stamp: c.PasswordStamp,
	})
	s, err := tok.SignedString(j.Key)
	if err != nil {
		return "", intake.WrapError(intake.EInternal, err, "cannot sign the token")
	}
	return s, nil
}

// Parse checks a token's signature (HS256 only), issuer and expiry at now.
// Errors: EUnauthenticated.
func (j JWT) Parse(token string, now time.Time) (intake.UserClaims, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return j.Key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return intake.UserClaims{}, intake.Errorf(intake.EUnauthenticated, "token expired")
		}
		return intake.UserClaims{}, intake.Errorf(intake.EUnauthenticated, "invalid access token")
	}
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil || id <= 0 || c.Org <= 0 {
		return intake.UserClaims{}, intake.Errorf(intake.EUnauthenticated, "invalid access token")
	}
	return intake.UserClaims{UserID: id, OrgID: c.Org, PasswordStamp: c.Stamp, ExpiresAt: c.ExpiresAt.Time.UTC()}, nil
}

// Looks reports whether token is shaped like a JWT: three dot-separated
// parts, the first a base64url JSON object ("eyJ" is `{"`). API keys are
// other strings, so they skip the signature check.
func (JWT) Looks(token string) bool {
	return strings.HasPrefix(token, "eyJ") && strings.Count(token, ".") == 2
}
