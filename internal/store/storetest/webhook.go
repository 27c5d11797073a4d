package storetest

import (
	"slices"
	"testing"
	"time"

	"intake"
)

func webhookTests() []test {
	return []test{
		{"SubscriptionsSavedAndListed", testSubscriptions},
		{"DispatchMatchesFilters", testDispatchFilters},
		{"ClaimLeasesSubscription", testClaimLease},
		{"RetryHoldsLaterDeliveries", testClaimHeadOfLine},
		{"ReplayQueuesAgain", testReplay},
		{"PurgeKeepsPending", testPurgeDeliveries},
		{"NoEventsFromBeforeSubscription", testDispatchIdle},
		{"DeliveriesOfAnApplication", testApplicationDeliveries},
	}
}

func subscribe(t testing.TB, s intake.Store, org intake.Org, sub intake.Subscription) *intake.Subscription {
	t.Helper()
	sub.OrgID, sub.Active, sub.CreatedAt = org.ID, true, at(0)
	if sub.URL == "" {
		sub.URL = "https://hooks.example.com/" + randomHex(4)
	}
	if sub.Events == nil {
		sub.Events = []intake.EventName{intake.EventNewApplicant}
	}
	noErr(t, "CreateSubscription", s.CreateSubscription(t.Context(), &sub))
	return &sub
}

// createWithEvent creates an application recording new_applicant.
func createWithEvent(t testing.TB, s intake.Store, org intake.Org, job intake.Job, stage int, n int) *intake.Event {
	t.Helper()
	app := bareApp(org, job, randomHex(4)+"@example.com", n)
	app.StageID = job.Stages[stage].ID
	recordNew(app, n)
	e := app.Events[0]
	create(t, s, app, nil)
	return e
}

func dispatch(t testing.TB, s intake.Store) int {
	t.Helper()
	n, err := s.DispatchEvents(t.Context(), at(30), 1000)
	noErr(t, "DispatchEvents", err)
	return n
}

func claim(t testing.TB, s intake.Store, owner string, now time.Time) map[int64][]int64 {
	t.Helper()
	ds, err := s.ClaimDeliveries(t.Context(), owner, now, time.Minute, 10, 100)
	noErr(t, "ClaimDeliveries", err)
	out := map[int64][]int64{}
	for _, d := range ds {
		if d.Event == nil || d.Subscription == nil || d.Event.ID != d.EventID || d.Subscription.ID != d.SubscriptionID {
			t.Fatalf("claimed delivery %+v lacks its event or subscription", d)
		}
		out[d.SubscriptionID] = append(out[d.SubscriptionID], d.EventID)
	}
	return out
}

func testSubscriptions(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	a := subscribe(t, s, f.A, intake.Subscription{URL: "https://a.example.com/h", Secrets: []string{"s1-0123456789abcdef", "s2-0123456789abcdef"},
		Events: []intake.EventName{intake.EventNewApplicant, intake.EventDragApplicant}, JobID: f.A1.ID, StageID: f.A1.Stages[1].ID})
	dup := intake.Subscription{OrgID: f.A.ID, URL: a.URL, JobID: a.JobID, StageID: a.StageID, Events: a.Events, Active: true, CreatedAt: at(1)}
	wantCode(t, "second subscription to the same target", s.CreateSubscription(ctx, &dup), intake.EConflict)
	saved := intake.Subscription{OrgID: f.A.ID, URL: a.URL, JobID: a.JobID, StageID: a.StageID,
		Events: []intake.EventName{intake.EventArchiveApplicant}, Active: true, CreatedAt: at(5)}
	noErr(t, "SaveSubscription", s.SaveSubscription(ctx, &saved))
	if saved.ID != a.ID || !saved.CreatedAt.Equal(a.CreatedAt) {
		t.Errorf("SaveSubscription of an existing target = id %d created %v, want %d %v", saved.ID, saved.CreatedAt, a.ID, a.CreatedAt)
	}
	noErr(t, "SetSubscriptionActive", s.SetSubscriptionActive(ctx, f.A.ID, a.ID, false))
	wantCode(t, "SetSubscriptionActive of another org", s.SetSubscriptionActive(ctx, f.B.ID, a.ID, false), intake.ENotFound)
	got, err := s.Subscriptions(ctx, f.A.ID)
	noErr(t, "Subscriptions", err)
	want := *a
	want.Events, want.Secrets, want.Active = saved.Events, saved.Secrets, false
	equal(t, "Subscriptions", []*intake.Subscription{&want}, got)
	other, err := s.Subscriptions(ctx, f.B.ID)
	noErr(t, "Subscriptions", err)
	if len(other) != 0 {
		t.Errorf("another organization lists %d subscriptions", len(other))
	}
}

func testDispatchFilters(t *testing.T, s intake.Store) {
	f := seed(t, s)
	all := subscribe(t, s, f.A, intake.Subscription{})
	job := subscribe(t, s, f.A, intake.Subscription{JobID: f.A2.ID})
	column := subscribe(t, s, f.A, intake.Subscription{StageID: f.A1.Stages[1].ID})
	drags := subscribe(t, s, f.A, intake.Subscription{Events: []intake.EventName{intake.EventDragApplicant}})
	off := subscribe(t, s, f.A, intake.Subscription{})
	noErr(t, "SetSubscriptionActive", s.SetSubscriptionActive(t.Context(), f.A.ID, off.ID, false))
	otherOrg := subscribe(t, s, f.B, intake.Subscription{})

	e1 := createWithEvent(t, s, f.A, f.A1, 0, 1)
	e2 := createWithEvent(t, s, f.A, f.A2, 0, 2)
	e3 := createWithEvent(t, s, f.A, f.A1, 1, 3)
	if n := dispatch(t, s); n != 3 {
		t.Errorf("DispatchEvents = %d, want 3", n)
	}
	if n := dispatch(t, s); n != 0 {
		t.Errorf("second DispatchEvents = %d, want 0", n)
	}
	got := claim(t, s, "w1", at(31))
	want := map[int64][]int64{all.ID: {e1.ID, e2.ID, e3.ID}, job.ID: {e2.ID}, column.ID: {e3.ID}}
	equal(t, "claimed deliveries by subscription", want, got)
	_, _ = drags, otherOrg
}

func testClaimLease(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	sub := subscribe(t, s, f.A, intake.Subscription{})
	e1 := createWithEvent(t, s, f.A, f.A1, 0, 1)
	dispatch(t, s)
	equal(t, "w1's claim", map[int64][]int64{sub.ID: {e1.ID}}, claim(t, s, "w1", at(31)))
	equal(t, "w2's claim during w1's lease", map[int64][]int64{}, claim(t, s, "w2", at(31)))
	// w1 died: its lease runs out and w2 gets the same deliveries.
	equal(t, "w2's claim after the lease", map[int64][]int64{sub.ID: {e1.ID}}, claim(t, s, "w2", at(40)))
	ds, err := s.ClaimDeliveries(ctx, "w3", at(40), time.Minute, 10, 10)
	noErr(t, "ClaimDeliveries", err)
	if len(ds) != 0 {
		t.Fatalf("w3 claimed %d deliveries held by w2", len(ds))
	}
	// A late finish by w1 must not release w2's lease.
	noErr(t, "FinishDeliveries", s.FinishDeliveries(ctx, "w1", sub.ID, nil, nil))
	equal(t, "w3's claim after w1's late finish", map[int64][]int64{}, claim(t, s, "w3", at(40)))
	d := &intake.Delivery{ID: 0}
	list, err := s.Deliveries(ctx, intake.DeliveryFilter{OrgID: f.A.ID, Limit: 10})
	noErr(t, "Deliveries", err)
	*d = *list[0]
	d.Status, d.Attempts, d.LastStatus, d.LastLatency, d.UpdatedAt = intake.DeliveryDelivered, 1, 200, 1500*time.Microsecond, at(41)
	attempt := intake.DeliveryAttempt{DeliveryID: d.ID, At: at(41), Status: 200, Latency: 1500 * time.Microsecond}
	noErr(t, "FinishDeliveries", s.FinishDeliveries(ctx, "w2", sub.ID, []*intake.Delivery{d}, []intake.DeliveryAttempt{attempt}))
	list, err = s.Deliveries(ctx, intake.DeliveryFilter{OrgID: f.A.ID, Limit: 10})
	noErr(t, "Deliveries", err)
	equal(t, "delivery after finish", d, list[0])
	attempts, err := s.DeliveryAttempts(ctx, f.A.ID, d.ID)
	noErr(t, "DeliveryAttempts", err)
	equal(t, "attempts", []intake.DeliveryAttempt{attempt}, attempts)
	other, err := s.DeliveryAttempts(ctx, f.B.ID, d.ID)
	noErr(t, "DeliveryAttempts", err)
	if len(other) != 0 {
		t.Errorf("another organization sees %d attempts", len(other))
	}
	equal(t, "claim once delivered", map[int64][]int64{}, claim(t, s, "w3", at(50)))
	n, oldest, err := s.WebhookQueue(ctx)
	noErr(t, "WebhookQueue", err)
	if n != 0 || !oldest.IsZero() {
		t.Errorf("WebhookQueue = %d, %v; want 0 and zero", n, oldest)
	}
}

func testClaimHeadOfLine(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	sub := subscribe(t, s, f.A, intake.Subscription{})
	e1 := createWithEvent(t, s, f.A, f.A1, 0, 1)
	e2 := createWithEvent(t, s, f.A, f.A1, 0, 2)
	dispatch(t, s)
	ds, err := s.ClaimDeliveries(ctx, "w1", at(31), time.Minute, 10, 10)
	noErr(t, "ClaimDeliveries", err)
	if len(ds) != 2 || ds[0].EventID != e1.ID || ds[1].EventID != e2.ID {
		t.Fatalf("claimed %+v, want events %d then %d", ds, e1.ID, e2.ID)
	}
	first := ds[0]
	first.Attempts, first.LastStatus, first.LastError, first.NextAttemptAt, first.UpdatedAt = 1, 500, "HTTP 500", at(45), at(31)
	noErr(t, "FinishDeliveries", s.FinishDeliveries(ctx, "w1", sub.ID, []*intake.Delivery{first}, nil))
	equal(t, "claim while the first waits for its retry", map[int64][]int64{}, claim(t, s, "w2", at(40)))
	n, oldest, err := s.WebhookQueue(ctx)
	noErr(t, "WebhookQueue", err)
	if n != 2 || !oldest.Equal(at(30)) {
		t.Errorf("WebhookQueue = %d, %v; want 2, %v", n, oldest, at(30))
	}
	equal(t, "claim once the retry is due", map[int64][]int64{sub.ID: {e1.ID, e2.ID}}, claim(t, s, "w2", at(45)))
}

func testReplay(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	sub := subscribe(t, s, f.A, intake.Subscription{})
	createWithEvent(t, s, f.A, f.A1, 0, 1)
	e2 := createWithEvent(t, s, f.A, f.A1, 0, 5)
	createWithEvent(t, s, f.A, f.A1, 0, 6)
	dispatch(t, s)
	n, err := s.ReplayEvents(ctx, f.A.ID, sub.ID, at(5), at(31))
	noErr(t, "ReplayEvents", err)
	if n != 2 {
		t.Errorf("ReplayEvents = %d, want 2", n)
	}
	_, err = s.ReplayEvents(ctx, f.B.ID, sub.ID, at(0), at(31))
	wantCode(t, "ReplayEvents of another org's subscription", err, intake.ENotFound)
	ds, err := s.ClaimDeliveries(ctx, "w1", at(31), time.Minute, 10, 10)
	noErr(t, "ClaimDeliveries", err)
	if len(ds) != 5 || !ds[3].Replay || ds[3].EventID != e2.ID || ds[2].Replay {
		t.Errorf("claimed %d deliveries, want 3 then 2 replays starting with event %d", len(ds), e2.ID)
	}
}

func testPurgeDeliveries(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	sub := subscribe(t, s, f.A, intake.Subscription{})
	createWithEvent(t, s, f.A, f.A1, 0, 1)
	createWithEvent(t, s, f.A, f.A1, 0, 2)
	dispatch(t, s)
	ds, err := s.ClaimDeliveries(ctx, "w1", at(31), time.Minute, 10, 10)
	noErr(t, "ClaimDeliveries", err)
	ds[0].Status, ds[0].Attempts, ds[0].UpdatedAt = intake.DeliveryDelivered, 1, at(32)
	noErr(t, "FinishDeliveries", s.FinishDeliveries(ctx, "w1", sub.ID, ds[:1], nil))
	n, err := s.PurgeDeliveries(ctx, at(40))
	noErr(t, "PurgeDeliveries", err)
	if n != 1 {
		t.Errorf("PurgeDeliveries = %d, want 1", n)
	}
	left, err := s.Deliveries(ctx, intake.DeliveryFilter{OrgID: f.A.ID, Limit: 10})
	noErr(t, "Deliveries", err)
	if len(left) != 1 || left[0].ID != ds[1].ID {
		t.Errorf("deliveries left = %+v, want only the pending one", left)
	}
	events, err := s.Events(ctx, intake.EventFilter{OrgID: f.A.ID, Limit: 10})
	noErr(t, "Events", err)
	if len(events) != 1 || events[0].ID != ds[1].EventID {
		t.Errorf("events left = %d, want only the pending delivery's", len(events))
	}
}

// testDispatchIdle: with no active subscription the dispatcher writes
// nothing, yet the events recorded meanwhile never reach a subscription
// created or enabled later; those recorded after it do.
func testDispatchIdle(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	createWithEvent(t, s, f.A, f.A1, 0, 1)
	if n := dispatch(t, s); n != 0 {
		t.Errorf("DispatchEvents with no subscription = %d, want 0 (no write)", n)
	}
	off := intake.Subscription{OrgID: f.A.ID, URL: "https://hooks.example.com/off", Events: []intake.EventName{intake.EventNewApplicant}, CreatedAt: at(2)}
	noErr(t, "CreateSubscription", s.CreateSubscription(ctx, &off))
	createWithEvent(t, s, f.A, f.A1, 0, 3)
	if n := dispatch(t, s); n != 0 {
		t.Errorf("DispatchEvents with a disabled subscription = %d, want 0 (no write)", n)
	}
	noErr(t, "SetSubscriptionActive", s.SetSubscriptionActive(ctx, f.A.ID, off.ID, true))
	if n := dispatch(t, s); n != 0 {
		t.Errorf("DispatchEvents after the first subscription is enabled = %d, want 0: the older events are not its", n)
	}
	e3 := createWithEvent(t, s, f.A, f.A1, 0, 4)
	if n := dispatch(t, s); n != 1 {
		t.Errorf("DispatchEvents of an event after the subscription = %d, want 1", n)
	}
	// Saving an active subscription again (a world applied at start) does
	// not skip what is pending for it.
	e4 := createWithEvent(t, s, f.A, f.A1, 0, 5)
	again := off
	again.Active = true
	noErr(t, "SaveSubscription", s.SaveSubscription(ctx, &again))
	// Nor does another subscription made while one is active.
	b := subscribe(t, s, f.B, intake.Subscription{})
	if n := dispatch(t, s); n != 1 {
		t.Errorf("DispatchEvents of an event pending while re-saved = %d, want 1", n)
	}
	equal(t, "claimed deliveries", map[int64][]int64{off.ID: {e3.ID, e4.ID}}, claim(t, s, "w1", at(31)))

	// A subscription created when none is active: same as enabling one.
	noErr(t, "SetSubscriptionActive", s.SetSubscriptionActive(ctx, f.A.ID, off.ID, false))
	noErr(t, "SetSubscriptionActive", s.SetSubscriptionActive(ctx, f.B.ID, b.ID, false))
	createWithEvent(t, s, f.B, f.B1, 0, 6)
	if n := dispatch(t, s); n != 0 {
		t.Errorf("DispatchEvents with every subscription disabled = %d, want 0", n)
	}
	c := subscribe(t, s, f.B, intake.Subscription{URL: "https://hooks.example.com/c"})
	eb := createWithEvent(t, s, f.B, f.B1, 0, 7)
	if n := dispatch(t, s); n != 1 {
		t.Errorf("DispatchEvents after a new first subscription = %d, want 1", n)
	}
	equal(t, "claimed deliveries", map[int64][]int64{c.ID: {eb.ID}}, claim(t, s, "w2", at(31)))

	// Events no subscription will hear are purged like dispatched ones.
	noErr(t, "SetSubscriptionActive", s.SetSubscriptionActive(ctx, f.B.ID, c.ID, false))
	newest := createWithEvent(t, s, f.A, f.A1, 0, 8)
	_, err := s.PurgeDeliveries(ctx, at(40))
	noErr(t, "PurgeDeliveries", err)
	var left []int64
	for _, e := range append(events(t, s, intake.EventFilter{OrgID: f.A.ID}), events(t, s, intake.EventFilter{OrgID: f.B.ID})...) {
		left = append(left, e.ID)
	}
	slices.Sort(left)
	// A store may keep its newest event, whatever its age: SQLite numbers
	// events max(id)+1, so that is what keeps an event id from being
	// given again.
	if n := len(left); n > 0 && left[n-1] == newest.ID {
		left = left[:n-1]
	}
	equal(t, "events left after the purge (those of pending deliveries)", []int64{e3.ID, e4.ID, eb.ID}, left)
	// Event ids keep growing after a purge.
	if later := createWithEvent(t, s, f.A, f.A1, 0, 41); later.ID <= newest.ID {
		t.Errorf("an event after the purge has id %d, not above the purged %d: an event id given twice", later.ID, newest.ID)
	}
}

// testApplicationDeliveries: the deliveries of every event about one
// application (its create, a comment, a replay), newest first, with their
// event and subscription; none of another application, job or organization.
func testApplicationDeliveries(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	all := subscribe(t, s, f.A, intake.Subscription{URL: "https://all.example.com/h",
		Events: []intake.EventName{intake.EventNewApplicant, intake.EventNewComment, intake.EventNewVacancy}})
	news := subscribe(t, s, f.A, intake.Subscription{URL: "https://new.example.com/h"})
	subscribe(t, s, f.B, intake.Subscription{})

	app := bareApp(f.A, f.A1, "one@example.com", 1)
	recordNew(app, 1)
	create(t, s, app, nil)
	other := createWithEvent(t, s, f.A, f.A1, 0, 2)
	c := &intake.Comment{OrgID: f.A.ID, ApplicationID: app.ID, Author: "ats", Raw: "hi", HTML: "<p>hi</p>\n",
		Source: intake.SourceWelcomeKit, CreatedAt: at(3)}
	c.Record(&intake.Event{OrgID: f.A.ID, Name: intake.EventNewComment, JobID: f.A1.ID, Data: c, CreatedAt: at(3)})
	noErr(t, "CreateComment", s.CreateComment(ctx, c))
	dispatch(t, s)
	if _, err := s.ReplayEvents(ctx, f.A.ID, news.ID, at(1), at(31)); err != nil {
		t.Fatal(err)
	}

	got, err := s.ApplicationDeliveries(ctx, f.A.ID, app.ID, 10)
	noErr(t, "ApplicationDeliveries", err)
	type row struct {
		Event  intake.EventName
		URL    string
		Replay bool
		Status intake.DeliveryStatus
	}
	var rows []row
	for _, d := range got {
		if d.Event == nil || d.Subscription == nil || d.Event.ID != d.EventID || d.Subscription.ID != d.SubscriptionID ||
			d.OrgID != f.A.ID || !d.Event.CreatedAt.Equal(at(1)) && !d.Event.CreatedAt.Equal(at(3)) {
			t.Fatalf("delivery %+v lacks its event or subscription", d)
		}
		rows = append(rows, row{d.Event.Name, d.Subscription.URL, d.Replay, d.Status})
	}
	want := []row{
		{intake.EventNewApplicant, news.URL, true, intake.DeliveryPending},
		{intake.EventNewComment, all.URL, false, intake.DeliveryPending},
		{intake.EventNewApplicant, news.URL, false, intake.DeliveryPending},
		{intake.EventNewApplicant, all.URL, false, intake.DeliveryPending},
	}
	equal(t, "ApplicationDeliveries", want, rows)

	limited, err := s.ApplicationDeliveries(ctx, f.A.ID, app.ID, 1)
	noErr(t, "ApplicationDeliveries(limit 1)", err)
	if len(limited) != 1 || limited[0].ID != got[0].ID {
		t.Errorf("ApplicationDeliveries(limit 1) = %d deliveries, want the newest", len(limited))
	}
	foreign, err := s.ApplicationDeliveries(ctx, f.B.ID, app.ID, 10)
	noErr(t, "ApplicationDeliveries(other org)", err)
	if len(foreign) != 0 {
		t.Errorf("another organization sees %d deliveries of the application", len(foreign))
	}
	others, err := s.ApplicationDeliveries(ctx, f.A.ID, other.Data.(*intake.ApplicantData).Candidate.ID, 10)
	noErr(t, "ApplicationDeliveries(other application)", err)
	if len(others) != 3 {
		t.Errorf("the other application has %d deliveries, want 3 (one per new_applicant subscription and the replay)", len(others))
	}
}
