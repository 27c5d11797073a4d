package dashboard

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"intake"
)

// webhooksView is the webhooks page: the organization's subscriptions and
// the form to add one. Admins and owners only (the Service refuses the
// others).
type webhooksView struct {
	layout
	Subscriptions []subscriptionView
	Form          webhookForm
}

// subscriptionView is one subscription; never its secrets.
type subscriptionView struct {
	ID      int64
	URL     string
	Events  []string
	Vacancy string
	Column  string
	Signed  bool
	Active  bool
	Created string
	PageURL string
}

// webhookForm is the create form: its fields and what was wrong with them.
type webhookForm struct {
	Action  string
	URL     string
	Events  []checkbox
	Vacancy []option
	Column  []option
	Sign    bool
	Errors  map[string]string
	Problem string
}

// webhookView is one subscription's page: its delivery log, with each
// delivery's attempts, and the enable/disable and replay forms.
type webhookView struct {
	layout
	Notice       string
	Subscription subscriptionView
	ActiveURL    string
	ReplayURL    string
	// ReplaySince is the replay form's default start, as a datetime-local
	// value.
	ReplaySince string
	Deliveries  []deliveryView
	ListURL     string
}

// deliveryView is one delivery of the log.
type deliveryView struct {
	ID       int64
	Event    string
	Replay   bool
	Status   string
	Attempts []attemptView
	Created  string
}

// attemptView is one try to send a delivery.
type attemptView struct {
	At      string
	Status  string
	Latency string
	Error   string
}

// webhookCreatedView shows a new subscription's signing secret, the one
// time it is shown.
type webhookCreatedView struct {
	layout
	Subscription subscriptionView
	Secret       string
}

// maxLogDeliveries is how many deliveries a subscription's page lists.
const maxLogDeliveries = 50

// replayWindow is the replay form's default: the events of the last day.
const replayWindow = 24 * time.Hour

// datetimeLocal is the value format of <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

func webhooksPath(org string) string { return homePath(org) + "/webhooks" }

func webhookPath(org string, id int64) string {
	return webhooksPath(org) + "/" + strconv.FormatInt(id, 10)
}

// webhookNotices are the confirmations a redirect to a subscription's page
// may ask for.
var webhookNotices = map[string]string{
	"created":  "The subscription is active: new events will be sent to it.",
	"enabled":  "The subscription is active again: new events will be sent to it.",
	"disabled": "The subscription is disabled: it gets no new events until enabled.",
}

// showWebhooks lists the organization's subscriptions.
func (h *handler) showWebhooks(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderWebhooks(w, r, s, http.StatusOK, webhookForm{Sign: true})
}

func (h *handler) renderWebhooks(w http.ResponseWriter, r *http.Request, s *session, status int, form webhookForm) {
	subs, err := h.svc.SubscriptionsAs(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	jobs, err := h.svc.Jobs(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := webhooksView{layout: h.layout("Webhooks", s), Form: form}
	// Newest first: the subscription just made is at the top.
	subs = slices.SortedFunc(slices.Values(subs), func(a, b *intake.Subscription) int { return cmp.Compare(b.ID, a.ID) })
	for _, sub := range subs {
		v.Subscriptions = append(v.Subscriptions, h.subscriptionView(s, sub, jobs))
	}
	f := &v.Form
	f.Action = webhooksPath(s.p.Org.Reference)
	checked := map[string]bool{}
	for _, c := range form.Events {
		checked[c.Value] = c.Checked
	}
	f.Events = nil
	for _, e := range intake.EventNames {
		f.Events = append(f.Events, checkbox{ID: "event-" + string(e), Value: string(e), Label: string(e), Checked: checked[string(e)]})
	}
	vacancy, column := selected(form.Vacancy), selected(form.Column)
	f.Vacancy = []option{{Value: "", Label: "Any job"}}
	f.Column = []option{{Value: "", Label: "Any stage"}}
	for _, j := range jobs {
		id := strconv.FormatInt(j.ID, 10)
		f.Vacancy = append(f.Vacancy, option{Value: id, Label: j.Title + " (" + j.Reference + ")", Selected: id == vacancy})
		for _, st := range j.Stages {
			sid := strconv.FormatInt(st.ID, 10)
			f.Column = append(f.Column, option{Value: sid, Label: j.Title + " › " + st.Name, Selected: sid == column})
		}
	}
	render(h, w, r, status, h.pages.webhooks, v)
}

// selected is the value of the selected option, "" when none is.
func selected(opts []option) string {
	for _, o := range opts {
		if o.Selected {
			return o.Value
		}
	}
	return ""
}

func (h *handler) subscriptionView(s *session, sub *intake.Subscription, jobs []*intake.Job) subscriptionView {
	v := subscriptionView{
		ID:      sub.ID,
		URL:     sub.URL,
		Signed:  len(sub.Secrets) > 0,
		Active:  sub.Active,
		Created: h.dateTime(sub.CreatedAt),
		PageURL: webhookPath(s.p.Org.Reference, sub.ID),
		Vacancy: "Any job",
		Column:  "Any stage",
	}
	for _, e := range sub.Events {
		v.Events = append(v.Events, string(e))
	}
	for _, j := range jobs {
		if j.ID == sub.JobID {
			v.Vacancy = j.Title
		}
		if st, ok := j.StageByID(sub.StageID); ok && sub.StageID != 0 {
			v.Column = st.Name
		}
	}
	return v
}

// createWebhook adds a subscription; with a generated secret, the answer
// shows it once, else it leads to the subscription's page.
func (h *handler) createWebhook(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	sub := &intake.Subscription{URL: strings.TrimSpace(form.Get("url"))}
	f := webhookForm{URL: sub.URL, Sign: form.Get("sign") == "on"}
	for _, e := range form["events"] {
		sub.Events = append(sub.Events, intake.EventName(e))
		f.Events = append(f.Events, checkbox{Value: e, Checked: true})
	}
	bad := map[string]string{}
	for field, id := range map[string]*int64{"vacancy": &sub.JobID, "column": &sub.StageID} {
		raw := form.Get(field)
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			bad[field] = "is not one of the choices"
			continue
		}
		*id = n
	}
	f.Vacancy = []option{{Value: form.Get("vacancy"), Selected: true}}
	f.Column = []option{{Value: form.Get("column"), Selected: true}}
	if f.Sign {
		sub.Secrets = []string{intake.NewSecret()}
	}
	var err error
	if len(bad) > 0 {
		err = intake.FieldErrors(bad)
	} else {
		err = h.svc.CreateSubscriptionAs(r.Context(), s.p, sub)
	}
	switch intake.ErrorCodeOf(err) {
	case intake.EInvalid:
		f.Errors = intake.ErrorFields(err)
		h.renderWebhooks(w, r, s, http.StatusUnprocessableEntity, f)
		return
	case intake.EConflict:
		f.Problem = "This organization already has a subscription to that URL with the same filters."
		h.renderWebhooks(w, r, s, http.StatusConflict, f)
		return
	case "":
	default:
		h.writeError(w, r, s, err)
		return
	}
	if !f.Sign {
		http.Redirect(w, r, webhookPath(s.p.Org.Reference, sub.ID)+"?done=created", http.StatusSeeOther)
		return
	}
	jobs, err := h.svc.Jobs(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := webhookCreatedView{layout: h.layout("Webhook created", s), Subscription: h.subscriptionView(s, sub, jobs), Secret: sub.Secrets[0]}
	render(h, w, r, http.StatusCreated, h.pages.webhookCreated, v)
}

// subscription finds the subscription the URL names among the
// organization's.
func (h *handler) subscription(r *http.Request, s *session) (*intake.Subscription, error) {
	subs, err := h.svc.SubscriptionsAs(r.Context(), s.p)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("sub"), 10, 64)
	if err != nil {
		return nil, errPageNotFound
	}
	i := slices.IndexFunc(subs, func(sub *intake.Subscription) bool { return sub.ID == id })
	if i < 0 {
		return nil, errPageNotFound
	}
	return subs[i], nil
}

// showWebhook shows a subscription and its delivery log.
func (h *handler) showWebhook(w http.ResponseWriter, r *http.Request, s *session) {
	sub, err := h.subscription(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	jobs, err := h.svc.Jobs(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	ds, err := h.svc.DeliveriesAs(r.Context(), s.p, intake.DeliveryFilter{SubscriptionID: sub.ID, Limit: maxLogDeliveries})
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	page := webhookPath(s.p.Org.Reference, sub.ID)
	v := webhookView{
		layout:       h.layout("Webhook "+sub.URL, s),
		Notice:       webhookNotices[r.URL.Query().Get("done")],
		Subscription: h.subscriptionView(s, sub, jobs),
		ActiveURL:    page + "/active",
		ReplayURL:    page + "/replay",
		ReplaySince:  h.svc.Now().Add(-replayWindow).In(h.loc).Format(datetimeLocal),
		ListURL:      webhooksPath(s.p.Org.Reference),
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("replayed")); err == nil && n >= 0 {
		v.Notice = plural(n, "event") + " queued again, as replays."
	}
	for _, d := range ds {
		dv := deliveryView{ID: d.ID, Replay: d.Replay, Status: string(d.Status), Created: h.dateTime(d.CreatedAt), Event: "event #" + strconv.FormatInt(d.EventID, 10)}
		if d.Event != nil {
			dv.Event = string(d.Event.Name)
		}
		attempts, err := h.svc.DeliveryAttemptsAs(r.Context(), s.p, d.ID)
		if err != nil {
			h.writeError(w, r, s, err)
			return
		}
		for _, a := range attempts {
			av := attemptView{At: h.dateTime(a.At), Status: "no answer", Latency: a.Latency.Round(time.Millisecond).String(), Error: a.Error}
			if a.Status != 0 {
				av.Status = strconv.Itoa(a.Status)
			}
			dv.Attempts = append(dv.Attempts, av)
		}
		v.Deliveries = append(v.Deliveries, dv)
	}
	render(h, w, r, http.StatusOK, h.pages.webhook, v)
}

// setWebhookActive enables or disables a subscription.
func (h *handler) setWebhookActive(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	sub, err := h.subscription(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	active, err := strconv.ParseBool(form.Get("active"))
	if err != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "Say whether to enable or disable the subscription."))
		return
	}
	if err := h.svc.SetSubscriptionActiveAs(r.Context(), s.p, sub.ID, active); err != nil {
		h.writeError(w, r, s, err)
		return
	}
	done := "disabled"
	if active {
		done = "enabled"
	}
	http.Redirect(w, r, webhookPath(s.p.Org.Reference, sub.ID)+"?done="+done, http.StatusSeeOther)
}

// replayWebhook queues again the subscription's events since the time
// given (in the dashboard's time zone).
func (h *handler) replayWebhook(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	sub, err := h.subscription(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	since, err := time.ParseInLocation(datetimeLocal, form.Get("since"), h.loc)
	if err != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "Give the date and time to replay events from."))
		return
	}
	n, err := h.svc.ReplayEventsAs(r.Context(), s.p, sub.ID, since)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	http.Redirect(w, r, webhookPath(s.p.Org.Reference, sub.ID)+"?replayed="+strconv.Itoa(n), http.StatusSeeOther)
}
