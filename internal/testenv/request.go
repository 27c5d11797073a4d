package testenv

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"
)

// Request is one HTTP call a test makes to a server under test.
type Request struct {
	Method string // GET when empty
	Path   string // appended to the base URL; a whole URL with base ""
	// Token, when set, is sent as "Authorization: Bearer <Token>".
	Token string
	// Auth, when set, is the whole Authorization header, for schemes and
	// malformed values; it wins over Token.
	Auth        string
	ContentType string
	Body        io.Reader // no body when nil
	// Header holds further headers: name, value, name, value…, added in
	// order after the ones above.
	Header []string
	// Client sends the request; nil means http.DefaultClient.
	Client *http.Client
}

// Response is an answer, its body read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r Response) String() string { return strconv.Itoa(r.Status) + " " + string(r.Body) }

// Do sends req to the server at base and returns its whole answer; any
// failure to get one fails t.
func Do(t testing.TB, base string, req Request) Response {
	t.Helper()
	res, err := Try(context.Background(), base, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Try is Do returning the error, for goroutines (which must not call
// t.Fatal) and for tests that expect the call itself to fail.
func Try(ctx context.Context, base string, req Request) (Response, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	r, err := http.NewRequestWithContext(ctx, method, base+req.Path, req.Body)
	if err != nil {
		return Response{}, err
	}
	switch {
	case req.Auth != "":
		r.Header.Set("Authorization", req.Auth)
	case req.Token != "":
		r.Header.Set("Authorization", "Bearer "+req.Token)
	}
	if req.ContentType != "" {
		r.Header.Set("Content-Type", req.ContentType)
	}
	for i := 0; i+1 < len(req.Header); i += 2 {
		r.Header.Add(req.Header[i], req.Header[i+1])
	}
	res, body, err := send(req.Client, r)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: body}, nil
}

// Send sends a request the test built itself (a browser's, with its own
// client and cookie jar; nil means http.DefaultClient) and returns the
// answer with its body read whole and closed.
func Send(t testing.TB, client *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	res, body, err := send(client, req)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func send(client *http.Client, req *http.Request) (*http.Response, []byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, nil, err
	}
	return res, body, nil
}
