package intake

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidEmail(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"test@example.com", true},
		{"john.doe+cv@mail.fr", true},
		{"Foo <foo@example.com>", false},
		{"foo@", false},
		{"foo", false},
		{"foo@localhost", false},
		{"", false},
		{strings.Repeat("a", 250) + "@x.fr", false},
	}
	for _, tt := range tests {
		f := fieldErrors{}
		validEmail(f, "email", tt.in)
		if ok := len(f) == 0; ok != tt.ok {
			t.Errorf("validEmail(%q) ok = %v, want %v (%v)", tt.in, ok, tt.ok, f)
		}
	}
}

func TestValidName(t *testing.T) {
	tests := []struct {
		in     string
		letter bool
		want   string
	}{
		{"Éloïse", true, ""},
		{"N'Diaye", true, ""},
		{"Le Gall", true, ""},
		{"   ", false, "can't be blank"},
		{"123", true, "must contain a letter"},
		{"123", false, ""},
		{strings.Repeat("é", 256), false, "is too long (maximum is 255 characters)"},
		{"a\x00b", false, "contains invalid characters"},
	}
	for _, tt := range tests {
		f := fieldErrors{}
		validName(f, "firstname", tt.in, tt.letter)
		if got := f["firstname"]; got != tt.want {
			t.Errorf("validName(%q, %v) = %q, want %q", tt.in, tt.letter, got, tt.want)
		}
	}
}

func TestNormalizeTags(t *testing.T) {
	got := NormalizeTags([]string{" foo", "bar ", "", "foo", "  "})
	if diff := cmp.Diff([]string{"foo", "bar"}, got); diff != "" {
		t.Error(diff)
	}
}

func TestNormalizeCivility(t *testing.T) {
	for in, want := range map[string]string{"mr": "Mr", "MS": "Ms", " Mr ": "Mr"} {
		if got, ok := NormalizeCivility(in); !ok || got != want {
			t.Errorf("NormalizeCivility(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := NormalizeCivility("Dr"); ok {
		t.Error("Dr accepted")
	}
}

func TestFieldErrorsMessageIsSorted(t *testing.T) {
	err := FieldErrors(map[string]string{"lastname": "can't be blank", "email": "is invalid"})
	if got, want := err.Message, "email is invalid, lastname can't be blank"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if ErrorCodeOf(err) != EInvalid {
		t.Errorf("code = %v", ErrorCodeOf(err))
	}
}

func TestResolveAnswers(t *testing.T) {
	job := &Job{Questions: []Question{
		{ID: "q1", Text: "Level?", Required: true, Options: []string{"Bac", "Bac +3"}},
		{ID: "q2", Text: "Remote?"},
	}}
	tests := []struct {
		name    string
		in      []Answer
		wantErr string
		want    []Answer
	}{
		{name: "by id and by text", in: []Answer{{Question: "q1", Value: "Bac +3"}, {Question: "Remote?", Value: "yes"}},
			want: []Answer{{QuestionID: "q1", Question: "q1", Value: "Bac +3"}, {QuestionID: "q2", Question: "Remote?", Value: "yes"}}},
		{name: "free answer kept", in: []Answer{{Question: "q1", Value: "Bac"}, {Question: "other", Value: "x"}},
			want: []Answer{{QuestionID: "q1", Question: "q1", Value: "Bac"}, {Question: "other", Value: "x"}}},
		{name: "required missing", in: nil, wantErr: `question "q1" is required`},
		{name: "blank does not answer", in: []Answer{{Question: "q1", Value: " "}}, wantErr: `question "q1" is required`},
		{name: "not an option", in: []Answer{{Question: "q1", Value: "PhD"}}, wantErr: `value "PhD" is not an option`},
		{name: "several options", in: []Answer{{Question: "q1", Value: "Bac;Bac +3"}},
			want: []Answer{{QuestionID: "q1", Question: "q1", Value: "Bac;Bac +3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fieldErrors{}
			got := resolveAnswers(f, job, tt.in, true)
			if tt.wantErr != "" {
				if !strings.Contains(f["answers"], tt.wantErr) {
					t.Fatalf("errors = %v, want %q", f, tt.wantErr)
				}
				return
			}
			if len(f) != 0 {
				t.Fatalf("unexpected errors %v", f)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Error(diff)
			}
		})
	}
}
