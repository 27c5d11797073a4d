package sqlite

import (
	"context"
	"encoding/json"

	"intake"
)

const (
	upsertDocumentSQL = `INSERT INTO documents (application_id, kind, blob_key, file_name, content_type,
			size, sha256, source_url, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (application_id, kind) DO UPDATE SET
			blob_key = excluded.blob_key, file_name = excluded.file_name,
			content_type = excluded.content_type, size = excluded.size,
			sha256 = excluded.sha256, source_url = excluded.source_url,
			created_at = excluded.created_at`
	deleteDocumentSQL = `DELETE FROM documents WHERE application_id = ? AND kind = ?`
	// One JSON parameter, whatever the number of keys: no chunking to stay
	// under SQLite's limit on bound parameters.
	referencedBlobsSQL = `SELECT blob_key FROM documents WHERE blob_key IN (SELECT value FROM json_each(?1))
		UNION SELECT blob_key FROM attachments WHERE blob_key IN (SELECT value FROM json_each(?1))
		UNION SELECT file_blob_key FROM comments WHERE file_blob_key <> '' AND file_blob_key IN (SELECT value FROM json_each(?1))`
)

// slots pairs each document kind with its field of an application.
func slots(a *intake.Application) [3]struct {
	kind intake.DocumentKind
	doc  **intake.Document
} {
	return [3]struct {
		kind intake.DocumentKind
		doc  **intake.Document
	}{{intake.DocResume, &a.Resume}, {intake.DocPortfolio, &a.Portfolio}, {intake.DocAvatar, &a.Avatar}}
}

// saveDocument stores d as the application's document of its slot's kind,
// replacing the previous one.
func (tx *wtx) saveDocument(appID int64, kind intake.DocumentKind, d *intake.Document) error {
	_, err := tx.st.upsertDocument.ExecContext(tx.ctx, appID, string(kind), d.BlobKey, d.FileName,
		d.ContentType, d.Size, d.SHA256, d.SourceURL, ms(d.CreatedAt))
	return storeError(err, "cannot save document")
}

func (tx *wtx) deleteDocument(appID int64, kind intake.DocumentKind) error {
	_, err := tx.st.deleteDocument.ExecContext(tx.ctx, appID, string(kind))
	return storeError(err, "cannot remove document")
}

// ReferencedBlobs returns, among keys, those some document row points at
// (in any organization: it serves blob recovery). Other keys are absent.
func (s *Store) ReferencedBlobs(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(keys) == 0 {
		return out, nil
	}
	if s.closed.Load() {
		return nil, errClosed
	}
	arg, err := json.Marshal(keys)
	if err != nil {
		return nil, storeError(err, "cannot encode blob keys")
	}
	rows, err := s.r.referencedBlob.QueryContext(ctx, string(arg))
	if err != nil {
		return nil, s.readError(err, "documents")
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, s.readError(err, "documents")
		}
		out[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "documents")
	}
	return out, nil
}
