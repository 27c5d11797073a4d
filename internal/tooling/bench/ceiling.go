package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// Answer is one recorded response: what the ceiling replays.
type Answer struct {
	Status      int
	ContentType string
	Body        []byte
}

// Ceiling returns the ceiling handler: for every request it reads the body
// to the end and writes a's status, content type and body. Nothing else
// runs, so its throughput is what the machine, the kernel's loopback and
// net/http allow for requests and answers of that size.
func Ceiling(a Answer) http.Handler {
	length := strconv.Itoa(len(a.Body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h := w.Header()
		h["Content-Type"] = []string{a.ContentType}
		h["Content-Length"] = []string{length}
		w.WriteHeader(a.Status)
		_, _ = w.Write(a.Body)
	})
}

// Probe sends the workload's request numbered seq and returns the answer, so
// that a ceiling can answer the same bytes. A non-2xx answer is an error:
// the load would measure failures.
func Probe(ctx context.Context, client *http.Client, base string, wl Workload, seq uint64) (Answer, error) {
	req, err := wl.Request(base, seq)
	if err != nil {
		return Answer{}, err
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: body}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return a, fmt.Errorf("probe %s %s: %s: %.300s", req.Method, req.URL.Path, resp.Status, body)
	}
	return a, nil
}
