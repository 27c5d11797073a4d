package dashboard

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"intake"
	"intake/internal/httpapi/plumbing"
)

//go:embed templates/*.html static/style.css static/board.js
var assets embed.FS

// page is one parsed template set, typed by the view it renders, so a page
// can only ever be given its own view.
type page[V any] struct{ t *template.Template }

// pages holds every template, parsed once at startup.
type pages struct {
	login    page[loginView]
	forgot   page[forgotView]
	password page[passwordView]
	users    page[usersView]
	home     page[homeView]
	board    page[boardView]
	card     page[cardView]
	err      page[errorView]
	search   page[searchView]
	stats    page[statsView]
	// Job editing pages share the job header, templates/jobnav.html.
	jobForm   page[jobFormView]
	stages    page[stagesView]
	questions page[questionsView]
	// Administration: API keys and webhooks.
	keys           page[keysView]
	keyCreated     page[keyCreatedView]
	keyRevoke      page[keyRevokeView]
	webhooks       page[webhooksView]
	webhook        page[webhookView]
	webhookCreated page[webhookCreatedView]
	// cssPath names the stylesheet after its content so that browsers may
	// cache it for good.
	cssPath string
	css     []byte
	// jsPath names the board's script after its content, likewise.
	jsPath string
	js     []byte
}

// layout is what every page shows around its content.
type layout struct {
	Title   string
	CSSPath string
	// Session is nil on pages shown to signed-out visitors.
	Session *sessionView
	// Query refills the top bar's search box.
	Query string
}

// sessionView is the signed-in visitor as the page header shows them.
type sessionView struct {
	OrgName string
	HomeURL string
	// Name is the signed-in person's name (their email when they gave
	// none), Role their role in the organization.
	Name     string
	Role     intake.Role
	CSRF     string
	CanWrite bool
	// UsersURL, KeysURL and WebhooksURL are the administration pages,
	// empty when the visitor may not manage them.
	UsersURL    string
	KeysURL     string
	WebhooksURL string
	// SearchURL is where the top bar's search box sends its text.
	SearchURL string
}

func parsePages() (*pages, error) {
	p := &pages{}
	var err error
	if p.login, err = parsePage[loginView]("login"); err != nil {
		return nil, err
	}
	if p.forgot, err = parsePage[forgotView]("forgot"); err != nil {
		return nil, err
	}
	if p.password, err = parsePage[passwordView]("password"); err != nil {
		return nil, err
	}
	if p.users, err = parsePage[usersView]("users"); err != nil {
		return nil, err
	}
	if p.home, err = parsePage[homeView]("home"); err != nil {
		return nil, err
	}
	if p.board, err = parsePage[boardView]("board"); err != nil {
		return nil, err
	}
	if p.card, err = parsePage[cardView]("card"); err != nil {
		return nil, err
	}
	if p.search, err = parsePage[searchView]("search"); err != nil {
		return nil, err
	}
	if p.stats, err = parsePage[statsView]("stats"); err != nil {
		return nil, err
	}
	if p.err, err = parsePage[errorView]("error"); err != nil {
		return nil, err
	}
	if p.jobForm, err = parsePage[jobFormView]("jobform", "jobnav"); err != nil {
		return nil, err
	}
	if p.stages, err = parsePage[stagesView]("stages", "jobnav"); err != nil {
		return nil, err
	}
	if p.questions, err = parsePage[questionsView]("questions", "jobnav"); err != nil {
		return nil, err
	}
	if err := parseAdminPages(p); err != nil {
		return nil, err
	}
	p.css, err = assets.ReadFile("static/style.css")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(p.css)
	p.cssPath = staticPath + "style-" + hex.EncodeToString(sum[:6]) + ".css"
	if p.js, err = assets.ReadFile("static/board.js"); err != nil {
		return nil, err
	}
	sum = sha256.Sum256(p.js)
	p.jsPath = staticPath + "board-" + hex.EncodeToString(sum[:6]) + ".js"
	return p, nil
}

// parseAdminPages parses the API keys and webhooks pages.
func parseAdminPages(p *pages) error {
	var err error
	if p.keys, err = parsePage[keysView]("keys"); err != nil {
		return err
	}
	if p.keyCreated, err = parsePage[keyCreatedView]("key_created"); err != nil {
		return err
	}
	if p.keyRevoke, err = parsePage[keyRevokeView]("key_revoke"); err != nil {
		return err
	}
	if p.webhooks, err = parsePage[webhooksView]("webhooks"); err != nil {
		return err
	}
	if p.webhook, err = parsePage[webhookView]("webhook"); err != nil {
		return err
	}
	p.webhookCreated, err = parsePage[webhookCreatedView]("webhook_created")
	return err
}

// parsePage parses the layout with one page's file and the partials it
// uses, and checks the page fills the blocks the layout needs.
func parsePage[V any](name string, partials ...string) (page[V], error) {
	files := []string{"templates/layout.html", "templates/" + name + ".html"}
	for _, p := range partials {
		files = append(files, "templates/"+p+".html")
	}
	t, err := template.New("layout.html").ParseFS(assets, files...)
	if err != nil {
		return page[V]{}, fmt.Errorf("template %s: %w", name, err)
	}
	if t.Lookup("content") == nil {
		return page[V]{}, fmt.Errorf("template %s: no content block", name)
	}
	return page[V]{t: t}, nil
}

// layout returns the frame of a page for the visitor of session s (nil when
// signed out).
func (h *handler) layout(title string, s *session) layout {
	l := layout{Title: title, CSSPath: h.pages.cssPath}
	if s != nil {
		l.Session = &sessionView{
			OrgName:   s.p.Org.Name,
			HomeURL:   homePath(s.p.Org.Reference),
			Name:      userName(s.p.User),
			Role:      s.p.User.Role,
			CSRF:      s.csrf,
			CanWrite:  s.p.Allow(intake.ActionWrite) == nil,
			SearchURL: searchPath(s.p.Org.Reference),
		}
		if s.p.CanManageUsers() {
			l.Session.UsersURL = usersPath(s.p.Org.Reference)
		}
		if s.p.Can(intake.PermManageAPIKeys) {
			l.Session.KeysURL = keysPath(s.p.Org.Reference)
		}
		if s.p.Can(intake.PermManageWebhooks) {
			l.Session.WebhooksURL = webhooksPath(s.p.Org.Reference)
		}
	}
	return l
}

// userName is how the pages name a user: first and last name, else the
// email.
func userName(u *intake.User) string {
	if n := strings.TrimSpace(u.Firstname + " " + u.Lastname); n != "" {
		return n
	}
	return u.Email
}

// render executes a page into a buffer before sending anything, so that a
// template failure becomes a clean error page rather than half a page.
func render[V any](h *handler, w http.ResponseWriter, r *http.Request, status int, p page[V], v V) {
	body, err := plumbing.HTML(p.t, v)
	if err != nil {
		if _, isErr := any(v).(errorView); isErr {
			// The error page itself failed: log here, since writeError
			// would only try it again.
			h.log.ErrorContext(r.Context(), "dashboard: render", "request_id", intake.RequestID(r.Context()),
				"path", r.URL.Path, "err", err)
			http.Error(w, "Internal error", http.StatusInternalServerError)
			return
		}
		h.writeError(w, r, nil, err)
		return
	}
	// Pages show personal data: no cache may keep them.
	w.Header().Set("Cache-Control", "no-store")
	plumbing.WriteBody(w, status, plumbing.ContentTypeHTML, body)
}

// serveStatic serves the stylesheet and the board's script under their
// content-named paths only.
func (h *handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	var typ string
	var body []byte
	switch staticPath + r.PathValue("name") {
	case h.pages.cssPath:
		typ, body = "text/css; charset=utf-8", h.pages.css
	case h.pages.jsPath:
		typ, body = "text/javascript; charset=utf-8", h.pages.js
	default:
		h.writeError(w, r, nil, errPageNotFound)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	plumbing.WriteBody(w, http.StatusOK, typ, body)
}
