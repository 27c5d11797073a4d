package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"intake"
)

func TestStoreError(t *testing.T) {
	domain := intake.Errorf(intake.ENotFound, "job not found")
	tests := []struct {
		name       string
		err        error
		wantCode   intake.ErrorCode
		wantFields map[string]string
	}{
		{"Nil", nil, "", nil},
		{"DomainPassesThrough", domain, intake.ENotFound, nil},
		{"UniqueKnownConstraint", &pgconn.PgError{Code: "23505", ConstraintName: "people_org_email_key"}, intake.EConflict, map[string]string{"email": "is already taken"}},
		{"UniqueWrapped", fmt.Errorf("save: %w", &pgconn.PgError{Code: "23505", ConstraintName: "orgs_slug_key"}), intake.EConflict, map[string]string{"slug": "is already taken"}},
		{"UniqueUnknownConstraint", &pgconn.PgError{Code: "23505", ConstraintName: "other"}, intake.EConflict, nil},
		{"ForeignKey", &pgconn.PgError{Code: "23503"}, intake.EInvalid, nil},
		{"SerializationFailure", &pgconn.PgError{Code: "40001"}, intake.EUnavailable, nil},
		{"Deadlock", &pgconn.PgError{Code: "40P01"}, intake.EUnavailable, nil},
		{"AdminShutdown", &pgconn.PgError{Code: "57P01"}, intake.EUnavailable, nil},
		{"CannotConnectNow", &pgconn.PgError{Code: "57P03"}, intake.EUnavailable, nil},
		{"ConnectionException", &pgconn.PgError{Code: "08006"}, intake.EUnavailable, nil},
		{"TooManyConnections", &pgconn.PgError{Code: "53300"}, intake.EUnavailable, nil},
		{"ReadOnlyStandby", &pgconn.PgError{Code: "25006"}, intake.EUnavailable, nil},
		{"SyntaxError", &pgconn.PgError{Code: "42601"}, intake.EInternal, nil},
		{"ConnectError", &pgconn.ConnectError{}, intake.EUnavailable, nil},
		{"EOF", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), intake.EUnavailable, nil},
		{"Deadline", context.DeadlineExceeded, intake.EUnavailable, nil},
		{"Foreign", errors.New("scan: cannot convert"), intake.EInternal, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := storeError(tt.err)
			if got := intake.ErrorCodeOf(err); got != tt.wantCode {
				t.Errorf("code %q, want %q (%v)", got, tt.wantCode, err)
			}
			if d := cmp.Diff(tt.wantFields, intake.ErrorFields(err)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("%v does not wrap its cause %v", err, tt.err)
			}
		})
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "40001"}, true},
		{fmt.Errorf("tx: %w", &pgconn.PgError{Code: "40P01"}), true},
		{&pgconn.PgError{Code: "23505"}, false},
		{context.Canceled, false},
		{errors.New("other"), false},
	}
	for _, tt := range tests {
		if got := retryable(tt.err); got != tt.want {
			t.Errorf("retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
