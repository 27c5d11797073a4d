package dashboard

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intake"
)

// The hostile payloads planted in the tour's fixture: each would inject an
// element marked data-pwned, or set window.pwned, if rendered as HTML.
const (
	tourNamePayload    = `Eve"><img src=x data-pwned onerror="window.pwned=1">`
	tourCommentPayload = `<script data-pwned>window.pwned=1</script><img src=x data-pwned onerror="window.pwned=1">`
	tourTagPayload     = `<b data-pwned onmouseover="window.pwned=1">tag</b>`
	tourFilePayload    = `cv"><svg data-pwned onload="window.pwned=1">.pdf`
)

// tourMaxPages caps the pages the tour visits per role.
const tourMaxPages = 40

// tourWorld is the tour's fixture: the test world, a candidate whose name,
// comment, tag and file name carry payloads, an ordinary one, and a webhook
// subscription, so every page has something to show.
type tourWorld struct {
	f       *fixture
	hostile *intake.Candidate
	sub     *intake.Subscription
}

func newTourWorld(t *testing.T) *tourWorld {
	t.Helper()
	f := newFixture(t)
	blob, err := f.env.Service.StageUpload(t.Context(), strings.NewReader("%PDF-1.4\n%%EOF\n"), intake.DocResume)
	if err != nil {
		t.Fatal(err)
	}
	hostile := f.create(t, rwToken, job, intake.NewApplication{
		Application: intake.Application{
			Source: intake.SourceWelcomeKit,
			Person: intake.Person{Firstname: tourNamePayload, Lastname: "Hostile", Email: "eve@example.com"},
			Tags:   []string{tourTagPayload},
		},
		Resume: &intake.FileInput{Staged: blob, FileName: tourFilePayload},
	})
	if _, err := f.env.Service.AddComment(t.Context(), f.principal(t, rwToken), intake.CandidateRef{Reference: hostile.Reference},
		&intake.NewComment{Text: tourCommentPayload, Source: intake.SourceWelcomeKit}); err != nil {
		t.Fatal(err)
	}
	f.flatchrCandidate(t)
	sub := &intake.Subscription{URL: "https://hooks.example/tour", Events: []intake.EventName{intake.EventNewApplicant}}
	if err := f.env.Service.CreateSubscription(t.Context(), org, sub); err != nil {
		t.Fatal(err)
	}
	return &tourWorld{f: f, hostile: hostile, sub: sub}
}

// tourPage is what the tour reads of each page.
type tourPage struct {
	Links []string `json:"links"`
	// Scripts lists the scripts that are not static files of the
	// dashboard; Handlers the elements carrying an on* attribute;
	// Injected the elements a payload would have made.
	Scripts   []string `json:"scripts"`
	Handlers  []string `json:"handlers"`
	Injected  int      `json:"injected"`
	Pwned     bool     `json:"pwned"`
	ErrorPage bool     `json:"errorPage"`
	Text      string   `json:"text"`
}

const tourReadPage = `(() => ({
	links: [...document.querySelectorAll('a[href]')].map(a => a.href).concat(
		[...document.querySelectorAll('form')].filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'get').map(f => {
			const u = new URL(f.action);
			for (const el of f.elements) {
				if (!el.name || el.type === 'submit' || el.type === 'button' || (el.type === 'checkbox' && !el.checked)) continue;
				u.searchParams.set(el.name, el.type === 'search' || el.type === 'text' ? 'Eve' : el.value);
			}
			return u.href;
		})),
	scripts: [...document.querySelectorAll('script')].filter(s => !s.src || new URL(s.src).origin !== location.origin ||
		!new URL(s.src).pathname.startsWith('/dashboard/static/')).map(s => s.outerHTML.slice(0, 120)),
	handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')))
		.map(e => e.outerHTML.slice(0, 120)),
	injected: document.querySelectorAll('[data-pwned]').length,
	pwned: window.pwned !== undefined,
	errorPage: document.querySelector('.error-page') !== null,
	text: document.body.innerText,
}))()`

// TestTour signs in as each role and crawls every dashboard page reachable
// by links from the organization's page, breadth first (GET forms, such as
// search, are submitted with "Eve", the hostile candidate's name): each page passes
// axe-core without serious or critical violations, is captured at 1280×800
// into $DASHBOARD_SCREENSHOTS (else a temp dir), runs no script but the
// dashboard's static files, carries no event handler attribute, and shows
// the planted payloads as text, never as markup. A link a role is shown
// never leads it to an error page. Pages added later are covered as soon
// as a link leads to them.
func TestTour(t *testing.T) {
	w := newTourWorld(t)
	axe := axeSource(t)
	shots := os.Getenv("DASHBOARD_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	hostileCard := cardPath(org, job, w.hostile.Reference)
	minimum := map[intake.Role][]string{
		intake.RoleOwner:     {homePath(org), boardPath(org, job), hostileCard, keysPath(org), webhooksPath(org), webhookPath(org, w.sub.ID)},
		intake.RoleAdmin:     {homePath(org), boardPath(org, job), hostileCard, keysPath(org), webhooksPath(org), webhookPath(org, w.sub.ID)},
		intake.RoleRecruiter: {homePath(org), boardPath(org, job), hostileCard},
		intake.RoleViewer:    {homePath(org), boardPath(org, job), hostileCard},
	}
	for _, role := range []intake.Role{intake.RoleOwner, intake.RoleAdmin, intake.RoleRecruiter, intake.RoleViewer} {
		t.Run(string(role), func(t *testing.T) {
			// The crawl grows with the pages: a generous limit, which only
			// a hung browser reaches.
			ctx := browserWithin(t, 8*time.Minute)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
				t.Fatal(err)
			}
			browserSignIn(t, ctx, w.f, role)
			visited := tourCrawl(t, ctx, w, role, axe, shots)
			for _, want := range minimum[role] {
				if !slices.Contains(visited, want) {
					t.Errorf("the tour as %s never reached %s (visited %v)", role, want, visited)
				}
			}
			for _, admin := range []string{keysPath(org), webhooksPath(org)} {
				if !slices.Contains(minimum[role], admin) && slices.Contains(visited, admin) {
					t.Errorf("the %s is shown a link to %s", role, admin)
				}
			}
		})
	}
}

// tourCrawl visits the pages reachable from the organization's page and
// returns their paths in the order visited.
func tourCrawl(t *testing.T, ctx context.Context, w *tourWorld, role intake.Role, axe, shots string) []string {
	t.Helper()
	base, err := url.Parse(w.f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	routes := tourMux(tourRoutes(t))
	queue := []string{homePath(org)}
	seen := map[string]bool{homePath(org): true}
	perRoute := map[string]int{}
	var visited []string
	for len(queue) > 0 && len(visited) < tourMaxPages {
		target := queue[0]
		queue = queue[1:]
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(sctx, chromedp.Navigate(w.f.srv.URL+target), chromedp.WaitReady(chromedp.CSS("main")))
		var page tourPage
		if err == nil {
			page, err = chromedp.Run(sctx, chromedp.Evaluate[tourPage](tourReadPage))
		}
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		u, _ := url.Parse(target)
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if landed, err := url.Parse(loc); err == nil && landed.Path != u.Path {
			// A redirect (the bare /dashboard/): checked where it lands.
			if seen[landed.Path] {
				continue
			}
			seen[landed.Path] = true
		}
		visited = append(visited, u.Path)
		name := fmt.Sprintf("tour-%s-%02d%s.png", role, len(visited), regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(u.Path, "-"))
		tourCheck(t, ctx, target, page, axe, filepath.Join(shots, name))
		if u.Path == cardPath(org, job, w.hostile.Reference) {
			for _, p := range []string{tourNamePayload, tourCommentPayload, tourTagPayload, tourFilePayload} {
				if !strings.Contains(page.Text, p) {
					t.Errorf("%s: the payload %q is not shown as text", target, p)
				}
			}
		}
		for _, link := range page.Links {
			l, err := url.Parse(link)
			if err != nil || l.Host != base.Host || !strings.HasPrefix(l.Path, rootPath) || tourSkip(l.Path) {
				continue
			}
			// One visit per route: query variants (filters, pages) and
			// the other items of a list show the same template again
			// (the hostile card is always visited, for its payloads).
			route := tourRouteOf(routes, l.Path)
			if !seen[l.Path] && (perRoute[route] == 0 || l.Path == cardPath(org, job, w.hostile.Reference)) {
				seen[l.Path] = true
				perRoute[route]++
				l.Fragment = ""
				queue = append(queue, l.RequestURI())
			}
		}
	}
	t.Logf("%s visited %d pages: %v", role, len(visited), visited)
	return visited
}

// tourRouteOf returns the route pattern that serves a GET of path, by
// the standard mux's own precedence (jobs/new before jobs/{job}), or path
// itself when none does.
func tourRouteOf(mux *http.ServeMux, path string) string {
	_, pattern := mux.Handler(httptest.NewRequest(http.MethodGet, path, nil))
	if pattern == "" {
		return path
	}
	return pattern
}

// tourMux is a mux of the dashboard's route patterns, for tourRouteOf.
func tourMux(routes []tourRoute) *http.ServeMux {
	mux := http.NewServeMux()
	for _, r := range routes {
		mux.HandleFunc(r.Method+" "+r.Path, func(http.ResponseWriter, *http.Request) {})
	}
	return mux
}

// tourSkip tells the links the tour does not follow: signing out, files.
func tourSkip(path string) bool {
	return path == logoutPath || strings.HasPrefix(path, staticPath) || strings.Contains(path, "/download") ||
		strings.Contains(path, "/files/") || strings.Contains(path, "/preview")
}

// tourCheck runs the checks of one page.
func tourCheck(t *testing.T, ctx context.Context, target string, page tourPage, axe, shot string) {
	t.Helper()
	if page.ErrorPage {
		t.Errorf("%s: a link shown led to an error page:\n%s", target, page.Text)
	}
	if len(page.Scripts) > 0 {
		t.Errorf("%s: scripts other than the dashboard's static files: %v", target, page.Scripts)
	}
	if len(page.Handlers) > 0 {
		t.Errorf("%s: elements with event handler attributes: %v", target, page.Handlers)
	}
	if page.Injected > 0 || page.Pwned {
		t.Errorf("%s: a payload was rendered as markup (%d elements, ran %v)", target, page.Injected, page.Pwned)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("%s: screenshot: %v", target, err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if axe == "" {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	axeCheck(t, sctx, axe, target, "")
}

// tourRoute is one route of routes(), read from its source.
type tourRoute struct {
	Method, Path string
	// Authed: the handler is wrapped in h.authed, so it acts for a session.
	Authed bool
}

// tourRoutes reads the route table from routes.go, so that the security
// tests cover every route, those added later included.
func tourRoutes(t *testing.T) []tourRoute {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var routes []tourRoute
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		pattern, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			t.Fatalf("route %q has no method", pattern)
		}
		authed := false
		if c, ok := call.Args[1].(*ast.CallExpr); ok {
			if s, ok := c.Fun.(*ast.SelectorExpr); ok && s.Sel.Name == "authed" {
				authed = true
			}
		}
		routes = append(routes, tourRoute{Method: method, Path: path, Authed: authed})
		return true
	})
	// The parse must find the table: a test over no routes proves nothing.
	for _, want := range []tourRoute{{"POST", "/dashboard/o/{org}/keys", true}, {"GET", "/dashboard/o/{org}", true}, {"POST", "/dashboard/login", false}} {
		if !slices.Contains(routes, want) {
			t.Fatalf("routes.go parsed to %v, without %v", routes, want)
		}
	}
	return routes
}

// tourFill puts values in a route's wildcards; a wildcard without a value
// gets "1".
func tourFill(path string, values map[string]string) string {
	path = strings.TrimSuffix(path, "{$}")
	return regexp.MustCompile(`\{([a-zA-Z_]+)(\.\.\.)?\}`).ReplaceAllStringFunc(path, func(w string) string {
		name := strings.Trim(w, "{}.")
		if v, ok := values[name]; ok {
			return url.PathEscape(v)
		}
		return "1"
	})
}

// TestTourCSRF posts to every POST route without a CSRF token and with a
// wrong one: each answers 403, signed in as an owner and as a viewer, and
// signed out for the sign-in and password forms.
func TestTourCSRF(t *testing.T) {
	w := newTourWorld(t)
	routes := tourRoutes(t)
	values := map[string]string{
		"org": org, "job": job, "candidate": w.hostile.Reference, "sub": strconv.FormatInt(w.sub.ID, 10),
		"key": strconv.FormatInt(w.f.principal(t, doomedToken).Key.ID, 10), "stage": "42",
	}
	for _, role := range []intake.Role{intake.RoleOwner, intake.RoleViewer} {
		c := w.f.signedInAs(t, role)
		csrf := c.csrf(t)
		wrong := csrf[:len(csrf)-2] + "AA"
		if wrong == csrf {
			wrong = csrf[:len(csrf)-2] + "BB"
		}
		for _, r := range routes {
			if r.Method != http.MethodPost || !r.Authed {
				continue
			}
			path := tourFill(r.Path, values)
			for name, form := range map[string]url.Values{"no token": {}, "wrong token": {"csrf": {wrong}}, "empty token": {"csrf": {""}}} {
				t.Run(string(role)+" "+r.Path+" "+name, func(t *testing.T) {
					res, body := c.post(t, path, form)
					wantPage(t, res, body, http.StatusForbidden)
					// A viewer may be refused for its role first; an owner
					// may do everything, so only the token can refuse it.
					if role == intake.RoleOwner && !strings.Contains(body, "This form has expired or did not come from this dashboard.") {
						t.Errorf("not the CSRF refusal:\n%s", body)
					}
				})
			}
		}
	}
	// The signed-out forms (sign-in, passwords) carry a token too.
	out := w.f.client(t)
	n := 0
	for _, r := range routes {
		if r.Method != http.MethodPost || r.Authed {
			continue
		}
		n++
		path := tourFill(r.Path, values)
		for name, form := range map[string]url.Values{"no token": {}, "wrong token": {"csrf": {"AAAA"}}} {
			form.Set("email", roleEmail[intake.RoleOwner])
			form.Set("password", testPassword)
			t.Run("signed out "+r.Path+" "+name, func(t *testing.T) {
				res, body := out.post(t, path, form)
				wantPage(t, res, body, http.StatusForbidden)
			})
		}
	}
	if n == 0 {
		t.Errorf("no signed-out POST route found")
	}
	if _, err := w.f.env.Service.Authenticate(t.Context(), doomedToken); err != nil {
		t.Errorf("a refused post revoked a key: %v", err)
	}
	if subs, _ := w.f.env.Service.Subscriptions(t.Context(), org); !subs[0].Active {
		t.Errorf("a refused post disabled the subscription")
	}
}

// TestTourOtherOrganization asks for every organization page, and posts
// every form, with another organization's reference and objects: each
// answers 404, the answer for what does not exist.
func TestTourOtherOrganization(t *testing.T) {
	w := newTourWorld(t)
	f := w.f
	theirs := f.create(t, otherToken, otherJob, intake.NewApplication{Application: intake.Application{
		Source: intake.SourceWelcomeKit, Person: intake.Person{Firstname: "Gil", Lastname: "Other", Email: "gil@example.com"}}})
	theirSub := &intake.Subscription{URL: "https://globex.example/hook", Events: []intake.EventName{intake.EventNewApplicant}}
	if err := f.env.Service.CreateSubscription(t.Context(), otherOrg, theirSub); err != nil {
		t.Fatal(err)
	}
	theirUsers, err := f.env.Service.Users(t.Context(), otherOrg)
	if err != nil || len(theirUsers) == 0 {
		t.Fatalf("their users: %v, %v", theirUsers, err)
	}
	foreign := map[string]string{
		"org": otherOrg, "job": otherJob, "candidate": theirs.Reference, "sub": strconv.FormatInt(theirSub.ID, 10),
		"key": strconv.FormatInt(f.principal(t, otherToken).Key.ID, 10), "stage": "60",
		"user": strconv.FormatInt(theirUsers[0].ID, 10),
	}
	// Our organization in the URL, their objects in it.
	mixed := map[string]string{}
	for k, v := range foreign {
		mixed[k] = v
	}
	mixed["org"] = org
	c := f.signedInAs(t, intake.RoleOwner)
	csrf := c.csrf(t)
	n := 0
	for _, r := range tourRoutes(t) {
		if !r.Authed || !strings.Contains(r.Path, "{org}") {
			continue
		}
		for name, values := range map[string]map[string]string{"their organization": foreign, "their objects": mixed} {
			if name == "their objects" && strings.Count(r.Path, "{") == 1 {
				// Our own pages, without any of their objects in them.
				continue
			}
			path := tourFill(r.Path, values)
			n++
			t.Run(r.Method+" "+r.Path+" "+name, func(t *testing.T) {
				var (
					res  *http.Response
					body string
				)
				if r.Method == http.MethodPost {
					res, body = c.post(t, path, url.Values{"csrf": {csrf}, "active": {"false"}, "since": {"2000-01-01T00:00"}, "stage": {"60"}, "archived": {"true"}, "status": {"draft"},
						"role": {"viewer"}, "disabled": {"true"}})
				} else {
					res, body = c.get(t, path)
				}
				wantPage(t, res, body, http.StatusNotFound)
				if !strings.Contains(body, errPageNotFound.Message) {
					t.Errorf("not the not-found page:\n%s", body)
				}
			})
		}
	}
	if n < 10 {
		t.Fatalf("only %d organization routes tried", n)
	}
	if _, err := f.env.Service.Authenticate(t.Context(), otherToken); err != nil {
		t.Errorf("their key was revoked: %v", err)
	}
	if subs, _ := f.env.Service.Subscriptions(t.Context(), otherOrg); !subs[0].Active {
		t.Errorf("their subscription was disabled")
	}
}

// TestTourDisabledUser checks a disabled user's session cookie opens no
// page and posts no form, with a CSRF token that was valid.
func TestTourDisabledUser(t *testing.T) {
	f := newFixture(t)
	c := f.signedInAs(t, intake.RoleAdmin)
	csrf := c.csrf(t)
	if _, err := f.env.Service.DisableUser(t.Context(), org, roleEmail[intake.RoleAdmin]); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{homePath(org), keysPath(org), webhooksPath(org)} {
		res, _ := c.get(t, path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), loginPath+"?") {
			t.Errorf("GET %s: %d to %q, want the sign-in page", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	c = f.signedInAs(t, intake.RoleOwner)
	ownerCSRF := c.csrf(t)
	if _, err := f.env.Service.DisableUser(t.Context(), org, roleEmail[intake.RoleOwner]); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		csrf string
	}{{csrf}, {ownerCSRF}} {
		res, body := c.post(t, keysPath(org), url.Values{"csrf": {tc.csrf}, "name": {"after"}, "scopes": {"candidates_r"}})
		wantPage(t, res, body, http.StatusUnauthorized)
	}
	keys, err := f.env.Service.APIKeys(t.Context(), org)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.Name == "after" {
			t.Errorf("a disabled user's session created a key")
		}
	}
}

// TestTourRouteOf checks the crawl tells pages apart by the route that
// serves them, as the mux does.
func TestTourRouteOf(t *testing.T) {
	mux := tourMux(tourRoutes(t))
	for path, want := range map[string]string{
		homePath(org):                          "GET /dashboard/o/{org}",
		boardPath(org, job):                    "GET /dashboard/o/{org}/jobs/{job}",
		homePath(org) + "/jobs/new":            "GET /dashboard/o/{org}/jobs/new",
		cardPath(org, job, "wttj-1"):           "GET /dashboard/o/{org}/jobs/{job}/card/{candidate}",
		keysPath(org):                          "GET /dashboard/o/{org}/keys",
		webhookPath(org, 7):                    "GET /dashboard/o/{org}/webhooks/{sub}",
		"/dashboard/no/such/page/at/all/x/y/z": "/dashboard/no/such/page/at/all/x/y/z",
	} {
		if got := tourRouteOf(mux, path); got != want {
			t.Errorf("tourRouteOf(%s) = %q, want %q", path, got, want)
		}
	}
}
