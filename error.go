package intake

import (
	"errors"
	"fmt"
	"time"
)

// ErrorCode is the closed set of failure kinds the domain reports. Each
// dialect maps them to its own status codes and body shapes.
type ErrorCode string

// Error codes. Adapters must handle every one of them.
const (
	EInvalid         ErrorCode = "invalid"
	EUnauthenticated ErrorCode = "unauthenticated"
	EForbidden       ErrorCode = "forbidden"
	ENotFound        ErrorCode = "not_found"
	EConflict        ErrorCode = "conflict"
	ETooLarge        ErrorCode = "too_large"
	EUnsupported     ErrorCode = "unsupported"
	EUnavailable     ErrorCode = "unavailable"
	ERateLimited     ErrorCode = "rate_limited"
	EInternal        ErrorCode = "internal"
)

// Error is the only error type the domain returns on purpose. Message is
// safe to show a client; Fields names the offending inputs (field → reason);
// the cause is for logs only.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  map[string]string
	// RetryAfter tells a refused client when to try again (ERateLimited,
	// EUnavailable); 0 when unknown.
	RetryAfter time.Duration
	cause      error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap exposes the cause to errors.Is/As so stores can wrap driver errors.
func (e *Error) Unwrap() error { return e.cause }

// Errorf returns an *Error with a formatted client-safe message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error carrying cause for the logs; message is what the
// client sees.
func WrapError(code ErrorCode, cause error, message string) *Error {
	return &Error{Code: code, Message: message, cause: cause}
}

// FieldErrors builds an EInvalid error naming every offending field. The
// message lists them in a stable order so clients and tests can rely on it.
func FieldErrors(fields map[string]string) *Error {
	return &Error{Code: EInvalid, Message: joinFieldErrors(fields), Fields: fields}
}

// ErrorCodeOf returns the code of err: its *Error's code, or EInternal for
// any foreign error. nil yields "".
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the client-safe message of err; foreign errors get a
// generic text so internals never leak.
func ErrorMessage(err error) string {
	if e, ok := errors.AsType[*Error](err); ok && e.Code != EInternal {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the per-field details of err, if any.
func ErrorFields(err error) map[string]string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Fields
	}
	return nil
}

// RetryAfterOf returns the RetryAfter of err's *Error, or 0.
func RetryAfterOf(err error) time.Duration {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.RetryAfter
	}
	return 0
}
