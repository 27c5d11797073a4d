package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
)

// TestBlackboxIdempotency retries creates with an Idempotency-Key against
// the binary, in both dialects: a retry replays the first answer byte for
// byte and creates nothing, the key with another body is a 409 in the
// dialect's format, and concurrent identical requests create one
// candidate.
func TestBlackboxIdempotency(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	dialects := []struct {
		name     string
		path     string
		token    string
		status   int
		body     func(email string) string
		conflict string
	}{
		{name: "WelcomeKit", path: wkCandidates, token: rwKey, status: http.StatusCreated,
			body:     func(email string) string { return wkCreateBody(seedJob, email, "") },
			conflict: wkError("conflict", "Idempotency-Key was already used with a different request")},
		{name: "Flatchr", path: flatchrJSON, token: flatchrToken, status: http.StatusOK,
			body: func(email string) string {
				return flatchrBody(seedVacancy, `,"email":"`+email+`"`+doc64(samplePDF, "cv.pdf", "application/pdf"))
			},
			conflict: hapiError(409, "Idempotency-Key was already used with a different request")},
	}
	for _, d := range dialects {
		post := func(key, body string) call {
			return call{method: http.MethodPost, path: d.path, auth: bearer(d.token), ctype: jsonType, body: body, header: []string{"Idempotency-Key", key}}
		}
		t.Run(d.name+"/retry replays the answer and creates nothing", func(t *testing.T) {
			body := d.body("retry-" + d.name + "@example.com")
			first := send(t, base, post("retry-"+d.name, body))
			if first.status != d.status {
				t.Fatalf("first: %s", first)
			}
			before := takeStock(t, base, data)
			for range 3 {
				again := send(t, base, post("retry-"+d.name, body))
				if again.status != d.status || !bytes.Equal(again.body, first.body) {
					t.Errorf("retry answered\n%s\nwant the first answer\n%s", again, first)
				}
				if again.header.Get("Idempotent-Replayed") != "true" || again.header.Get("Content-Type") != jsonAnswer {
					t.Errorf("retry headers: %v", again.header)
				}
			}
			before.unchanged(t, base, data)

			conflict := send(t, base, post("retry-"+d.name, d.body("other-"+d.name+"@example.com")))
			checkAnswer(t, conflict, http.StatusConflict, d.conflict)
			before.unchanged(t, base, data)

			other := send(t, base, post("another-"+d.name, d.body("another-"+d.name+"@example.com")))
			if other.status != d.status || referenceOf(t, other.body) == referenceOf(t, first.body) {
				t.Errorf("another key: %s", other)
			}
		})

		t.Run(d.name+"/concurrent identical requests create one candidate", func(t *testing.T) {
			body := d.body("concurrent-" + d.name + "@example.com")
			before := takeStock(t, base, data)
			const n = 20
			answers := make([]answer, n)
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					answers[i], errs[i] = try(base, post("concurrent-"+d.name, body))
				})
			}
			close(start)
			wg.Wait()
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("request %d: %v", i, errs[i])
				}
				if answers[i].status != d.status || !bytes.Equal(answers[i].body, answers[0].body) {
					t.Errorf("request %d answered\n%s\nrequest 0\n%s", i, answers[i], answers[0])
				}
			}
			ref := referenceOf(t, answers[0].body)
			after := takeStock(t, base, data)
			if after.seed != before.seed+1 {
				t.Errorf("%d candidates created for %d identical requests, want 1", after.seed-before.seed, n)
			}
			if d.name == "Flatchr" && after.files != before.files+1 {
				t.Errorf("%d resume files stored for %d identical requests, want 1", after.files-before.files, n)
			}
			if got := send(t, base, call{path: wkCandidates + "/" + ref, auth: bearer(rwKey)}); got.status != http.StatusOK {
				t.Errorf("the replayed reference %s: %s", ref, got)
			}
		})
	}
}

// referenceOf reads the WelcomeKit reference of a create answer, which
// both dialects carry.
func referenceOf(t testing.TB, body []byte) string {
	t.Helper()
	var c struct{ Reference string }
	if err := json.Unmarshal(body, &c); err != nil || !wkReference.MatchString(c.Reference) {
		t.Fatalf("no reference in %s", body)
	}
	return c.Reference
}
