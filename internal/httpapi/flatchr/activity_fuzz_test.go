package flatchr

import (
	"strings"
	"testing"

	"intake"
)

func FuzzDecodeValues(f *testing.F) {
	for _, s := range []string{
		`{"text":"Bonjour","private":true,"reply_to":3620}`,
		`{"tag":"5gQayv9L1Qp6LXE4","value":"Bac +3"}`,
		`{"subject":"s","html":"<p>h</p>","sms":false,"mail":"true"}`,
		`{"a":{"b":1}}`, `[1]`, `{"reply_to":"-1","private":"maybe"}`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		v := formValues{}
		if err := decodeValues(body, v); err != nil {
			if intake.ErrorCodeOf(err) != intake.EInvalid {
				t.Fatalf("error code %s: %v", intake.ErrorCodeOf(err), err)
			}
			return
		}
		bad := map[string]string{}
		if id := v.id(bad, "reply_to"); id < 0 {
			t.Errorf("negative id %d", id)
		}
		v.flag(bad, "private", false)
		m, err := decodeMessage(v)
		if err != nil {
			if intake.ErrorCodeOf(err) != intake.EInvalid {
				t.Fatalf("decodeMessage error code %s", intake.ErrorCodeOf(err))
			}
			return
		}
		if m.Source != intake.SourceFlatchr || !m.HTML || strings.Contains(v["sms"], "true") {
			t.Errorf("message %+v from %v", m, v)
		}
	})
}
