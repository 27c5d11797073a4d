package bench

import "testing"

func TestMovesWorkload(t *testing.T) {
	if _, err := NewMovesWorkload(MovesOptions{Job: "j"}); err == nil {
		t.Error("no organization: no error")
	}
	w, err := NewMovesWorkload(MovesOptions{Token: "tok", Org: "Pg4eV6k", Job: "WTTJ_KmqkD1Y", PerPage: 100, Pages: 3})
	if err != nil {
		t.Fatal(err)
	}
	for seq, page := range []string{"1", "2", "3", "1"} {
		req, err := w.Request("http://127.0.0.1:1", uint64(seq))
		if err != nil {
			t.Fatal(err)
		}
		q := req.URL.Query()
		if req.URL.Path != "/api/v1/external/moves" || q.Get("page") != page || q.Get("organization_reference") != "Pg4eV6k" ||
			q.Get("job_reference") != "WTTJ_KmqkD1Y" || req.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("request %d = %s %v", seq, req.URL, req.Header)
		}
	}
}
