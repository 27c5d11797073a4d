package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"

	"intake"
)

// formCookieName names the cookie that protects the forms of signed-out
// visitors (sign-in, forgot password, set password) against cross-site
// posts: their CSRF token is a MAC of it, and SameSite=Lax keeps other
// sites' posts from carrying it. Without it, another site could sign a
// visitor in to the attacker's account.
const formCookieName = "intake_form"

// formLabel separates these tokens from the sessions' CSRF tokens.
const formLabel = "intake dashboard signed-out form v1\x00"

// formCSRF returns the CSRF token of the visitor's form cookie, setting a
// new cookie when there is none.
func (h *handler) formCSRF(w http.ResponseWriter, r *http.Request) string {
	value := ""
	if c, err := r.Cookie(formCookieName); err == nil && len(c.Value) == 43 {
		value = c.Value
	} else {
		var b [32]byte
		_, _ = rand.Read(b[:])
		value = base64.RawURLEncoding.EncodeToString(b[:])
		http.SetCookie(w, &http.Cookie{Name: formCookieName, Value: value, Path: rootPath,
			HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	}
	return base64.RawURLEncoding.EncodeToString(h.mac(formLabel, value))
}

// readSignedOutForm is readForm for the forms of signed-out visitors: the
// form's CSRF token must match the visitor's form cookie.
func (h *handler) readSignedOutForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	form, ok := h.readForm(w, r, nil)
	if !ok {
		return nil, false
	}
	c, err := r.Cookie(formCookieName)
	if err != nil || !hmac.Equal([]byte(form.Get("csrf")), []byte(base64.RawURLEncoding.EncodeToString(h.mac(formLabel, c.Value)))) {
		h.writeError(w, r, nil, intake.Errorf(intake.EForbidden, "This form has expired or did not come from this dashboard. Reload the page and try again."))
		return nil, false
	}
	return form, true
}
