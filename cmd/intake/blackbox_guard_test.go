package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"intake/internal/httpapi/flatchr"
	"intake/internal/httpapi/welcomekit"
)

// TestBlackboxSSRF starts the binary without --allow-fetch-from: every
// user-supplied URL reaching loopback, private or link-local addresses is
// refused, in both dialects, before any connection (the test's own servers
// count the requests they get), and nothing is stored. 10.0.0.1 and
// 169.254.169.254 are literals the guard refuses before dialling: no
// packet leaves the machine.
func TestBlackboxSSRF(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	local, hits := fileServer(t, "application/pdf", samplePDF)
	port := local[strings.LastIndex(local, ":")+1:]
	v6, v6Hits := ipv6Server(t)
	existing := wkCreate(t, base, rwKey, wkCreateBody(seedJob, "existing@example.com", ""))

	targets := []struct{ name, url string }{
		{"127.0.0.1", local + "/cv.pdf"},
		{"[::1]", v6 + "/cv.pdf"},
		{"10.0.0.1", "http://10.0.0.1/cv.pdf"},
		{"169.254.169.254", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"},
		{"localhost resolving to loopback", "http://localhost:" + port + "/cv.pdf"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + port + "/cv.pdf"},
		{"0.0.0.0", "http://0.0.0.0:" + port + "/cv.pdf"},
	}
	const refused = "could not be downloaded: address not allowed"
	for _, target := range targets {
		ways := []struct {
			name   string
			call   call
			status int
			body   string
		}{
			{name: "Flatchr link", call: flatchrCall(bearer(flatchrToken), flatchrBody(seedVacancy, `,"email":"ssrf@example.com","type":"link","resume":"`+target.url+`"`)),
				status: 400, body: hapiError(400, "resume "+refused)},
			{name: "Flatchr dry-run link", call: call{method: http.MethodPost, path: flatchrTest, auth: bearer(flatchrToken), ctype: jsonType,
				body: flatchrBody(seedVacancy, `,"type":"link","resume":"`+target.url+`"`)},
				status: 400, body: hapiError(400, "resume "+refused)},
			{name: "Flatchr form link", call: call{method: http.MethodPost, path: flatchrCustom, ctype: formType, header: []string{"Accept", jsonType},
				body: url.Values{"token": {flatchrToken}, "vacancy": {seedVacancy}, "firstname": {"a"}, "lastname": {"b"}, "type": {"link"}, "resume": {target.url}}.Encode()},
				status: 400, body: hapiError(400, "resume "+refused)},
			{name: "WelcomeKit remote_resume_url", call: createCall(rwKey, wkCreateBody(seedJob, "ssrf@example.com", `"remote_resume_url":"`+target.url+`"`)),
				status: 400, body: wkError("validation_failed", "remote_resume_url "+refused)},
			{name: "WelcomeKit remote_portfolio_url", call: createCall(rwKey, wkCreateBody(seedJob, "ssrf@example.com", `"remote_portfolio_url":"`+target.url+`"`)),
				status: 400, body: wkError("validation_failed", "remote_portfolio_url "+refused)},
			{name: "WelcomeKit remote_image_url", call: createCall(rwKey, wkCreateBody(seedJob, "ssrf@example.com", `"remote_image_url":"`+target.url+`"`)),
				status: 400, body: wkError("validation_failed", "remote_image_url "+refused)},
			{name: "WelcomeKit update", call: call{method: http.MethodPut, path: wkCandidates + "/" + existing, auth: bearer(rwKey), ctype: jsonType,
				body: `{"remote_resume_url":"` + target.url + `"}`},
				status: 400, body: wkError("validation_failed", "remote_resume_url "+refused)},
		}
		for _, way := range ways {
			t.Run(target.name+"/"+way.name, func(t *testing.T) {
				before := takeStock(t, base, data)
				checkAnswer(t, send(t, base, way.call), way.status, way.body)
				before.unchanged(t, base, data)
			})
		}
	}
	t.Run("scheme-less Flatchr link to localhost", func(t *testing.T) {
		before := takeStock(t, base, data)
		got := send(t, base, flatchrCall(bearer(flatchrToken), flatchrBody(seedVacancy, `,"type":"link","resume":"localhost:`+port+`/cv.pdf"`)))
		checkAnswer(t, got, 400, hapiError(400, "resume "+refused))
		before.unchanged(t, base, data)
	})
	if n, n6 := hits.Load(), v6Hits.Load(); n != 0 || n6 != 0 {
		t.Errorf("the loopback servers got %d (IPv4) and %d (IPv6) requests", n, n6)
	}
	if a := send(t, base, call{path: wkCandidates + "/" + existing, auth: bearer(rwKey)}); !strings.Contains(string(a.body), `"resume_url":null`) {
		t.Errorf("the refused update changed the candidate: %s", a.body)
	}
}

// TestBlackboxHugeBodyBoundedMemory streams 100 MB bodies, generated on the
// fly, to the create endpoints of both dialects, with and without a
// declared length: each is refused with 413 in the dialect's format, long
// before the server read it all, and the server's memory (from its own
// /metrics) grows far less than the body.
func TestBlackboxHugeBodyBoundedMemory(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	// Warm up the paths the big bodies take, so that the baseline holds
	// what any serving process holds.
	wkCreate(t, base, rwKey, wkCreateBody(seedJob, "warm@example.com", `"cover_letter":"`+strings.Repeat("w", 60<<10)+`"`))
	flatchrCreated(t, base, send(t, base, flatchrCall(bearer(flatchrToken),
		flatchrBody(seedVacancy, `,"email":"warm@example.com"`+doc64([]byte(strings.Repeat("warm resume\n", 80<<10)), "cv.txt", "text/plain")))))
	before := takeStock(t, base, data)
	rss, heap := metric(t, base, "process_resident_memory_bytes"), metric(t, base, "go_memstats_heap_sys_bytes")

	const size = 100 << 20
	flatchrTooLarge := hapiError(413, "the request body is too large (maximum "+strconv.Itoa(flatchr.DefaultMaxBodyBytes)+" bytes)")
	wkTooLarge := wkError("validation_failed", "request body is larger than "+strconv.Itoa(welcomekit.DefaultMaxBodyBytes)+" bytes")
	const boundary = "hugeboundary"
	multipartHead := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + flatchrToken + "\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"vacancy\"\r\n\r\n" + seedVacancy + "\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"resume\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
	flatchrHead := `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"document","resume":{"fileName":"cv.pdf","contentType":"application/pdf","data":"`
	wkHead := `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"big@example.com","firstname":"a","lastname":"b","comment":"`
	tests := []struct {
		name    string
		path    string
		headers []string
		body    hugeBody
		chunked bool
		want    string
	}{
		{name: "Flatchr JSON, chunked", path: flatchrJSON, headers: []string{"Authorization", bearer(flatchrToken), "Content-Type", jsonType},
			body: hugeBody{flatchrHead, 'Q', size, `"}}`}, chunked: true, want: flatchrTooLarge},
		{name: "Flatchr JSON, declared length", path: flatchrJSON, headers: []string{"Authorization", bearer(flatchrToken), "Content-Type", jsonType},
			body: hugeBody{flatchrHead, 'Q', size, `"}}`}, want: flatchrTooLarge},
		{name: "Flatchr multipart form, chunked", path: flatchrCustom, headers: []string{"Content-Type", "multipart/form-data; boundary=" + boundary, "Accept", jsonType},
			body: hugeBody{multipartHead, 'A', size, "\r\n--" + boundary + "--\r\n"}, chunked: true, want: flatchrTooLarge},
		{name: "WelcomeKit create, chunked", path: wkCandidates, headers: []string{"Authorization", bearer(rwKey), "Content-Type", jsonType},
			body: hugeBody{wkHead, 'x', size, `"}`}, chunked: true, want: wkTooLarge},
		{name: "WelcomeKit create, declared length", path: wkCandidates, headers: []string{"Authorization", bearer(rwKey), "Content-Type", jsonType},
			body: hugeBody{wkHead, 'x', size, `"}`}, want: wkTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, sent := streamHuge(t, base, tt.path, tt.headers, tt.body, tt.chunked)
			checkAnswer(t, got, http.StatusRequestEntityTooLarge, tt.want)
			if sent >= size/2 {
				t.Errorf("the server read %d MB before refusing", sent>>20)
			}
		})
	}
	before.unchanged(t, base, data)
	const bound = 24 << 20
	// The race detector's shadow memory grows resident memory 5 to 10
	// times what the process touches (go.dev/doc/articles/race_detector),
	// not its heap: under -race the resident bound takes the low factor,
	// still far below one body held in memory.
	rssBound := float64(bound)
	if raceEnabled {
		rssBound *= 5
	}
	rssAfter, heapAfter := metric(t, base, "process_resident_memory_bytes"), metric(t, base, "go_memstats_heap_sys_bytes")
	t.Logf("resident memory %.1f → %.1f MiB, heap obtained from the OS %.1f → %.1f MiB", rss/(1<<20), rssAfter/(1<<20), heap/(1<<20), heapAfter/(1<<20))
	if rssAfter-rss > rssBound || heapAfter-heap > bound {
		t.Errorf("memory grew by %.1f MiB resident, %.1f MiB heap for five 100 MiB bodies, want under %.0f and %d MiB",
			(rssAfter-rss)/(1<<20), (heapAfter-heap)/(1<<20), rssBound/(1<<20), bound>>20)
	}
}

// hugeBody is prefix, n copies of fill, then suffix: a body of any size
// that is never held in memory.
type hugeBody struct {
	prefix string
	fill   byte
	n      int64
	suffix string
}

func (b hugeBody) len() int64 { return int64(len(b.prefix)) + b.n + int64(len(b.suffix)) }

// writeTo writes the body to w, stopping at the first error, and returns
// the bytes written.
func (b hugeBody) writeTo(w io.Writer) int64 {
	var sent int64
	n, err := io.WriteString(w, b.prefix)
	sent += int64(n)
	if err != nil {
		return sent
	}
	chunk := []byte(strings.Repeat(string(b.fill), 64<<10))
	for left := b.n; left > 0; {
		part := chunk[:min(left, int64(len(chunk)))]
		n, err := w.Write(part)
		sent += int64(n)
		left -= int64(n)
		if err != nil {
			return sent
		}
	}
	n, _ = io.WriteString(w, b.suffix)
	return sent + int64(n)
}

// streamHuge posts body over a raw connection, reading the answer while
// still sending, as a client must when the server refuses early. It
// returns the answer and how many body bytes the connection took.
func streamHuge(t testing.TB, base, path string, headers []string, body hugeBody, chunked bool) (answer, int64) {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	var head strings.Builder
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: %s\r\n", path, host)
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&head, "%s: %s\r\n", headers[i], headers[i+1])
	}
	if chunked {
		head.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	} else {
		fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", body.len())
	}
	sent := make(chan int64, 1)
	go func() {
		w := bufio.NewWriterSize(conn, 64<<10)
		if _, err := w.WriteString(head.String()); err != nil {
			sent <- 0
			return
		}
		if !chunked {
			n := body.writeTo(w)
			_ = w.Flush()
			sent <- n
			return
		}
		cw := httputil.NewChunkedWriter(w)
		n := body.writeTo(cw)
		if cw.Close() == nil {
			_, _ = w.WriteString("\r\n")
		}
		_ = w.Flush()
		sent <- n
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a 100 MB body: %v", err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	conn.Close() // stops the sender if the server is still reading
	return answer{status: resp.StatusCode, header: resp.Header, body: b}, <-sent
}
