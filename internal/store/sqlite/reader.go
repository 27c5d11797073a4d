package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
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
	jobTotal                           *sql.Stmt
	all                                []*sql.Stmt
	// lists are the list queries, whose text depends on which filters are
	// set: a bounded set (each filter is there or not), each prepared on
	// first use. Preparing them on every request was an eighth of a
	// list's time.
	lists stmtCache
}

type stmtCache struct {
	mu    sync.RWMutex
	db    *sql.DB
	stmts map[string]*sql.Stmt
}

// get returns query prepared on the read pool. Preparing borrows a pool
// connection: call it before taking one for a transaction, and it holds no
// lock meanwhile, or callers holding the other connections would wait for
// each other.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.stmts[query]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had, ok := c.stmts[query]; ok {
		_ = st.Close()
		return had, nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.stmts {
		errs = append(errs, st.Close())
	}
	c.stmts = nil
	return errors.Join(errs...)
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
		{&r.jobTotal, jobTotalSQL},
	}
	r.lists.db = db
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
	errs := []error{r.lists.close()}
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
