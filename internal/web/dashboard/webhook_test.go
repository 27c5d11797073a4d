package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"intake"
	"intake/internal/testenv"
	"intake/internal/webhook"
)

func TestWebhooksDenied(t *testing.T) {
	f := newFixture(t)
	sub := &intake.Subscription{URL: "https://hooks.example/a", Events: []intake.EventName{intake.EventNewApplicant}}
	if err := f.env.Service.CreateSubscription(t.Context(), org, sub); err != nil {
		t.Fatal(err)
	}
	for _, role := range []intake.Role{intake.RoleRecruiter, intake.RoleViewer} {
		t.Run(string(role), func(t *testing.T) {
			c := f.signedInAs(t, role)
			csrf := c.csrf(t)
			for _, path := range []string{webhooksPath(org), webhookPath(org, sub.ID)} {
				res, body := c.get(t, path)
				forbiddenPage(t, res, body, "Managing webhooks", role)
			}
			for path, form := range map[string]url.Values{
				webhooksPath(org):                    {"url": {"https://hooks.example/b"}, "events": {"new_applicant"}},
				webhookPath(org, sub.ID) + "/active": {"active": {"false"}},
				webhookPath(org, sub.ID) + "/replay": {"since": {"2020-01-01T00:00"}},
			} {
				form.Set("csrf", csrf)
				res, body := c.post(t, path, form)
				forbiddenPage(t, res, body, "Managing webhooks", role)
			}
			subs, err := f.env.Service.Subscriptions(t.Context(), org)
			if err != nil || len(subs) != 1 || !subs[0].Active {
				t.Errorf("refused forms changed the subscriptions: %+v, %v", subs, err)
			}
		})
	}
}

func TestWebhooks(t *testing.T) {
	f := newFixture(t)
	c := f.signedInAs(t, intake.RoleOwner)
	csrf := c.csrf(t)

	res, body := c.get(t, webhooksPath(org))
	wantPage(t, res, body, http.StatusOK)
	for _, want := range []string{"No subscriptions yet.", `value="new_applicant"`, `<option value="14601">Technicien métrologue H/F › Entretien technique</option>`, `<option value="3027">`} {
		if !strings.Contains(body, want) {
			t.Errorf("the webhooks page lacks %s", want)
		}
	}

	t.Run("refused", func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"no URL", url.Values{"events": {"new_applicant"}}, http.StatusUnprocessableEntity, "URL can&#39;t be blank"},
			{"not http", url.Values{"url": {"ftp://hooks.example/"}, "events": {"new_applicant"}}, http.StatusUnprocessableEntity, "URL must be an http or https URL"},
			{"no event", url.Values{"url": {"https://hooks.example/"}}, http.StatusUnprocessableEntity, "Events: can&#39;t be empty"},
			{"unknown event", url.Values{"url": {"https://hooks.example/"}, "events": {"boom"}}, http.StatusUnprocessableEntity, "unknown event"},
			{"stage of another organization", url.Values{"url": {"https://hooks.example/"}, "events": {"new_applicant"}, "column": {"60"}}, http.StatusUnprocessableEntity, "Stage is not a stage"},
			{"job not a number", url.Values{"url": {"https://hooks.example/"}, "events": {"new_applicant"}, "vacancy": {"x"}}, http.StatusUnprocessableEntity, "Job is not one of the choices"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.form.Set("csrf", csrf)
				res, body := c.post(t, webhooksPath(org), tt.form)
				wantPage(t, res, body, tt.status)
				if !strings.Contains(body, tt.want) {
					t.Errorf("no %q in\n%s", tt.want, body)
				}
			})
		}
		if subs, _ := f.env.Service.Subscriptions(t.Context(), org); len(subs) != 0 {
			t.Errorf("refused forms made %d subscriptions", len(subs))
		}
	})

	var signed *intake.Subscription
	t.Run("create signed", func(t *testing.T) {
		res, body := c.post(t, webhooksPath(org), url.Values{"csrf": {csrf}, "url": {"https://hooks.example/signed"},
			"events": {"new_applicant", "drag_applicant"}, "vacancy": {"3027"}, "column": {"14601"}, "sign": {"on"}})
		wantPage(t, res, body, http.StatusCreated)
		m := regexp.MustCompile(`id="secret" class="token" value="(whsec_[A-Za-z0-9_-]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no secret on the answer:\n%s", body)
		}
		subs, err := f.env.Service.Subscriptions(t.Context(), org)
		if err != nil || len(subs) != 1 {
			t.Fatalf("subscriptions %v, %v", subs, err)
		}
		signed = subs[0]
		if signed.URL != "https://hooks.example/signed" || len(signed.Events) != 2 || signed.JobID != 3027 || signed.StageID != 14601 ||
			len(signed.Secrets) != 1 || signed.Secrets[0] != m[1] || !signed.Active {
			t.Errorf("stored %+v", signed)
		}
		for _, path := range []string{webhooksPath(org), webhookPath(org, signed.ID)} {
			res, body := c.get(t, path)
			wantPage(t, res, body, http.StatusOK)
			if strings.Contains(body, m[1]) {
				t.Errorf("%s shows the secret again", path)
			}
		}
	})

	t.Run("create unsigned", func(t *testing.T) {
		res, _ := c.post(t, webhooksPath(org), url.Values{"csrf": {csrf}, "url": {"https://hooks.example/plain"}, "events": {"new_applicant"}})
		subs, err := f.env.Service.Subscriptions(t.Context(), org)
		if err != nil || len(subs) != 2 || len(subs[1].Secrets) != 0 {
			t.Fatalf("subscriptions %+v, %v", subs, err)
		}
		wantRedirect(t, res, http.StatusSeeOther, webhookPath(org, subs[1].ID)+"?done=created")
		res, body := c.post(t, webhooksPath(org), url.Values{"csrf": {csrf}, "url": {"https://hooks.example/plain"}, "events": {"new_applicant"}})
		wantPage(t, res, body, http.StatusConflict)
	})

	t.Run("disable and enable", func(t *testing.T) {
		page := webhookPath(org, signed.ID)
		for _, active := range []bool{false, true} {
			res, _ := c.post(t, page+"/active", url.Values{"csrf": {csrf}, "active": {strconv.FormatBool(active)}})
			done := map[bool]string{false: "disabled", true: "enabled"}[active]
			wantRedirect(t, res, http.StatusSeeOther, page+"?done="+done)
			subs, _ := f.env.Service.Subscriptions(t.Context(), org)
			if subs[0].Active != active {
				t.Errorf("active %v, want %v", subs[0].Active, active)
			}
			res, body := c.get(t, page+"?done="+done)
			wantPage(t, res, body, http.StatusOK)
			if !strings.Contains(body, webhookNotices[done]) {
				t.Errorf("no notice %q", webhookNotices[done])
			}
		}
	})

	t.Run("another organization's subscription", func(t *testing.T) {
		theirs := &intake.Subscription{URL: "https://globex.example/", Events: []intake.EventName{intake.EventNewApplicant}}
		if err := f.env.Service.CreateSubscription(t.Context(), otherOrg, theirs); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{webhookPath(org, theirs.ID), webhooksPath(org) + "/x", webhooksPath(otherOrg)} {
			res, body := c.get(t, path)
			wantPage(t, res, body, http.StatusNotFound)
		}
		res, body := c.post(t, webhookPath(org, theirs.ID)+"/active", url.Values{"csrf": {csrf}, "active": {"false"}})
		wantPage(t, res, body, http.StatusNotFound)
		if subs, _ := f.env.Service.Subscriptions(t.Context(), otherOrg); !subs[0].Active {
			t.Errorf("another organization's subscription was disabled")
		}
	})
}

// TestWebhookDeliveryLog runs the real delivery worker against a receiver
// that fails, then checks the log shows the attempt and the replay button
// queues the event again.
func TestWebhookDeliveryLog(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int32
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "receiver down for <maintenance>", http.StatusServiceUnavailable)
	}))
	t.Cleanup(receiver.Close)
	sub := &intake.Subscription{URL: receiver.URL + "/hook", Events: []intake.EventName{intake.EventNewApplicant}}
	if err := f.env.Service.CreateSubscription(t.Context(), org, sub); err != nil {
		t.Fatal(err)
	}
	f.welcomeKitCandidate(t)
	// The receiver is on loopback, which the production guard refuses: a
	// plain client stands in for it here.
	w := webhook.New(webhook.Config{Store: f.env.Store, Render: func(e *intake.Event) ([]byte, error) { return []byte(`{}`), nil },
		Client: &http.Client{}, Now: f.env.Clock.Now, Poll: 10 * time.Millisecond, Schedule: []time.Duration{time.Hour}})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	testenv.WaitFor(t, "an attempt", func() bool {
		ds, err := f.env.Service.Deliveries(t.Context(), org, intake.DeliveryFilter{SubscriptionID: sub.ID, Limit: 10})
		return err == nil && len(ds) == 1 && ds[0].Attempts == 1
	})
	cancel()
	<-done
	if n := calls.Load(); n != 1 {
		t.Fatalf("the receiver was called %d times", n)
	}

	c := f.signedInAs(t, intake.RoleAdmin)
	csrf := c.csrf(t)
	page := webhookPath(org, sub.ID)
	res, body := c.get(t, page)
	wantPage(t, res, body, http.StatusOK)
	for _, want := range []string{`<span class="status-pending">pending</span>`, " · 503 · ", "receiver down for &lt;maintenance&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("the log lacks %s:\n%s", want, body)
		}
	}
	res, _ = c.post(t, page+"/replay", url.Values{"csrf": {csrf}, "since": {"2000-01-01T00:00"}})
	wantRedirect(t, res, http.StatusSeeOther, page+"?replayed=1")
	res, body = c.get(t, page+"?replayed=1")
	wantPage(t, res, body, http.StatusOK)
	if !strings.Contains(body, "1 event queued again, as replays.") || !strings.Contains(body, `<span class="badge">replay</span>`) {
		t.Errorf("after the replay:\n%s", body)
	}
	res, body = c.post(t, page+"/replay", url.Values{"csrf": {csrf}, "since": {"yesterday"}})
	wantPage(t, res, body, http.StatusBadRequest)
}
