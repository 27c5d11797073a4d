package flatchr

import (
	"net"
	"net/http"

	"intake"
)

// loginAnswer is POST /user/login's answer (spec flatchr §1 User token).
type loginAnswer struct {
	StatusCode int    `json:"statusCode"`
	Token      string `json:"token"`
}

// login serves POST /user/login with {email, password}: a user token, or
// the same 401 for every wrong pair; 429 after repeated failures.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	ps, err := readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	email, err1 := ps.text("email")
	password, err2 := ps.text("password")
	if err1 != nil || err2 != nil || email == nil || password == nil {
		h.writeError(w, r, intake.Errorf(intake.EInvalid, "email and password are required"))
		return
	}
	token, _, err := h.svc.Login(r.Context(), *email, *password, clientAddr(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, loginAnswer{StatusCode: http.StatusOK, Token: token})
}

// clientAddr is the peer's IP address. Forwarded headers are not trusted:
// a client could then pick its own address and escape the login limit.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
