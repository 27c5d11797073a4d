package welcomekit

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestIdempotency(t *testing.T) {
	f := newFixture(t)
	post := func(key, body string) response {
		return f.do(t, request{method: http.MethodPost, path: candidates, token: rwToken, contentType: jsonType, body: body,
			header: map[string]string{"Idempotency-Key": key}})
	}
	first := post("key-1", validCreate)
	if first.status != http.StatusCreated {
		t.Fatalf("first: status %d, body %s", first.status, first.body)
	}
	checkShape(t, first.body)

	f.env.Clock.Advance(time.Minute)
	replay := post("key-1", validCreate)
	if replay.status != http.StatusCreated || !bytes.Equal(replay.body, first.body) {
		t.Errorf("replay: status %d, body\n%s\nwant the first answer\n%s", replay.status, replay.body, first.body)
	}
	if got := replay.header.Get("Idempotent-Replayed"); got != "true" {
		t.Errorf("Idempotent-Replayed = %q", got)
	}
	if ct := replay.header.Get("Content-Type"); ct != contentType {
		t.Errorf("Content-Type = %q", ct)
	}
	list := f.do(t, request{path: candidates + "?job_reference=" + seedJob, token: rwToken})
	if total := list.header.Get("X-Total"); total != "1" {
		t.Errorf("X-Total = %s after a replay, want 1", total)
	}

	conflict := post("key-1", strings.Replace(validCreate, "Foo", "Other", 1))
	checkError(t, conflict, http.StatusConflict, "conflict", "Idempotency-Key was already used with a different request")

	other := post("key-2", strings.Replace(validCreate, "test@", "second@", 1))
	if other.status != http.StatusCreated || bytes.Equal(other.body, first.body) {
		t.Errorf("another key: status %d, body %s", other.status, other.body)
	}

	// Keys belong to the API key that sent them: the same key from another
	// credential is a new request.
	mine := f.do(t, request{method: http.MethodPost, path: candidates, token: mineToken, contentType: jsonType,
		body: strings.Replace(validCreate, "test@", "mine@", 1), header: map[string]string{"Idempotency-Key": "key-1"}})
	if mine.status != http.StatusCreated || bytes.Equal(mine.body, first.body) {
		t.Errorf("same key, other credential: status %d, body %s", mine.status, mine.body)
	}

	empty := post("", validCreate)
	checkError(t, empty, http.StatusBadRequest, "validation_failed", "Idempotency-Key must be 1 to 255 characters")
}
