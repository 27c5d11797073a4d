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

// IdempotencyRequest makes a create replayable: a retry with the same key
// and request gets the first answer again instead of a second create.
type IdempotencyRequest struct {
	Key string
	// RequestHash identifies the request; the same key with another hash
	// is a conflict.
	RequestHash string
}

// Response is a dialect's answer to a create, kept with its idempotency key
// in the create's transaction.
type Response struct {
	Status int
	Body   []byte
}

// IdempotencyKeyTaken is a store's refusal of an idempotency record whose
// key is already stored (Store.CreateApplication). It is an EConflict error
// to ErrorCodeOf, and carries the key.
type IdempotencyKeyTaken struct {
	Key string
}

func (e *IdempotencyKeyTaken) Error() string {
	return "conflict: Idempotency-Key " + e.Key + " was already used"
}

// Unwrap gives the EConflict *Error that ErrorCodeOf and ErrorMessage read.
func (e *IdempotencyKeyTaken) Unwrap() error {
	return &Error{Code: EConflict, Message: "Idempotency-Key was already used"}
}

// replay returns the record of a create whose idempotency key was seen
// before; nil when the key is new.
// Errors: EInvalid for a malformed key, EConflict for a key seen with
// another request.
func (s *Service) replay(ctx context.Context, p *Principal, req *IdempotencyRequest) (*IdempotencyRecord, error) {
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
	return rec, nil
}

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// PurgeIdempotency forgets idempotency keys older than IdempotencyTTL and
// returns how many it dropped.
func (s *Service) PurgeIdempotency(ctx context.Context) (int, error) {
	return s.store.PurgeIdempotency(ctx, s.now().Add(-IdempotencyTTL))
}
