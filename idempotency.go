package intake

import (
	"context"
	"time"
)

// IdempotencyRecord remembers the response to a create so that a retry with
// the same Idempotency-Key replays it instead of creating again.
type IdempotencyRecord struct {
	OrgID       int64
	KeyID       int64 // the API key that sent it: keys are scoped per API key
	Key         string
	RequestHash string // hex SHA-256 of the canonical request
	Status      int
	Body        []byte
	Reference   string
	CreatedAt   time.Time
}

// IdempotencyRequest asks CreateApplication to make the create replayable.
// Render produces the dialect's response for the new candidate; it is stored
// with the candidate in the same transaction.
type IdempotencyRequest struct {
	Key         string
	RequestHash string
	Render      func(*Candidate) (status int, body []byte, err error)
}

// replay answers a create whose idempotency key was seen before.
func (s *Service) replay(ctx context.Context, p *Principal, req *IdempotencyRequest) (*CreateResult, error) {
	if req.Key == "" || len(req.Key) > MaxIdempotencyKey {
		return nil, FieldErrors(map[string]string{"Idempotency-Key": "must be 1 to 255 characters"})
	}
	rec, err := s.store.Idempotency(ctx, p.Org.ID, p.Key.ID, req.Key)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, nil
	case err != nil:
		return nil, err
	case rec.RequestHash != req.RequestHash:
		return nil, Errorf(EConflict, "Idempotency-Key was already used with a different request")
	}
	return &CreateResult{Replay: rec}, nil
}

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// PurgeIdempotency forgets idempotency keys older than IdempotencyTTL and
// returns how many it dropped.
func (s *Service) PurgeIdempotency(ctx context.Context) (int, error) {
	return s.store.PurgeIdempotency(ctx, s.now().Add(-IdempotencyTTL))
}
