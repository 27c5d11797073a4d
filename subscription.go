package intake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"
)

// CreateSubscription validates sub and stores it for the organization
// with reference orgRef, active. Errors: ENotFound (organization, or the
// vacancy or column filter), EInvalid naming every bad field.
func (s *Service) CreateSubscription(ctx context.Context, orgRef string, sub *Subscription) error {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return err
	}
	if err := sub.Validate(); err != nil {
		return err
	}
	if err := s.checkFilters(ctx, org.ID, sub); err != nil {
		return err
	}
	sub.OrgID, sub.Active, sub.CreatedAt = org.ID, true, s.Now()
	return s.store.CreateSubscription(ctx, sub)
}

// checkFilters checks that the vacancy and column filters name a job of
// the organization and a stage of it (of any of its jobs without a
// vacancy filter).
func (s *Service) checkFilters(ctx context.Context, orgID int64, sub *Subscription) error {
	if sub.JobID == 0 && sub.StageID == 0 {
		return nil
	}
	jobs, err := s.store.Jobs(ctx, orgID)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if sub.JobID != 0 && j.ID != sub.JobID {
			continue
		}
		if _, ok := j.StageByID(sub.StageID); ok || sub.StageID == 0 {
			return nil
		}
	}
	if sub.StageID != 0 {
		return FieldErrors(map[string]string{"column": "is not a stage of the organization's (or the vacancy's) jobs"})
	}
	return FieldErrors(map[string]string{"vacancy": "is not a job of the organization"})
}

// Subscriptions lists an organization's subscriptions. Errors: ENotFound.
func (s *Service) Subscriptions(ctx context.Context, orgRef string) ([]*Subscription, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return nil, err
	}
	return s.store.Subscriptions(ctx, org.ID)
}

// SetSubscriptionActive enables or disables a subscription; a disabled one
// gets no new deliveries. Errors: ENotFound.
func (s *Service) SetSubscriptionActive(ctx context.Context, orgRef string, id int64, active bool) error {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return err
	}
	return s.store.SetSubscriptionActive(ctx, org.ID, id, active)
}

// ReplayEvents sends the subscription's events created since then again,
// as replays with their own ids, and returns how many. Errors: ENotFound.
func (s *Service) ReplayEvents(ctx context.Context, orgRef string, id int64, since time.Time) (int, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return 0, err
	}
	return s.store.ReplayEvents(ctx, org.ID, id, since, s.Now())
}

// Deliveries lists an organization's matching deliveries, newest first.
// Errors: ENotFound.
func (s *Service) Deliveries(ctx context.Context, orgRef string, f DeliveryFilter) ([]*Delivery, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return nil, err
	}
	f.OrgID = org.ID
	return s.store.Deliveries(ctx, f)
}

// ApplicationDeliveries lists the newest deliveries (at most limit) of the
// events about an application visible to the principal, each with its
// event's name and time and its subscription's URL. Errors: EForbidden,
// ENotFound.
func (s *Service) ApplicationDeliveries(ctx context.Context, p *Principal, ref CandidateRef, limit int) ([]*Delivery, error) {
	cand, err := s.activityTarget(ctx, p, ref, false)
	if err != nil {
		return nil, err
	}
	return s.store.ApplicationDeliveries(ctx, p.Org.ID, cand.ID, limit)
}

// DeliveryAttempts lists the attempts of one of an organization's
// deliveries, oldest first. Errors: ENotFound (organization).
func (s *Service) DeliveryAttempts(ctx context.Context, orgRef string, deliveryID int64) ([]DeliveryAttempt, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return nil, err
	}
	return s.store.DeliveryAttempts(ctx, org.ID, deliveryID)
}

// CreateSubscriptionAs validates sub and stores it for the principal's
// organization, active, as CreateSubscription does (the same URL checks;
// the delivery worker's guard refuses private addresses when sending).
// Errors: EForbidden (PermManageWebhooks), EInvalid naming every bad field,
// EConflict (same URL and filters).
func (s *Service) CreateSubscriptionAs(ctx context.Context, p *Principal, sub *Subscription) error {
	if err := p.Require(PermManageWebhooks); err != nil {
		return err
	}
	return s.CreateSubscription(ctx, p.Org.Reference, sub)
}

// SubscriptionsAs lists the principal's organization's subscriptions.
// Errors: EForbidden (PermManageWebhooks).
func (s *Service) SubscriptionsAs(ctx context.Context, p *Principal) ([]*Subscription, error) {
	if err := p.Require(PermManageWebhooks); err != nil {
		return nil, err
	}
	return s.store.Subscriptions(ctx, p.Org.ID)
}

// SetSubscriptionActiveAs enables or disables a subscription of the
// principal's organization. Errors: EForbidden (PermManageWebhooks),
// ENotFound.
func (s *Service) SetSubscriptionActiveAs(ctx context.Context, p *Principal, id int64, active bool) error {
	if err := p.Require(PermManageWebhooks); err != nil {
		return err
	}
	return s.store.SetSubscriptionActive(ctx, p.Org.ID, id, active)
}

// ReplayEventsAs queues again the events since then of a subscription of
// the principal's organization, as ReplayEvents does, and returns how many.
// Errors: EForbidden (PermManageWebhooks), ENotFound.
func (s *Service) ReplayEventsAs(ctx context.Context, p *Principal, id int64, since time.Time) (int, error) {
	if err := p.Require(PermManageWebhooks); err != nil {
		return 0, err
	}
	return s.store.ReplayEvents(ctx, p.Org.ID, id, since, s.Now())
}

// DeliveriesAs lists the principal's organization's matching deliveries,
// newest first (f.OrgID is ignored). Errors: EForbidden (PermManageWebhooks).
func (s *Service) DeliveriesAs(ctx context.Context, p *Principal, f DeliveryFilter) ([]*Delivery, error) {
	if err := p.Require(PermManageWebhooks); err != nil {
		return nil, err
	}
	f.OrgID = p.Org.ID
	return s.store.Deliveries(ctx, f)
}

// DeliveryAttemptsAs lists the attempts of a delivery of the principal's
// organization, oldest first. Errors: EForbidden (PermManageWebhooks).
func (s *Service) DeliveryAttemptsAs(ctx context.Context, p *Principal, deliveryID int64) ([]DeliveryAttempt, error) {
	if err := p.Require(PermManageWebhooks); err != nil {
		return nil, err
	}
	return s.store.DeliveryAttempts(ctx, p.Org.ID, deliveryID)
}

// NewSecret returns a fresh random signing secret for a subscription:
// 256 bits, URL-safe text.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b[:])
}
