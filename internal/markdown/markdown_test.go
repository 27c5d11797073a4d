package markdown

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	r := New()
	tests := []struct {
		name, in, want string
	}{
		{"vendor example", "Foo", "<p>Foo</p>\n"},
		{"markdown", "**Great** _fit_", "<p><strong>Great</strong> <em>fit</em></p>\n"},
		{"inline html escaped", "a <b onclick=x>b</b>", "<p>a &lt;b onclick=x&gt;b&lt;/b&gt;</p>\n"},
		{"script block escaped", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{"javascript link dropped", "[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n"},
		{"two paragraphs", "one\n\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"image shown as a link", "![logo](https://example.com/a.png)", "<p><a href=\"https://example.com/a.png\">logo</a></p>\n"},
		{"image without a source", "![0]()", "<p><a href=\"\">0</a></p>\n"},
		{"javascript image dropped", "![x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Render(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"Foo", "<script>x</script>", "<div>\n<img src=x onerror=y>\n</div>", "[a](javascript:b)", "`<b>`"} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, s string) {
		out, err := r.Render(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script", "<img", "<iframe", "href=\"javascript:"} {
			if strings.Contains(strings.ToLower(out), bad) {
				t.Fatalf("Render(%q) = %q contains %q", s, out, bad)
			}
		}
	})
}
