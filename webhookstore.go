package intake

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Subscription sends an organization's events to a URL (a webhook).
type Subscription struct {
	ID     int64
	OrgID  int64
	URL    string
	Events []EventName
	// JobID and StageID filter events by vacancy and column (Flatchr's
	// hook filters); 0 matches any.
	JobID   int64
	StageID int64
	// Secrets sign each delivery, one signature per secret, so a receiver
	// can rotate: add the new secret, switch, remove the old one. None:
	// unsigned, as Flatchr sends (spec flatchr §12 #18). They are kept in
	// clear: signing needs them.
	Secrets   []string
	Active    bool
	CreatedAt time.Time
}

// MaxSubscriptionSecrets bounds the secrets of a subscription.
const MaxSubscriptionSecrets = 5

// Validate checks a subscription before it is stored. Errors: EInvalid
// naming every bad field.
func (s *Subscription) Validate() error {
	f := fieldErrors{}
	u, err := url.Parse(s.URL)
	switch {
	case s.URL == "":
		f.add("url", "can't be blank")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		f.add("url", "must be an http or https URL")
	case len(s.URL) > MaxURLLength:
		f.add("url", "is too long")
	}
	if len(s.Events) == 0 {
		f.add("events", "can't be empty")
	}
	for _, e := range s.Events {
		if !e.Known() {
			f.add("events", "unknown event "+quote(string(e)))
		}
	}
	if len(s.Secrets) > MaxSubscriptionSecrets {
		f.add("secret", "at most 5 secrets")
	}
	for _, sec := range s.Secrets {
		if len(sec) < 16 || strings.TrimSpace(sec) != sec {
			f.add("secret", "must be at least 16 characters, without surrounding spaces")
		}
	}
	return f.err()
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliveryDelivered DeliveryStatus = "delivered"
	// DeliveryFailed: every retry of the schedule failed. Kept, and
	// replayable.
	DeliveryFailed DeliveryStatus = "failed"
)

// Delivery is one event to send to one subscription.
type Delivery struct {
	ID             int64
	OrgID          int64
	SubscriptionID int64
	EventID        int64
	// Replay is set on deliveries made by a replay: the event is sent again
	// with its own id.
	Replay        bool
	Status        DeliveryStatus
	Attempts      int
	NextAttemptAt time.Time
	// Last* describe the latest attempt: HTTP status (0 when none came
	// back), time to the answer, error text.
	LastStatus  int
	LastLatency time.Duration
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Event and Subscription are filled by ClaimDeliveries.
	Event        *Event
	Subscription *Subscription
}

// DeliveryAttempt is one try to send a delivery.
type DeliveryAttempt struct {
	DeliveryID int64
	At         time.Time
	Status     int
	Latency    time.Duration
	Error      string
}

// DeliveryFilter selects deliveries of one organization, newest first.
type DeliveryFilter struct {
	OrgID          int64
	SubscriptionID int64 // 0: all
	Status         DeliveryStatus
	Limit          int
}

// WebhookStore keeps subscriptions and deliveries.
type WebhookStore interface {
	// CreateSubscription stores s and fills its ID. Errors: EConflict when
	// the organization has a subscription to the URL with the same filters.
	CreateSubscription(ctx context.Context, s *Subscription) error
	// SaveSubscription stores s, or updates the organization's
	// subscription to the same URL with the same filters (its events,
	// secrets and active flag), and fills ID and CreatedAt.
	SaveSubscription(ctx context.Context, s *Subscription) error
	// Subscriptions lists an organization's subscriptions by id.
	Subscriptions(ctx context.Context, orgID int64) ([]*Subscription, error)
	// SetSubscriptionActive turns a subscription on or off. Errors: ENotFound.
	SetSubscriptionActive(ctx context.Context, orgID, id int64, active bool) error

	// DispatchEvents makes the deliveries of up to limit events not yet
	// dispatched, one per matching active subscription, in event order,
	// and returns how many events it dispatched. While no subscription is
	// active it writes nothing and returns 0: the events stay undispatched
	// until a write makes a subscription active, which marks them
	// dispatched, without deliveries, in its transaction. So a
	// subscription never receives the events recorded while none was
	// active (CreateSubscription, SaveSubscription, SetSubscriptionActive
	// do this).
	DispatchEvents(ctx context.Context, now time.Time, limit int) (int, error)
	// ClaimDeliveries leases up to subs subscriptions whose oldest pending
	// delivery is due and no other owner holds, until now+lease, and returns
	// their pending deliveries (at most perSub each), oldest first, with
	// their event and subscription. A claimed subscription is not given to
	// another owner before the lease ends or FinishDeliveries releases it.
	ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, subs, perSub int) ([]*Delivery, error)
	// FinishDeliveries saves the outcome of the deliveries of one claimed
	// subscription (their Status, Attempts, NextAttemptAt and Last*) and
	// their attempts, and releases the owner's lease on it.
	FinishDeliveries(ctx context.Context, owner string, subscriptionID int64, done []*Delivery, attempts []DeliveryAttempt) error
	// ReplayEvents queues again, as replays, the subscription's events
	// created at or after since, whatever became of them, and returns how
	// many. Errors: ENotFound.
	ReplayEvents(ctx context.Context, orgID, subscriptionID int64, since, now time.Time) (int, error)
	// Deliveries lists matching deliveries, newest first.
	Deliveries(ctx context.Context, f DeliveryFilter) ([]*Delivery, error)
	// ApplicationDeliveries lists the deliveries of the events about one
	// application of the organization, newest first, at most limit. Each
	// has its Event without the payload and its Subscription's ID and URL.
	ApplicationDeliveries(ctx context.Context, orgID, applicationID int64, limit int) ([]*Delivery, error)
	// DeliveryAttempts lists a delivery's attempts, oldest first.
	DeliveryAttempts(ctx context.Context, orgID, deliveryID int64) ([]DeliveryAttempt, error)
	// WebhookQueue reports the pending deliveries and the creation time of
	// the oldest (zero when none).
	WebhookQueue(ctx context.Context) (pending int, oldest time.Time, err error)
	// PurgeDeliveries deletes finished deliveries (and their attempts)
	// last updated before t, and events older than t that no delivery
	// needs and none will (dispatched, or no subscription is active); it
	// returns how many deliveries it deleted.
	PurgeDeliveries(ctx context.Context, before time.Time) (int, error)
}
