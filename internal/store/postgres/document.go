package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// documentsJSON aggregates an application's documents in the row that reads
// it, one round trip for both; times travel as epoch milliseconds so no
// text format or time zone gets in the way.
const documentsJSON = `(SELECT jsonb_agg(jsonb_build_object('kind', d.kind, 'blob_key', d.blob_key,
		'file_name', d.file_name, 'content_type', d.content_type, 'size', d.size, 'sha256', d.sha256,
		'source_url', d.source_url, 'created_ms', floor(extract(epoch FROM d.created_at) * 1000)::bigint))
	FROM documents d WHERE d.application_id = a.id)`

// documentJSON mirrors the objects built by documentsJSON.
type documentJSON struct {
	Kind        intake.DocumentKind `json:"kind"`
	BlobKey     string              `json:"blob_key"`
	FileName    string              `json:"file_name"`
	ContentType string              `json:"content_type"`
	Size        int64               `json:"size"`
	SHA256      string              `json:"sha256"`
	SourceURL   string              `json:"source_url"`
	CreatedMS   int64               `json:"created_ms"`
}

// setDocuments decodes documentsJSON onto the application's document
// fields.
func setDocuments(a *intake.Application, raw []byte) error {
	if raw == nil {
		return nil
	}
	var docs []documentJSON
	if err := fromJSONB(raw, &docs); err != nil {
		return err
	}
	for _, d := range docs {
		doc := &intake.Document{
			Kind: d.Kind, BlobKey: d.BlobKey, FileName: d.FileName, ContentType: d.ContentType,
			Size: d.Size, SHA256: d.SHA256, SourceURL: d.SourceURL, CreatedAt: fromDB(time.UnixMilli(d.CreatedMS)),
		}
		if dst := documentSlot(a, d.Kind); dst != nil {
			*dst = doc
		}
	}
	return nil
}

func documentSlot(a *intake.Application, kind intake.DocumentKind) **intake.Document {
	switch kind {
	case intake.DocResume:
		return &a.Resume
	case intake.DocPortfolio:
		return &a.Portfolio
	case intake.DocAvatar:
		return &a.Avatar
	}
	return nil
}

var documentKinds = []intake.DocumentKind{intake.DocResume, intake.DocPortfolio, intake.DocAvatar}

// saveDocuments makes the stored documents of an application those of a,
// touching only the kinds that differ from before.
func saveDocuments(ctx context.Context, tx pgx.Tx, a, before *intake.Application) error {
	for _, kind := range documentKinds {
		doc := *documentSlot(a, kind)
		var old *intake.Document
		if before != nil {
			old = *documentSlot(before, kind)
		}
		switch {
		case doc == nil && old != nil:
			if _, err := tx.Exec(ctx, "DELETE FROM documents WHERE application_id = $1 AND kind = $2", a.ID, kind); err != nil {
				return err
			}
		case doc != nil && (old == nil || !sameDocument(doc, old)):
			_, err := tx.Exec(ctx, `INSERT INTO documents (application_id, kind, blob_key, file_name,
					content_type, size, sha256, source_url, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				ON CONFLICT (application_id, kind) DO UPDATE SET blob_key = excluded.blob_key,
					file_name = excluded.file_name, content_type = excluded.content_type,
					size = excluded.size, sha256 = excluded.sha256, source_url = excluded.source_url,
					created_at = excluded.created_at`,
				a.ID, kind, doc.BlobKey, doc.FileName, doc.ContentType, doc.Size, doc.SHA256, doc.SourceURL, toDB(doc.CreatedAt))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func sameDocument(a, b *intake.Document) bool {
	return a.BlobKey == b.BlobKey && a.FileName == b.FileName && a.ContentType == b.ContentType &&
		a.Size == b.Size && a.SHA256 == b.SHA256 && a.SourceURL == b.SourceURL &&
		toDB(a.CreatedAt).Equal(toDB(b.CreatedAt))
}

// ReferencedBlobs returns which of keys some document row points at.
func (s *Store) ReferencedBlobs(ctx context.Context, keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		clear(out)
		rows, err := q.Query(ctx, `SELECT blob_key FROM documents WHERE blob_key = ANY($1)
			UNION SELECT blob_key FROM attachments WHERE blob_key = ANY($1)
			UNION SELECT file_blob_key FROM comments WHERE file_blob_key <> '' AND file_blob_key = ANY($1)`, keys)
		if err != nil {
			return err
		}
		var key string
		_, err = pgx.ForEachRow(rows, []any{&key}, func() error { out[key] = true; return nil })
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
