package flatchr

import (
	"net/http/httptest"
	"testing"
)

func TestWantsJSON(t *testing.T) {
	tests := []struct {
		name, contentType, accept string
		want                      bool
	}{
		{name: "browser", contentType: "application/x-www-form-urlencoded", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
		{name: "JSON body", contentType: "application/json; charset=utf-8", accept: "text/html", want: true},
		{name: "JSON first", accept: "application/json, text/html;q=0.5", want: true},
		{name: "JSON refused", accept: "application/json;q=0, */*", want: false},
		{name: "any", accept: "*/*"},
		{name: "none"},
		{name: "type range", accept: "application/*;q=0.9, text/html;q=0.8", want: true},
		{name: "case-insensitive", accept: "Application/JSON", want: true},
		{name: "most specific range wins", accept: "text/*;q=1, text/html;q=0.1, application/json;q=0.5", want: true},
		{name: "malformed", accept: "application", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/vacancy/candidate/custom", nil)
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			if got := wantsJSON(r); got != tt.want {
				t.Fatalf("wantsJSON = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPageLanguage(t *testing.T) {
	tests := []struct{ header, want string }{
		{"", "fr"},
		{"fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"en-GB,en;q=0.9", "en"},
		{"en", "en"},
		{"en-US", "en"},
		{"de, en;q=0.5", "en"},
		{"en;q=0.5, fr;q=0.9", "fr"},
		{"de", "fr"},
		{"*", "fr"},
		{"en;q=0", "fr"},
		{";;;=", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Language", tt.header)
			if got := pageLanguage(r); got != tt.want {
				t.Fatalf("pageLanguage(%q) = %s, want %s", tt.header, got, tt.want)
			}
		})
	}
}
