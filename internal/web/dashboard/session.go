package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// cookieName names the session cookie. It is scoped to the dashboard's path
// so that API requests never carry it.
const cookieName = "intake_dashboard"

// session is a signed-in visitor: the principal of the key they signed in
// with, and the CSRF token their forms must carry.
type session struct {
	p    *intake.Principal
	csrf string
}

// Domain separators keep a MAC made for one purpose from being accepted
// for another.
const (
	sessionLabel = "intake dashboard session v1\x00"
	csrfLabel    = "intake dashboard csrf v1\x00"
)

func (h *handler) mac(label string, parts ...string) []byte {
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte(label))
	for _, p := range parts {
		// Each part ends with a NUL, which neither a hex hash nor a decimal
		// expiry holds, so parts cannot be shifted across the boundary.
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// newCookie signs the key hash and an expiry: the cookie names the key
// without being a credential for the API, as the token would be.
func (h *handler) newCookie(hash string, exp time.Time) *http.Cookie {
	e := strconv.FormatInt(exp.Unix(), 10)
	value := hash + "." + e + "." + base64.RawURLEncoding.EncodeToString(h.mac(sessionLabel, hash, e))
	return h.cookie(value, int(SessionTTL/time.Second))
}

// cookie sets only Max-Age, not Expires: the service clock may differ from
// the browser's, and a relative lifetime needs neither to agree.
func (h *handler) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     cookieName,
		Value:    value,
		Path:     rootPath,
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   h.secure,
		SameSite: http.SameSiteLaxMode,
	}
}

func (h *handler) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, h.cookie("", -1))
}

// errNoSession is any cookie that is missing, forged, malformed or expired.
var errNoSession = intake.Errorf(intake.EUnauthenticated, "no valid session")

// readCookie checks the cookie's MAC and expiry and returns the key hash
// it names.
func (h *handler) readCookie(r *http.Request) (hash, value string, err error) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return "", "", errNoSession
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return "", "", errNoSession
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, h.mac(sessionLabel, parts[0], parts[1])) {
		return "", "", errNoSession
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || h.svc.Now().Unix() >= exp {
		return "", "", errNoSession
	}
	return parts[0], c.Value, nil
}

// csrfToken is derived from the session cookie, so it changes with every
// sign-in and needs no storage.
func (h *handler) csrfToken(cookieValue string) string {
	return base64.RawURLEncoding.EncodeToString(h.mac(csrfLabel, cookieValue))
}

// authedFunc is a handler for signed-in visitors.
type authedFunc func(w http.ResponseWriter, r *http.Request, s *session)

// authed resolves the session, re-checking the key so that a revoked key
// signs its sessions out: at once when revoked in this process, within
// intake.KeyCacheTTL when revoked by another (the keys CLI). A visitor without a session is sent to
// the sign-in page, which brings them back to the page they asked for.
func (h *handler) authed(next authedFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hash, value, err := h.readCookie(r)
		var p *intake.Principal
		if err == nil {
			p, err = h.svc.AuthenticateHash(r.Context(), hash)
		}
		switch {
		case intake.ErrorCodeOf(err) == intake.EUnauthenticated:
			_, cerr := r.Cookie(cookieName)
			hadCookie := cerr == nil
			if hadCookie {
				h.clearCookie(w)
			}
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				h.writeError(w, r, nil, intake.Errorf(intake.EUnauthenticated, "Your session has ended. Sign in again, then retry."))
				return
			}
			q := url.Values{"next": {r.URL.RequestURI()}}
			if hadCookie {
				q.Set("ended", "1")
			}
			http.Redirect(w, r, loginPath+"?"+q.Encode(), http.StatusSeeOther)
			return
		case err != nil:
			h.writeError(w, r, nil, err)
			return
		}
		next(w, r, &session{p: p, csrf: h.csrfToken(value)})
	}
}

// inOrg answers 404 when the URL names another organization than the
// session's: whether that organization exists is none of the visitor's
// business.
func (h *handler) inOrg(next authedFunc) authedFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		if r.PathValue("org") != s.p.Org.Reference {
			h.writeError(w, r, s, errPageNotFound)
			return
		}
		next(w, r, s)
	}
}

// readForm parses a posted form under a size cap and checks its CSRF
// token. On failure it has written the error page.
func (h *handler) readForm(w http.ResponseWriter, r *http.Request, s *session) (url.Values, bool) {
	return h.readFormMax(w, r, s, maxFormBytes)
}

// readFormMax is readForm with another size cap, for forms carrying long
// texts.
func (h *handler) readFormMax(w http.ResponseWriter, r *http.Request, s *session, limit int64) (url.Values, bool) {
	r.Body = plumbing.LimitBody(w, r, limit)
	if err := r.ParseForm(); err != nil {
		if plumbing.TooLarge(err) {
			h.writeError(w, r, s, intake.Errorf(intake.ETooLarge, "The form is too large."))
		} else {
			h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "The form could not be read."))
		}
		return nil, false
	}
	if s != nil && !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(s.csrf)) {
		h.writeError(w, r, s, intake.Errorf(intake.EForbidden, "This form has expired or did not come from this dashboard. Reload the page and try again."))
		return nil, false
	}
	return r.PostForm, true
}
