package flatchr

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"intake"
)

// memUploads stands in for the blob store in decoder tests: it keeps staged
// bytes in memory and counts what is not discarded.
type memUploads struct {
	next   int
	staged map[string][]byte
	max    int64
}

func newMemUploads() *memUploads {
	return &memUploads{staged: map[string][]byte{}, max: intake.MaxResumeBytes}
}

func (m *memUploads) stage(r io.Reader) (*intake.Blob, error) {
	b, err := io.ReadAll(io.LimitReader(r, m.max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > m.max {
		return nil, intake.Errorf(intake.ETooLarge, "is too large")
	}
	m.next++
	key := strconv.Itoa(m.next)
	m.staged[key] = b
	return &intake.Blob{Key: key, Size: int64(len(b))}, nil
}

func (m *memUploads) discard(b *intake.Blob) { delete(m.staged, b.Key) }

// checkDecoded is the property every decoder must hold: it failed with an
// error the client is answered as invalid or too large, or it produced an
// input that converts to a domain create without panicking; and after
// release no staged blob is left.
func checkDecoded(t *testing.T, in *createInput, up *memUploads, err error) {
	t.Helper()
	if err != nil {
		if code := intake.ErrorCodeOf(bodyError(err, 1)); code != intake.EInvalid && code != intake.ETooLarge {
			t.Fatalf("decode error %v is answered as %s", err, code)
		}
	} else {
		in.application(&intake.Job{ID: 1, Questions: []intake.Question{{ID: "q1", Text: "Why?", Required: true}}})
		if in.Resume.blob != nil && up.staged[in.Resume.blob.Key] == nil {
			t.Fatalf("the input holds blob %s, which is not staged", in.Resume.blob.Key)
		}
	}
	in.release(up)
	if len(up.staged) != 0 {
		t.Fatalf("%d staged blobs left after release", len(up.staged))
	}
}

// vendorJSON is the seed's curl example body, byte for byte.
const vendorJSON = `{
          "vacancy": "vyja39jqrrnlnqwe-technicien-metrologue-h-f",
          "firstname": "john",
          "lastname": "doe",
          "token": "8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM=",
          "type": "document",
          "resume": {
            "data": "SGVsbG8h=",
            "fileName": "resume.txt",
            "contentType": "application/octet-stream"
          }
        }`

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(vendorJSON))
	f.Add([]byte(`{"vacancy":"x","firstname":"Éloïse","lastname":"N'Diaye","phone":33123456789,"type":"link","resume":"storage.s3.eu-west-1.amazonaws.com/CV/5b400fab-679811f70b0e/CV_John_Doe.pdf"}`))
	f.Add([]byte(`{"answers":[{"question":12,"value":"Bac +3"},{"question":"Why?","value":true}],"urls":{"linkedin":"x","other":null},"legalNewsletterPartners":"true","similarities":false}`))
	f.Add([]byte(`{"type":"json","resume":{"data":{"a":[1,2,{"b":"\ud83d\ude00"}]}},"resume":{"data":"data:application/pdf;base64,JVBERi0="}}`))
	f.Add([]byte(`{"resume":{"data":"SGVs\nbG8h"},"resume":{"data":"!!"}}`))
	f.Add([]byte(`{"resume":"SGVsbG8h","filename":"a.txt","mime":"text/plain","type":"document","urls":[{"linkedin":"x"},{"other":"y"}],"answers":[{"questions":"q","value":"v"}]}`))
	f.Add([]byte(`{"type":"document","resume":"data:text/plain;base64,SGVsbG8h","fileName":"a.txt","contentType":"text/plain"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		up := newMemUploads()
		in := &createInput{}
		d := &decoder{in: in, up: up}
		err := d.decodeJSON(bytes.NewReader(body))
		if err == nil {
			err = d.resolveBareDocument()
		}
		checkDecoded(t, in, up, err)
		if err == nil && !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
	})
}

// referenceBase64 is spec flatchr §2's lenient decoding spelled out with
// the standard library.
func referenceBase64(s string) ([]byte, error) {
	s = strings.Trim(s, " \t\r\n")
	if len(s) >= 5 && strings.EqualFold(s[:5], "data:") {
		i := strings.IndexByte(s, ',')
		if i < 0 || i > maxDataURLPrefix || !strings.HasSuffix(strings.ToLower(s[:i]), ";base64") {
			return nil, errBase64Invalid
		}
		s = s[i+1:]
	}
	s = strings.NewReplacer(" ", "", "\t", "", "\r", "", "\n", "").Replace(s)
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, errBase64Empty
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return nil, errBase64Invalid
}

func FuzzBase64(f *testing.F) {
	for _, s := range []string{"SGVsbG8h=", "SGVsbG8h", " data:text/plain;base64,SGVsbG8h\n", "-_-_", "+/+/", "+/-_", "QQ", "Q", "QQ==", "QQ= =", "=", "", "dat", "data:;base64,", "SGVs=bG8h", "SGVs\r\nbG8h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, wantErr := referenceBase64(s)
		r := newBase64Reader(strings.NewReader(s))
		defer r.release()
		got, err := io.ReadAll(r)
		if !errors.Is(err, wantErr) && !(err == nil && wantErr == nil) {
			t.Fatalf("%q: error %v, want %v", s, err, wantErr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("%q: decoded %q, want %q", s, got, want)
		}
	})
}

func FuzzDecodeForm(f *testing.F) {
	f.Add("vacancy=vyja39jqrrnlnqwe-technicien-metrologue-h-f&firstname=john&lastname=doe&token=8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM%3D&type=document&resume%5Bdata%5D=SGVsbG8h%3D&resume%5BfileName%5D=resume.txt&resume%5BcontentType%5D=application%2Foctet-stream")
	f.Add("firstname=J%C3%A9r%C3%B4me&lastname=Le+Gall&urls[linkedin]=x&answers[0][question]=Why%3F&answers[0][value]=a&answers[][question]=q&answers[][question]=r")
	f.Add(`answers=[{"question":1,"value":"x"}]&urls={"twitter":"@x"}&resume={"data":"SGVsbG8h"}`)
	f.Add("resume[data]=ab+/&resume=example.com/cv.pdf&similarities=yes&x=%zz")
	f.Fuzz(func(t *testing.T, body string) {
		up := newMemUploads()
		in := &createInput{}
		err := (&decoder{in: in, up: up}).decodeForm(strings.NewReader(body))
		checkDecoded(t, in, up, err)
		q, qerr := url.ParseQuery(body)
		if strings.Contains(body, ";") || len(body) > maxFormKey {
			return // url.ParseQuery refuses semicolons; long names are dropped by design.
		}
		if (err == nil) != (qerr == nil) {
			t.Fatalf("%q: decodeForm says %v, url.ParseQuery says %v", body, err, qerr)
		}
		if err != nil {
			return
		}
		for _, name := range []string{"vacancy", "firstname", "email", "comment"} {
			want, sent := q[name]
			got := in.scalar(name)
			if sent != (*got != nil) || (sent && want[len(want)-1] != **got) {
				t.Fatalf("%q: %s = %v, want %q", body, name, *got, want)
			}
		}
	})
}

func FuzzDecodeMultipart(f *testing.F) {
	var seed bytes.Buffer
	mw := multipart.NewWriter(&seed)
	_ = mw.SetBoundary("xYzZY")
	for _, kv := range [][2]string{{"vacancy", "vyja39jqrrnlnqwe-technicien-metrologue-h-f"}, {"firstname", "john"}, {"lastname", "doe"}, {"answers", `[{"question":"Why?","value":"x"}]`}, {"urls[linkedin]", "x"}} {
		_ = mw.WriteField(kv[0], kv[1])
	}
	fw, _ := mw.CreateFormFile("resume", "CV_John_Doe.pdf")
	fmt.Fprint(fw, "%PDF-1.4\n")
	_ = mw.WriteField("resume[data]", "SGVsbG8h=")
	_ = mw.Close()
	f.Add(seed.Bytes())
	f.Add([]byte("--xYzZY\r\nContent-Disposition: form-data; name=\"resume\"; filename=\"a\"\r\n\r\nabc\r\n--xYzZY--\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		up := newMemUploads()
		in := &createInput{}
		err := (&decoder{in: in, up: up}).decodeMultipart(bytes.NewReader(body), "xYzZY")
		checkDecoded(t, in, up, err)
	})
}
