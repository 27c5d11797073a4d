package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"intake"
)

var errClosed = intake.Errorf(intake.EUnavailable, "store is closed")

// storeError maps a driver error to an intake.Error by SQLite result code,
// keeping it as the cause; msg is the client-safe message. Errors that are
// already intake errors pass through.
func storeError(err error, msg string) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*intake.Error](err); ok {
		return err
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return intake.WrapError(intake.EConflict, err, msg+": already exists")
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return intake.WrapError(intake.EInvalid, err, msg+": refers to a missing or foreign row")
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK:
			return intake.WrapError(intake.EInvalid, err, msg+": invalid value")
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL,
			sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY,
			sqlite3.SQLITE_INTERRUPT:
			return intake.WrapError(intake.EUnavailable, err, "database unavailable")
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, sql.ErrConnDone) {
		return intake.WrapError(intake.EUnavailable, err, "request cancelled or database unavailable")
	}
	return intake.WrapError(intake.EInternal, err, msg)
}

// notFound maps sql.ErrNoRows to ENotFound naming what was looked for, and
// the rest as storeError does.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return intake.Errorf(intake.ENotFound, "%s not found", what)
	}
	return storeError(err, "cannot read "+what)
}

// readError is notFound for the read path, which reports a closed store as
// unavailable rather than as database/sql's "database is closed".
func (s *Store) readError(err error, what string) error {
	if s.closed.Load() {
		return errClosed
	}
	return notFound(err, what)
}
