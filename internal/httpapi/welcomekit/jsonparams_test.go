package welcomekit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// stdObject is what decodeJSONObject must match: encoding/json with
// UseNumber, the object followed by nothing but whitespace.
func stdObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, errNotJSONObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errNotSingle
	}
	return obj, nil
}

func FuzzJSONObject(f *testing.F) {
	for _, s := range []string{
		`{}`, ` {"a":1} `, `{"a":1}{}`, `{"a":1} x`, `[1]`, `null`, `"s"`, ``, `{`, `{"a"}`, `{"a":}`, `{,}`, `{"a":1,}`,
		`{"a":-0.5e+3,"b":0,"c":-1,"d":1E5,"e":[],"f":{},"g":[1,"x",true,false,null,{"h":[]}]}`,
		`{"n":01}`, `{"n":1.}`, `{"n":-}`, `{"n":.5}`, `{"n":1e}`, `{"n":+1}`, `{"t":tru}`, `{"t":truex}`, `{"t":nul}`,
		`{"a":1,"a":2}`, `{"a":{"b":1},"a":[2]}`,
		`{"s":"a\"b\\c\/d\b\f\n\r\t"}`, `{"s":"\u00e9\u00E9"}`, `{"s":"\ud83d\ude00"}`, `{"s":"\ud800"}`, `{"s":"\ud800\u0041"}`,
		`{"s":"\udc00\ud800"}`, `{"s":"\ud800\ud800\udc00"}`, `{"s":"\u12"}`, `{"s":"\x"}`, "{\"s\":\"\t\"}", "{\"s\":\"\x7f\"}",
		"{\"s\":\"\xff\xfe\"}", "{\"\xe9t\xe9\":\"Dévelop\xc3\"}", "{\"s\":\"\xed\xa0\x80\"}", `{"s":"abc`, `{"s":"abc\`,
		"\ufeff{}", "{\"a\":1}\x00", `{"email":"test@example.com","tag_list":["a",1],"job_stage_id":"42","archived":"true"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want, wantErr := stdObject(body)
		got := params{}
		err := decodeJSONObject(body, got)
		if !errors.Is(err, wantErr) && !(err == nil && wantErr == nil) {
			t.Fatalf("%q: error %v, encoding/json says %v", body, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(map[string]any(got), want) {
			t.Fatalf("%q: decoded %#v, encoding/json gives %#v", body, got, want)
		}
	})
}

// TestJSONObjectDepth checks the nesting limit, which the fuzzer is
// unlikely to reach: encoding/json's, so both accept the same bodies.
func TestJSONObjectDepth(t *testing.T) {
	for _, depth := range []int{jsonLimits.MaxDepth - 1, jsonLimits.MaxDepth} {
		body := []byte(`{"a":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`)
		_, wantErr := stdObject(body)
		if err := decodeJSONObject(body, params{}); !errors.Is(err, wantErr) && !(err == nil && wantErr == nil) {
			t.Errorf("depth %d: error %v, encoding/json says %v", depth+1, err, wantErr)
		}
	}
}
