package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// readStmts are the fixed-text queries, prepared once on the read pool
// (database/sql prepares each on a connection the first time it runs there).
type readStmts struct {
	ping                               *sql.Stmt
	orgs, orgBySlug                    *sql.Stmt
	keyByHash, keys                    *sql.Stmt
	jobByID, jobByReference            *sql.Stmt
	jobBySlug, jobByKey, jobs          *sql.Stmt
	stages, orgStages                  *sql.Stmt
	questions, orgQuestions            *sql.Stmt
	appByReference, appByKey           *sql.Stmt
	moves, idempotency, referencedBlob *sql.Stmt
	all                                []*sql.Stmt
}

func (r *readStmts) prepare(ctx context.Context, db *sql.DB) error {
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&r.ping, "SELECT 1"},
		{&r.orgs, orgsSQL},
		{&r.orgBySlug, orgBySlugSQL},
		{&r.keyByHash, apiKeyByHashSQL},
		{&r.keys, apiKeysSQL},
		{&r.jobByID, jobByIDSQL},
		{&r.jobByReference, jobByReferenceSQL},
		{&r.jobBySlug, jobBySlugSQL},
		{&r.jobByKey, jobByKeySQL},
		{&r.jobs, jobsSQL},
		{&r.stages, stagesSQL},
		{&r.orgStages, orgStagesSQL},
		{&r.questions, questionsSQL},
		{&r.orgQuestions, orgQuestionsSQL},
		{&r.appByReference, applicationByReferenceSQL},
		{&r.appByKey, applicationByKeySQL},
		{&r.moves, movesSQL},
		{&r.idempotency, idempotencySQL},
		{&r.referencedBlob, referencedBlobsSQL},
	}
	for _, s := range stmts {
		st, err := db.PrepareContext(ctx, s.query)
		if err != nil {
			return err
		}
		*s.dst = st
		r.all = append(r.all, st)
	}
	return nil
}

func (r *readStmts) close() error {
	var errs []error
	for _, st := range r.all {
		errs = append(errs, st.Close())
	}
	r.all = nil
	return errors.Join(errs...)
}

// read runs fn in a read-only transaction, so that the several queries of
// one answer (a job and its stages, a page and its total) see one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.closed.Load() {
		return errClosed
	}
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s.readError(err, "data")
	}
	defer tx.Rollback()
	return fn(tx)
}
