package jsonstream

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// flatchrLimits are the Flatchr decoder's limits, the tightest in use.
var flatchrLimits = Limits{MaxDepth: 64, MaxKey: 256, MaxNumber: 256}

// stdLimits make the reader agree with encoding/json on every document.
var stdLimits = Limits{MaxDepth: 10000, ValidUTF8: true}

func TestStrings(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		valid bool
		want  string
	}{
		{name: "escapes", doc: `"a\"b\\c\/d\b\f\n\r\t"`, want: "a\"b\\c/d\b\f\n\r\t"},
		{name: "unicode escape", doc: `"\u00e9t\u00C9"`, want: "étÉ"},
		{name: "surrogate pair", doc: `"\ud83d\ude00"`, want: "😀"},
		{name: "lone high surrogate", doc: `"\ud83dx"`, want: "\uFFFDx"},
		{name: "high surrogate then escape", doc: `"\ud83d\n"`, want: "\uFFFD\n"},
		{name: "two high surrogates", doc: `"\ud83d\ud83d\ude00"`, want: "\uFFFD😀"},
		{name: "raw UTF-8", doc: `"Éloïse N'Diaye"`, want: "Éloïse N'Diaye"},
		{name: "raw UTF-8, made valid", doc: `"Éloïse N'Diaye"`, valid: true, want: "Éloïse N'Diaye"},
		{name: "invalid UTF-8 kept", doc: "\"a\xffb\xc3\"", want: "a\xffb\xc3"},
		{name: "invalid UTF-8 replaced", doc: "\"a\xffb\xc3\"", valid: true, want: "a\uFFFDb\uFFFD"},
		{name: "encoded surrogate replaced", doc: "\"\xed\xa0\x80\"", valid: true, want: "\uFFFD\uFFFD\uFFFD"},
		{name: "long, across buffer refills", doc: `"` + strings.Repeat(`ab\u0063`, 20000) + `"`, want: strings.Repeat("abc", 20000)},
		{name: "long UTF-8, across buffer refills", doc: `"` + strings.Repeat("é€😀", 20000) + `"`, valid: true, want: strings.Repeat("é€😀", 20000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := flatchrLimits
			lim.ValidUTF8 = tt.valid
			for _, r := range []io.Reader{strings.NewReader(tt.doc), iotest.OneByteReader(strings.NewReader(tt.doc)), iotest.HalfReader(strings.NewReader(tt.doc))} {
				j := NewReader(r, lim)
				s, err := j.StringValue()
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(s)
				if err != nil {
					t.Fatal(err)
				}
				if err := j.End(); err != nil {
					t.Fatal(err)
				}
				if string(got) != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
				j.Release()
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{name: "trailing data", doc: `{} x`, want: `invalid character 'x' after top-level value at byte 3`},
		{name: "trailing comma", doc: `{"a":1,}`, want: `expected '"', found '}' at byte 7`},
		{name: "missing colon", doc: `{"a" 1}`, want: `expected ':', found '1' at byte 5`},
		{name: "control character", doc: "\"a\tb\"", want: `invalid control character in string at byte 2`},
		{name: "bad escape", doc: `"\x"`, want: `invalid escape \x in string at byte 3`},
		{name: "bad unicode escape", doc: `"\u00zz"`, want: `invalid \u escape in string at byte 7`},
		{name: "leading zero", doc: `[01]`, want: `expected ',', found '1' at byte 2`},
		{name: "bare minus", doc: `-`, want: `unexpected end of JSON input at byte 1`},
		{name: "no fraction digits", doc: `1.x`, want: `missing digits after decimal point at byte 2`},
		{name: "unterminated", doc: `{"a":"b`, want: `unexpected end of JSON input at byte 7`},
		{name: "bad literal", doc: `tru`, want: `unexpected end of JSON input at byte 3`},
		{name: "too deep", doc: strings.Repeat("[", 65), want: `JSON nested too deeply at byte 65`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := NewReader(strings.NewReader(tt.doc), flatchrLimits)
			defer j.Release()
			err := j.Skip()
			if err == nil {
				err = j.End()
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestPassesReadErrors(t *testing.T) {
	boom := errors.New("boom")
	j := NewReader(io.MultiReader(strings.NewReader(`{"a":"`), iotest.ErrReader(boom)), flatchrLimits)
	defer j.Release()
	if err := j.Skip(); !errors.Is(err, boom) {
		t.Fatalf("error = %v, want the stream's", err)
	}
}

func TestLimits(t *testing.T) {
	long := strings.Repeat("k", 257)
	j := NewReader(strings.NewReader(`{"`+long+`":1`+strings.Repeat("0", 300)+`,"k":"v"}`), flatchrLimits)
	defer j.Release()
	if err := j.BeginObject(); err != nil {
		t.Fatal(err)
	}
	key, _, err := j.NextKey()
	if err != nil || key != "" {
		t.Fatalf("long key = %q, %v; want it empty", key, err)
	}
	if _, tooLong, err := j.ReadNumber(); err != nil || !tooLong {
		t.Fatalf("long number: tooLong %v, %v", tooLong, err)
	}
	if key, _, err := j.NextKey(); err != nil || key != "k" {
		t.Fatalf("next key = %q, %v", key, err)
	}
}

// TestValueDepth checks the nesting limit against encoding/json's, which
// the fuzzer is unlikely to reach.
func TestValueDepth(t *testing.T) {
	for _, depth := range []int{stdLimits.MaxDepth - 1, stdLimits.MaxDepth} {
		doc := []byte(`{"a":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`)
		_, wantErr := stdValue(doc)
		_, err := readValue(doc, stdLimits)
		if (err == nil) != (wantErr == nil) {
			t.Errorf("depth %d: error %v, encoding/json says %v", depth+1, err, wantErr)
		}
	}
}

// stdValue is the oracle: encoding/json with UseNumber, one value followed
// by nothing but whitespace.
func stdValue(doc []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func readValue(doc []byte, lim Limits) (any, error) {
	j := NewReader(bytes.NewReader(doc), lim)
	defer j.Release()
	v, err := j.Value()
	if err == nil {
		err = j.End()
	}
	return v, err
}

var fuzzSeeds = []string{
	`{"vacancy":"vyja39jqrrnlnqwe-technicien-metrologue-h-f","type":"document","resume":{"data":"SGVsbG8h=","fileName":"resume.txt"}}`,
	`"a\u00e9\ud83d\ude00\ud800x\/"`, `[1,-0.5e+3,true,false,null,{}]`, `{"a":{"b":[]}} `, `01`, `[1,]`, `{"a" 1}`, `"\x"`, "\"\t\"", `-`, `1.`, `1e`, `{"a":1}x`,
	`{}`, `{"a":1}{}`, `[1]`, `null`, ``, `{`, `{"a"}`, `{"a":}`, `{,}`, `{"n":+1}`, `{"t":tru}`, `{"t":truex}`,
	`{"a":1,"a":2}`, `{"a":{"b":1},"a":[2]}`, `{"s":"\udc00\ud800"}`, `{"s":"\ud800\ud800\udc00"}`, `{"s":"\u12"}`,
	"{\"s\":\"\x7f\"}", "{\"s\":\"\xff\xfe\"}", "{\"\xe9t\xe9\":\"Dévelop\xc3\"}", "{\"s\":\"\xed\xa0\x80\"}", `{"s":"abc\`,
	"\ufeff{}", "{\"a\":1}\x00", `{"email":"test@example.com","tag_list":["a",1],"job_stage_id":"42","archived":"true"}`,
}

// FuzzReader holds the reader with Flatchr's limits to encoding/json: same
// verdict on validity, same values for documents within its depth limit
// with keys and numbers short enough to be kept, errors that are
// SyntaxErrors.
func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if bytes.Count(doc, []byte("["))+bytes.Count(doc, []byte("{")) >= flatchrLimits.MaxDepth {
			return
		}
		got, err := readValue(doc, flatchrLimits)
		want, wantErr := stdValue(doc)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: reader says %v, encoding/json says %v", doc, err, wantErr)
		}
		if err != nil {
			if _, ok := errors.AsType[*SyntaxError](err); !ok {
				t.Fatalf("%q: error %T %v is not a syntax error", doc, err, err)
			}
			return
		}
		if !utf8.Valid(doc) || len(doc) > flatchrLimits.MaxKey {
			return // invalid UTF-8 is kept as sent; long keys come back empty.
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, want %#v", doc, got, want)
		}
	})
}

// FuzzValue holds Value with limits that promise agreement to
// encoding/json on every document, invalid UTF-8 included.
func FuzzValue(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, err := readValue(doc, stdLimits)
		want, wantErr := stdValue(doc)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: reader says %v, encoding/json says %v", doc, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, want %#v", doc, got, want)
		}
	})
}

// TestStringWordScan puts each byte that ends the plain run at every
// position of the eight-byte words plain scans.
func TestStringWordScan(t *testing.T) {
	for _, special := range []string{`\"`, `\\`, `\n`, `\u00e9`, "é", "\x7f", "\xff"} {
		for pos := range 20 {
			text := strings.Repeat("a", pos) + special + strings.Repeat("b", 20)
			doc := []byte(`"` + text + `"`)
			for _, lim := range []Limits{flatchrLimits, stdLimits} {
				got, err := readValue(doc, lim)
				want, wantErr := stdValue(doc)
				if err != nil || wantErr != nil {
					t.Fatalf("%q: %v, encoding/json %v", doc, err, wantErr)
				}
				if lim.ValidUTF8 || utf8.Valid(doc) {
					if got != want {
						t.Fatalf("%q: got %q, want %q", doc, got, want)
					}
				} else if got != text {
					t.Fatalf("%q: got %q, want the bytes as sent", doc, got)
				}
			}
		}
		bad := []byte(`"` + strings.Repeat("a", 11) + "\x01" + `"`)
		if _, err := readValue(bad, flatchrLimits); err == nil {
			t.Fatalf("%q: control character accepted", bad)
		}
	}
}
