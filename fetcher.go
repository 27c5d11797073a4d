package intake

import (
	"context"
	"io"
)

// Fetcher downloads user-supplied URLs under a guard: http/https only, public
// addresses only unless allowed, bounded time, size and redirects.
type Fetcher interface {
	// Fetch returns the body of url, failing with EInvalid (message safe for
	// the client) when the URL is refused or the download fails, and with
	// ETooLarge past max bytes (while reading the returned body).
	Fetch(ctx context.Context, url string, max int64) (io.ReadCloser, error)
}
