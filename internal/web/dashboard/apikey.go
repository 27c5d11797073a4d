package dashboard

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"intake"
)

// keysView is the API keys page: the organization's keys and the form to
// create one. Admins and owners only (the Service refuses the others).
type keysView struct {
	layout
	// Notice confirms the change the visitor just made.
	Notice string
	Keys   []keyView
	// Form is the create form, refilled after a refusal.
	Form keyForm
}

// keyView is one key of the list; never its token, which is not stored.
type keyView struct {
	ID        int64
	Name      string
	Scopes    []intake.Scope
	Owner     string
	Created   string
	Revoked   string
	RevokeURL string
}

// keyForm is the create form: its fields and what was wrong with them.
type keyForm struct {
	Action string
	Name   string
	Scopes []checkbox
	Errors map[string]string
}

// checkbox is one choice of a multiple-choice field.
type checkbox struct {
	ID, Value, Label string
	Checked          bool
}

// keyCreatedView shows a new key's token, the one time it is shown.
type keyCreatedView struct {
	layout
	Key     keyView
	Token   string
	KeysURL string
}

// keyRevokeView asks to confirm a revocation.
type keyRevokeView struct {
	layout
	Key     keyView
	KeysURL string
}

func keysPath(org string) string { return homePath(org) + "/keys" }

func revokeKeyPath(org string, id int64) string {
	return keysPath(org) + "/" + strconv.FormatInt(id, 10) + "/revoke"
}

// keyNotices are the confirmations a redirect to the keys page may ask for.
var keyNotices = map[string]string{"revoked": "The key is revoked: requests with it are refused from now on."}

// showKeys lists the organization's keys.
func (h *handler) showKeys(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderKeys(w, r, s, http.StatusOK, keyForm{}, keyNotices[r.URL.Query().Get("done")])
}

func (h *handler) renderKeys(w http.ResponseWriter, r *http.Request, s *session, status int, form keyForm, notice string) {
	keys, err := h.svc.APIKeysAs(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	owners, err := h.memberEmails(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := keysView{layout: h.layout("API keys", s), Notice: notice, Form: form}
	// Newest first: the key just made is at the top.
	keys = slices.SortedFunc(slices.Values(keys), func(a, b *intake.APIKey) int { return cmp.Compare(b.ID, a.ID) })
	for _, k := range keys {
		v.Keys = append(v.Keys, h.keyView(s, k, owners))
	}
	v.Form.Action = keysPath(s.p.Org.Reference)
	checked := map[intake.Scope]bool{}
	for _, c := range form.Scopes {
		checked[intake.Scope(c.Value)] = c.Checked
	}
	v.Form.Scopes = nil
	for _, sc := range intake.IssuableScopes {
		v.Form.Scopes = append(v.Form.Scopes, checkbox{ID: "scope-" + string(sc), Value: string(sc), Label: string(sc), Checked: checked[sc]})
	}
	render(h, w, r, status, h.pages.keys, v)
}

// memberEmails maps the organization's users' ids to their emails.
func (h *handler) memberEmails(r *http.Request, s *session) (map[int64]string, error) {
	users, err := h.svc.Members(r.Context(), s.p)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(users))
	for _, u := range users {
		m[u.ID] = u.Email
	}
	return m, nil
}

func (h *handler) keyView(s *session, k *intake.APIKey, owners map[int64]string) keyView {
	v := keyView{ID: k.ID, Name: k.Name, Scopes: k.Scopes, Owner: owners[k.OwnerUserID], Created: h.dateTime(k.CreatedAt)}
	if k.RevokedAt != nil {
		v.Revoked = h.dateTime(*k.RevokedAt)
	} else {
		v.RevokeURL = revokeKeyPath(s.p.Org.Reference, k.ID)
	}
	return v
}

// createKey issues a key and shows its token once, on the answer itself:
// never in a URL, a redirect or a later page.
func (h *handler) createKey(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	var scopes []intake.Scope
	f := keyForm{Name: form.Get("name")}
	for _, sc := range form["scopes"] {
		scopes = append(scopes, intake.Scope(sc))
		f.Scopes = append(f.Scopes, checkbox{Value: sc, Checked: true})
	}
	token, key, err := h.svc.CreateAPIKeyAs(r.Context(), s.p, f.Name, scopes)
	if intake.ErrorCodeOf(err) == intake.EInvalid {
		f.Errors = intake.ErrorFields(err)
		h.renderKeys(w, r, s, http.StatusUnprocessableEntity, f, "")
		return
	}
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	owners, err := h.memberEmails(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := keyCreatedView{
		layout:  h.layout("API key created", s),
		Key:     h.keyView(s, key, owners),
		Token:   token,
		KeysURL: keysPath(s.p.Org.Reference),
	}
	render(h, w, r, http.StatusCreated, h.pages.keyCreated, v)
}

// keyOf finds the key the URL names among the organization's.
func (h *handler) keyOf(r *http.Request, s *session) (*intake.APIKey, error) {
	keys, err := h.svc.APIKeysAs(r.Context(), s.p)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("key"), 10, 64)
	if err != nil {
		return nil, errPageNotFound
	}
	for _, k := range keys {
		if k.ID == id {
			return k, nil
		}
	}
	return nil, errPageNotFound
}

// confirmRevokeKey asks whether to revoke a key.
func (h *handler) confirmRevokeKey(w http.ResponseWriter, r *http.Request, s *session) {
	k, err := h.keyOf(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	owners, err := h.memberEmails(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := keyRevokeView{layout: h.layout("Revoke "+k.Name, s), Key: h.keyView(s, k, owners), KeysURL: keysPath(s.p.Org.Reference)}
	render(h, w, r, http.StatusOK, h.pages.keyRevoke, v)
}

// revokeKey revokes a key, once confirmed.
func (h *handler) revokeKey(w http.ResponseWriter, r *http.Request, s *session) {
	if _, ok := h.readForm(w, r, s); !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("key"), 10, 64)
	if err != nil {
		h.writeError(w, r, s, errPageNotFound)
		return
	}
	if err := h.svc.RevokeAPIKeyAs(r.Context(), s.p, id); err != nil {
		h.writeError(w, r, s, err)
		return
	}
	http.Redirect(w, r, keysPath(s.p.Org.Reference)+"?done=revoked", http.StatusSeeOther)
}
