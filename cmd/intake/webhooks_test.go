package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake/internal/webhook"
)

const hookSecret = "whsec-black-box-0123456789"

// hookReceiver is a real HTTP receiver: it fails the first requests (500,
// a stall past the sender's timeout, a dropped connection), then records
// what it gets, checking each signature.
type hookReceiver struct {
	t      testing.TB
	mu     sync.Mutex
	faults []string
	got    []hookDelivery
	seen   chan struct{}
}

type hookDelivery struct {
	eventID int64
	event   string
	replay  bool
	body    map[string]any
}

func newHookReceiver(t testing.TB, faults ...string) (*hookReceiver, string) {
	rc := &hookReceiver{t: t, faults: faults, seen: make(chan struct{}, 1)}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

func (rc *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	var fault string
	if len(rc.faults) > 0 {
		fault, rc.faults = rc.faults[0], rc.faults[1:]
	}
	rc.mu.Unlock()
	switch fault {
	case "500":
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	case "stall":
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	case "close":
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	ts, ok := webhook.Verify(r.Header.Get(webhook.HeaderSignature), body, hookSecret)
	if !ok || strconv.FormatInt(ts, 10) != r.Header.Get(webhook.HeaderTimestamp) {
		rc.t.Errorf("bad signature %q (timestamp %s)", r.Header.Get(webhook.HeaderSignature), r.Header.Get(webhook.HeaderTimestamp))
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		rc.t.Errorf("body is not JSON: %v: %s", err, body)
	}
	id, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderEventID), 10, 64)
	rc.mu.Lock()
	rc.got = append(rc.got, hookDelivery{id, r.Header.Get(webhook.HeaderEvent), r.Header.Get(webhook.HeaderReplay) == "true", m})
	rc.mu.Unlock()
	w.WriteHeader(http.StatusOK)
	select {
	case rc.seen <- struct{}{}:
	default:
	}
}

// wait returns the deliveries once there are n of them.
func (rc *hookReceiver) wait(t testing.TB, n int) []hookDelivery {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		rc.mu.Lock()
		got := append([]hookDelivery(nil), rc.got...)
		rc.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-rc.seen:
		case <-deadline:
			t.Fatalf("receiver got %d deliveries, want %d", len(got), n)
		}
	}
}

// A subscription declared in the world file gets every event of the API's
// creates and moves, in order, signed, through a receiver that fails for a
// while; `intake webhooks replay` sends them again with the same ids.
func TestWebhooksEndToEnd(t *testing.T) {
	rc, url := newHookReceiver(t, "500", "stall", "close", "500", "close")
	world := strings.Replace(bbWorld, "    slug: acme\n", `    slug: acme
    webhooks:
      - url: `+url+`/hooks/intake
        events: [new_applicant, drag_applicant, archive_applicant]
        secret: [`+hookSecret+`, old-secret-being-rotated-out]
`, 1)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	srv := startServer(t, data, "--world", writeWorld(t, dir, world), "--rate-limit", "0",
		"--allow-fetch-from", "127.0.0.0/8", "--webhook-timeout", "300ms",
		"--webhook-retry-schedule", "20ms,50ms,100ms,100ms,100ms,100ms,100ms")

	const n = 8
	var refs []string
	for i := range n {
		refs = append(refs, wkCreate(t, srv.URL, rwKey, wkCreateBody(seedJob, fmt.Sprintf("hook%d@example.com", i), "")))
	}
	moved := send(t, srv.URL, call{method: http.MethodPut, path: wkCandidates + "/" + refs[0], auth: bearer(rwKey), ctype: jsonType,
		body: `{"job_stage_id":14600}`})
	if moved.status != http.StatusOK {
		t.Fatalf("move: %s", moved)
	}
	got := rc.wait(t, n+1)
	for i, d := range got {
		want := "new_applicant"
		if i == n {
			want = "drag_applicant"
		}
		if d.event != want || d.body["event"] != want || d.replay {
			t.Errorf("delivery %d: event %s (body %v, replay %v), want %s", i, d.event, d.body["event"], d.replay, want)
		}
		if i > 0 && d.eventID <= got[i-1].eventID {
			t.Errorf("delivery %d: event id %d after %d: out of order", i, d.eventID, got[i-1].eventID)
		}
		data, _ := d.body["data"].(map[string]any)
		app, _ := data["applicant"].(map[string]any)
		if ref := refs[min(i, n)%n]; i < n && app["reference"] != ref || i == n && app["reference"] != refs[0] {
			t.Errorf("delivery %d: applicant %v, want %s", i, app["reference"], ref)
		}
		if company, _ := data["company"].(map[string]any); company["name"] != "Acme Métrologie" {
			t.Errorf("delivery %d: company %v", i, data["company"])
		}
	}
	if col, _ := got[n].body["data"].(map[string]any)["column"].(map[string]any); col["id"] != float64(14600) {
		t.Errorf("drag_applicant column = %v, want stage 14600", got[n].body["data"].(map[string]any)["column"])
	}

	out, err := runIntake(t, "webhooks", "list", "--org", acmeOrg, "--data", data)
	if err != nil || !strings.Contains(out, url+"/hooks/intake") {
		t.Fatalf("webhooks list: %v\n%s", err, out)
	}
	out, err = runIntake(t, "webhooks", "deliveries", "--org", acmeOrg, "--data", data, "--status", "delivered")
	if err != nil {
		t.Fatalf("webhooks deliveries: %v\n%s", err, out)
	}
	out, err = runIntake(t, "webhooks", "attempts", "--org", acmeOrg, "--data", data, "--delivery", "1")
	if err != nil || !strings.Contains(out, "HTTP 500: down for maintenance") || !strings.Contains(out, "timed out") {
		t.Fatalf("webhooks attempts of the first delivery, which met every fault: %v\n%s", err, out)
	}
	out, err = runIntake(t, "webhooks", "replay", "--org", acmeOrg, "--data", data, "--subscription", "1", "--since", "1h")
	if err != nil || !strings.Contains(out, fmt.Sprintf("queued %d events", n+1)) {
		t.Fatalf("webhooks replay: %v\n%s", err, out)
	}
	again := rc.wait(t, 2*(n+1))[n+1:]
	for i, d := range again {
		if !d.replay || d.eventID != got[i].eventID {
			t.Errorf("replay %d: event %d (replay %v), want event %d marked as a replay", i, d.eventID, d.replay, got[i].eventID)
		}
	}
	for _, bad := range [][]string{
		{"--url", "ftp://hr.example.com/x", "--events", "new_applicant"},
		{"--url", "https://hr.example.com/x", "--events", "new_applicant,nope"},
		{"--url", "https://hr.example.com/x", "--events", "new_applicant", "--secret", "short"},
		{"--url", "https://hr.example.com/x", "--events", "new_applicant", "--column", "999999"},
	} {
		if out, err := runIntake(t, append([]string{"webhooks", "create", "--org", acmeOrg, "--data", data}, bad...)...); err == nil {
			t.Errorf("webhooks create %v succeeded:\n%s", bad, out)
		}
	}
	out, err = runIntake(t, "webhooks", "create", "--org", acmeOrg, "--data", data, "--url", "https://hr.example.com/hook",
		"--events", "drag_applicant", "--vacancy", "3027", "--column", "14600")
	if err != nil || !strings.Contains(out, "id: 2") {
		t.Fatalf("webhooks create: %v\n%s", err, out)
	}
	if out, err = runIntake(t, "webhooks", "disable", "--org", acmeOrg, "--data", data, "--id", "2"); err != nil {
		t.Fatalf("webhooks disable: %v\n%s", err, out)
	}
	out, err = runIntake(t, "webhooks", "list", "--org", acmeOrg, "--data", data)
	if err != nil || !regexp.MustCompile(`(?m)^2\s+https://hr\.example\.com/hook\s+drag_applicant\s+3027\s+14600\s+false\s+false`).MatchString(out) {
		t.Errorf("webhooks list after create and disable: %v\n%s", err, out)
	}
	if out, err = runIntake(t, "webhooks", "disable", "--org", otherOrg, "--data", data, "--id", "2"); err == nil {
		t.Errorf("another organization disabled subscription 2:\n%s", out)
	}
	a := send(t, srv.URL, call{path: "/metrics"})
	if !regexp.MustCompile(`(?m)^intake_webhook_attempts_total\{outcome="retry"\} [1-9]`).Match(a.body) ||
		!regexp.MustCompile(`(?m)^intake_webhook_attempts_total\{outcome="delivered"\} [1-9]`).Match(a.body) {
		t.Errorf("metrics lack webhook attempts:\n%s", a.body)
	}
	for _, name := range []string{"intake_webhook_queue_depth", "intake_webhook_oldest_pending_age_seconds"} {
		metric(t, srv.URL, name)
	}
}

// A subscription to new_comment and new_message gets the comments and the
// message written through both dialects in Flatchr's webhook shape (spec
// flatchr §11; docs/WEBHOOKS.md for new_comment), and a replay sends the
// same bodies.
func TestWebhooksActivity(t *testing.T) {
	rc, url := newHookReceiver(t)
	world := strings.Replace(activityWorld, "    slug: acme\n", `    slug: acme
    webhooks:
      - url: `+url+`/hooks/activity
        events: [new_comment, new_message]
        secret: `+hookSecret+`
`, 1)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	base := startServer(t, dataDir, "--world", writeWorld(t, dir, world), "--rate-limit", "0",
		"--allow-fetch-from", "127.0.0.0/8", "--webhook-retry-schedule", "20ms,50ms,100ms").URL

	created := wkPost(t, base, "/candidates", "all-scopes-key", `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y",
		"firstname":"Jane","lastname":"Doe","email":"jane@example.com"}`)
	wantStatus(t, "create", created, http.StatusCreated)
	ref := object(t, created.body)["reference"].(string)
	first := wkPost(t, base, "/comments", "all-scopes-key", `{"candidate_reference":"`+ref+`","content":"from *WK*"}`)
	wantStatus(t, "wk comment", first, http.StatusCreated)
	firstID := object(t, first.body)["id"]
	key := applicantKeyOf(t, dataDir, ref)
	app := "/company/" + acmeCompany + "/applicant/" + key
	wantStatus(t, "flatchr comment", send(t, base, call{method: http.MethodPost, path: app + "/comment", auth: bearer("all-scopes-key"),
		ctype: jsonType, body: fmt.Sprintf(`{"text":"from Flatchr","private":true,"reply_to":%v}`, firstID)}), http.StatusOK)
	wantStatus(t, "message", send(t, base, call{method: http.MethodPost, path: app + "/message", auth: bearer("all-scopes-key"),
		ctype: jsonType, body: `{"subject":"Bonjour","html":"<p>Hello <b>Jane</b></p>"}`}), http.StatusOK)

	got := rc.wait(t, 3)
	activity := []string{"applicant", "applicant_id", "candidate", "candidate_id", "column", "column_id", "company",
		"user", "user_id", "vacancy", "vacancy_id"}
	recruiter := map[string]any{"id": present, "firstname": "recruiter", "lastname": ""}
	tests := []struct {
		event string
		keys  []string
		want  map[string]any // keys of data: want
	}{
		{"new_comment", append([]string{"comment"}, activity...), map[string]any{"comment": map[string]any{
			"id": firstID, "text": "<p>from <em>WK</em></p>\n", "private": false, "reply_to": nil, "created_at": present, "author": recruiter}}},
		{"new_comment", append([]string{"comment"}, activity...), map[string]any{"comment": map[string]any{
			"id": present, "text": "<p>from Flatchr</p>\n", "private": true, "reply_to": firstID, "created_at": present, "author": recruiter}}},
		{"new_message", append([]string{"company_id", "message_id", "subject", "text"}, activity...), map[string]any{
			"company_id": acmeCompany, "text": "<p>Hello <b>Jane</b></p>", "subject": "Bonjour", "message_id": present}},
	}
	for i, tt := range tests {
		d := got[i]
		if d.event != tt.event || d.body["event"] != tt.event || d.body["company_id"] == nil {
			t.Errorf("delivery %d: event %s (body %v, company_id %v), want %s", i, d.event, d.body["event"], d.body["company_id"], tt.event)
			continue
		}
		data, _ := d.body["data"].(map[string]any)
		if k, want := keys(data), slices.Sorted(slices.Values(tt.keys)); !slices.Equal(k, want) {
			t.Errorf("delivery %d (%s): data keys %v, want %v", i, tt.event, k, want)
		}
		applicant, _ := data["applicant"].(map[string]any)
		candidate, _ := data["candidate"].(map[string]any)
		column, _ := data["column"].(map[string]any)
		vacancy, _ := data["vacancy"].(map[string]any)
		company, _ := data["company"].(map[string]any)
		user, _ := data["user"].(map[string]any)
		if applicant["reference"] != ref || applicant["key"] != key || data["applicant_id"] != applicant["id"] ||
			candidate["email"] != "jane@example.com" || column["id"] != float64(42) || vacancy["title"] != "Technicien" ||
			company["name"] != "Acme" || user == nil || len(user) != 0 || data["user_id"] != nil {
			t.Errorf("delivery %d (%s): applicant %v/%v, candidate %v, column %v, vacancy %v, company %v, user %v/%v", i, tt.event,
				applicant["reference"], applicant["key"], candidate["email"], column["id"], vacancy["title"], company, data["user"], data["user_id"])
		}
		for _, bad := range mismatches("data", tt.want, data) {
			t.Errorf("delivery %d (%s): %s", i, tt.event, bad)
		}
	}

	out, err := runIntake(t, "webhooks", "replay", "--org", "Pg4eV6k", "--data", dataDir, "--subscription", "1", "--since", "1h")
	if err != nil || !strings.Contains(out, "queued 3 events") {
		t.Fatalf("webhooks replay: %v\n%s", err, out)
	}
	for i, d := range rc.wait(t, 6)[3:] {
		if !d.replay || d.eventID != got[i].eventID {
			t.Errorf("replay %d: event %d (replay %v), want event %d", i, d.eventID, d.replay, got[i].eventID)
		}
		if diff := cmp.Diff(got[i].body, d.body); diff != "" {
			t.Errorf("replay %d body differs (-first +replay):\n%s", i, diff)
		}
	}
}

// present, as a wanted value of mismatches, asks only for the key.
const present = "<present>"

// mismatches lists where got differs from want: every key of a wanted
// object must be in got's with the wanted value (objects compared
// likewise); got may have more keys.
func mismatches(path string, want map[string]any, got any) []string {
	obj, ok := got.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s = %v, want an object", path, got)}
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := obj[k]
		switch w := want[k].(type) {
		case map[string]any:
			out = append(out, mismatches(path+"."+k, w, g)...)
		default:
			if !ok || w != present && g != w {
				out = append(out, fmt.Sprintf("%s.%s = %v (present %v), want %v", path, k, g, ok, w))
			}
		}
	}
	return out
}
