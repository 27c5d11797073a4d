package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"intake"
)

// SQLSTATE codes the store reacts to (PostgreSQL manual, appendix A).
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeReadOnlyTransaction  = "25006" // a standby after failover
	codeQueryCanceled        = "57014"
	codeAdminShutdown        = "57P01"
	codeCrashShutdown        = "57P02"
	codeCannotConnectNow     = "57P03"
	codeTooManyConnections   = "53300"
)

// conflictFields names, for each unique constraint, the input that collided;
// adapters show these to clients.
var conflictFields = map[string]string{
	"orgs_reference_key":                 "organization_reference",
	"orgs_company_key_key":               "company_key",
	"orgs_slug_key":                      "slug",
	"api_keys_hash_key":                  "token",
	"jobs_pkey":                          "id",
	"jobs_org_reference_key":             "job_reference",
	"jobs_org_vacancy_key_key":           "vacancy_key",
	"jobs_org_vacancy_slug_key":          "vacancy_slug",
	"jobs_external_reference_key":        "external_reference",
	"stages_pkey":                        "stages.id",
	"stages_job_name_key":                "stages.name",
	"people_org_email_key":               "email",
	"applications_org_reference_key":     "candidate_reference",
	"applications_org_applicant_key_key": "applicant_key",
	"idempotency_pkey":                   "idempotency_key",
}

// storeError turns a driver error into an *intake.Error by SQLSTATE and
// error type, never by message text. Domain errors pass through.
func storeError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*intake.Error](err); ok {
		return err
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pgError(err, pgErr)
	}
	if unreachable(err) {
		return intake.WrapError(intake.EUnavailable, err, "database unavailable")
	}
	return intake.WrapError(intake.EInternal, err, "internal error")
}

// pgError maps by e's SQLSTATE; err, which wraps e with context, is kept
// as the cause for the logs.
func pgError(err error, e *pgconn.PgError) error {
	switch {
	case e.Code == codeUniqueViolation:
		out := intake.WrapError(intake.EConflict, err, "already exists")
		if field, ok := conflictFields[e.ConstraintName]; ok {
			out.Message = field + " is already taken"
			out.Fields = map[string]string{field: "is already taken"}
		}
		return out
	case e.Code == codeForeignKeyViolation:
		return intake.WrapError(intake.EInvalid, err, "refers to a missing or used row")
	case e.Code == codeSerializationFailure, e.Code == codeDeadlockDetected,
		e.Code == codeReadOnlyTransaction, e.Code == codeQueryCanceled,
		e.Code == codeAdminShutdown, e.Code == codeCrashShutdown,
		e.Code == codeCannotConnectNow, e.Code == codeTooManyConnections,
		strings.HasPrefix(e.Code, "08"), strings.HasPrefix(e.Code, "53"):
		return intake.WrapError(intake.EUnavailable, err, "database unavailable")
	}
	return intake.WrapError(intake.EInternal, err, "internal error")
}

// unreachable reports errors of the connection rather than of the query:
// the server is down, restarting, or did not answer in time.
func unreachable(err error) bool {
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return true
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, net.ErrClosed) || pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}

// retryable reports failures after which running the whole transaction
// again is safe and likely to succeed.
func retryable(err error) bool {
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pgErr.Code == codeSerializationFailure || pgErr.Code == codeDeadlockDetected
	}
	return pgconn.SafeToRetry(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}
