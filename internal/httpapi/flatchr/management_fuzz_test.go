package flatchr

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"intake"
)

// FuzzManagementParams: any body of a management call decodes to
// parameters or to a client error, never panics, and the typed readers
// answer values of their type or EInvalid.
func FuzzManagementParams(f *testing.F) {
	for _, seed := range []string{
		`{"column_id":1313}`, `{column_id:1313}`, `{"email":"a@b.c","hired":"true","start":"12/25/21"}`,
		`{"hired":true,"column":"Recruté","colum":"x","value":{"a":[1]}}`, `[]`, `{"a":1}{"b":2}`, `null`, `{"x":1e999}`,
		`column_id=1313&email=a%40b`, ``, `{"reference":12,"value":"{\"a\":1}"}`,
	} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, body string, isJSON bool) {
		ctype := mediaForm
		if isJSON {
			ctype = mediaJSON
		}
		r := httptest.NewRequest("POST", "/company/x/search/applicants?firstname=q", strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		ps, err := readParams(httptest.NewRecorder(), r)
		if err != nil {
			if c := intake.ErrorCodeOf(err); c != intake.EInvalid && c != intake.ETooLarge {
				t.Fatalf("readParams(%q) error %v", body, err)
			}
			return
		}
		for name := range ps {
			if _, err := ps.text(name); err != nil && intake.ErrorCodeOf(err) != intake.EInvalid {
				t.Fatalf("text(%q): %v", name, err)
			}
			if b, err := ps.boolean(name); err != nil && (b != nil || intake.ErrorCodeOf(err) != intake.EInvalid) {
				t.Fatalf("boolean(%q): %v", name, err)
			}
			if n, err := ps.integer(name); err == nil && n != nil && *n <= 0 {
				t.Fatalf("integer(%q) = %d", name, *n)
			}
			if v, err := metaValue(ps[name]); err == nil && !json.Valid([]byte(v)) {
				t.Fatalf("metaValue(%q) = %q, not JSON", name, v)
			}
		}
		h := &handler{loc: time.UTC}
		if _, err := h.searchQuery(ps); err != nil && intake.ErrorCodeOf(err) != intake.EInvalid {
			t.Fatalf("searchQuery: %v", err)
		}
	})
}

// FuzzSearchDate: a search date parses to a midnight of a real day, or not
// at all; the vendor's examples parse as documented.
func FuzzSearchDate(f *testing.F) {
	for _, s := range []string{"12/25/21", "25/12/21", "01/10/22", "2022-01-10", "02/30/22", "1/2/2022", "00/00/00", "//", "99999/1/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseSearchDate(s, time.UTC)
		if !ok {
			return
		}
		if d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("parseSearchDate(%q) = %v, not a midnight", s, d)
		}
	})
}

func TestSearchDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12/25/21", "2021-12-25"},
		{"25/12/21", "2021-12-25"},
		{"01/10/22", "2022-01-10"},
		{"2022-01-10", "2022-01-10"},
		{"1/2/2022", "2022-01-02"},
		{"02/30/22", ""},
		{"13/13/21", ""},
		{"12/25", ""},
		{"12/25/021", ""},
	}
	for _, tt := range tests {
		d, ok := parseSearchDate(tt.in, time.UTC)
		got := ""
		if ok {
			got = d.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("parseSearchDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
