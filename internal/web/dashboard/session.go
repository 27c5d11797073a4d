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

// session is a signed-in visitor: the principal of the user they signed in
// as, and the CSRF token their forms must carry.
type session struct {
	p    *intake.Principal
	csrf string
}

// Domain separators keep a MAC made for one purpose from being accepted
// for another. v2 sessions name a user; v1 ones named an API key and no
// longer verify.
const (
	sessionLabel = "intake dashboard session v2\x00"
	csrfLabel    = "intake dashboard csrf v1\x00"
)

func (h *handler) mac(label string, parts ...string) []byte {
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte(label))
	for _, p := range parts {
		// Each part ends with a NUL, which neither a decimal id or expiry
		// nor a hex stamp holds, so parts cannot be shifted across the
		// boundary.
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// newCookie signs a user id and an expiry, together with the user's
// session stamp (intake.Service.UserSession): the stamp is not in the
// cookie, only under its MAC, so a new password makes every older cookie's
// MAC wrong. The cookie is no credential for the API: it holds no token.
func (h *handler) newCookie(userID int64, stamp string, exp time.Time) *http.Cookie {
	id, e := strconv.FormatInt(userID, 10), strconv.FormatInt(exp.Unix(), 10)
	value := id + "." + e + "." + base64.RawURLEncoding.EncodeToString(h.mac(sessionLabel, id, e, stamp))
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

// readSession checks the session cookie: its expiry, then its user (read
// on every request, so that disabling the user ends the session at once)
// and its MAC over the user's current stamp (so that a new password ends
// it too). It returns the user's principal and the cookie's value.
func (h *handler) readSession(r *http.Request) (*intake.Principal, string, error) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil, "", errNoSession
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return nil, "", errNoSession
	}
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != parts[0] {
		return nil, "", errNoSession
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || h.svc.Now().Unix() >= exp {
		return nil, "", errNoSession
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, "", errNoSession
	}
	p, stamp, err := h.svc.UserSession(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	if !hmac.Equal(sig, h.mac(sessionLabel, parts[0], parts[1], stamp)) {
		return nil, "", errNoSession
	}
	return p, c.Value, nil
}

// csrfToken is derived from the session cookie, so it changes with every
// sign-in and needs no storage.
func (h *handler) csrfToken(cookieValue string) string {
	return base64.RawURLEncoding.EncodeToString(h.mac(csrfLabel, cookieValue))
}

// authedFunc is a handler for signed-in visitors.
type authedFunc func(w http.ResponseWriter, r *http.Request, s *session)

// authed resolves the session. A visitor without a valid one is sent to
// the sign-in page, which brings them back to the page they asked for.
func (h *handler) authed(next authedFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, value, err := h.readSession(r)
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
