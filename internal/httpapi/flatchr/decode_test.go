package flatchr

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestBase64(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  error
	}{
		{name: "seed example, over-padded", in: "SGVsbG8h=", want: "Hello!"},
		{name: "unpadded", in: "SGVsbG8", want: "Hello"},
		{name: "padded", in: "SGVsbA==", want: "Hell"},
		{name: "surrounding whitespace", in: " \n SGVsbG8h \r\n", want: "Hello!"},
		{name: "line breaks inside", in: "SGVs\r\nbG8h", want: "Hello!"},
		{name: "data URL prefix", in: "data:application/pdf;base64,SGVsbG8h", want: "Hello!"},
		{name: "data URL prefix, any case", in: "DATA:text/plain;BASE64,SGVsbG8h", want: "Hello!"},
		{name: "url-safe alphabet", in: "-_-_", want: "\xfb\xff\xbf"},
		{name: "standard alphabet", in: "+/+/", want: "\xfb\xff\xbf"},
		{name: "looks like data but is base64", in: "dataSGVs", want: mustDecode("dataSGVs")},
		{name: "empty", in: "", err: errBase64Empty},
		{name: "blank", in: "  \n", err: errBase64Empty},
		{name: "only padding", in: "==", err: errBase64Empty},
		{name: "only a prefix", in: "data:;base64,", err: errBase64Empty},
		{name: "mixed alphabets", in: "+/-_", err: errBase64Invalid},
		{name: "one dangling character", in: "SGVsbG8hQ", err: errBase64Invalid},
		{name: "padding inside", in: "SGVs=bG8h", err: errBase64Invalid},
		{name: "not base64", in: "Hello, world!", err: errBase64Invalid},
		{name: "data URL without base64", in: "data:text/plain,Hello", err: errBase64Invalid},
		{name: "unterminated data URL", in: "data:text/plain;base64", err: errBase64Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One byte at a time: prefixes and groups must survive any
			// split of the input.
			got, err := io.ReadAll(newBase64Reader(iotest.OneByteReader(strings.NewReader(tt.in))))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if err == nil && string(got) != tt.want {
				t.Fatalf("decoded %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBase64Large(t *testing.T) {
	data := bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog.\x00\xff"), 5000)
	enc := base64.StdEncoding.EncodeToString(data)
	wrapped := strings.Join(chunk(enc, 76), "\r\n")
	got, err := io.ReadAll(newBase64Reader(strings.NewReader(wrapped)))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("round trip failed: err %v, %d bytes back for %d", err, len(got), len(data))
	}
}

func mustDecode(s string) string {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func chunk(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

func ptr[T any](v T) *T { return &v }

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		want     createInput
		resume   string // staged bytes
		problems map[string]string
	}{
		{
			name: "seed example",
			body: vendorJSON,
			want: createInput{
				Vacancy: ptr("vyja39jqrrnlnqwe-technicien-metrologue-h-f"), Firstname: ptr("john"), Lastname: ptr("doe"),
				Token: ptr("8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM="), Type: ptr("document"),
				Resume: resumeInput{shape: resumeObject, hasData: true, fileName: "resume.txt", contentType: "application/octet-stream"},
			},
			resume: "Hello!",
		},
		{
			name: "phone as a number, flags, urls and answers",
			body: `{"phone":33123456789,"legalNewsletterPartners":true,"similarities":"false","urls":{"linkedin":"in/x","github":"y","other":null},"answers":[{"question":12,"value":"a"},{"question":"Why?","value":false}],"user_id":"lVq5r6pYLD9AmMvP","unknown":{"deep":[1,{"x":"y"}]}}`,
			want: createInput{
				Phone: ptr("33123456789"), Newsletter: ptr(true), Similarities: ptr(false), UserID: ptr("lVq5r6pYLD9AmMvP"),
				URLs:    map[string]string{"linkedin": "in/x"},
				Answers: []answerInput{{Question: "12", Value: "a", hasQuestion: true, hasValue: true}, {Question: "Why?", Value: "false", hasQuestion: true, hasValue: true}}, answersSet: true,
			},
		},
		{
			name: "link resume",
			body: `{"type":"link","resume":"storage.s3.eu-west-1.amazonaws.com/CV/CV_John_Doe.pdf"}`,
			want: createInput{Type: ptr("link"), Resume: resumeInput{shape: resumeLink, link: "storage.s3.eu-west-1.amazonaws.com/CV/CV_John_Doe.pdf"}},
		},
		{
			name: "HR-XML resume announced first is not staged",
			body: `{"type":"json","resume":{"data":"SGVsbG8h","Candidate":{"PersonName":"x"}}}`,
			want: createInput{Type: ptr("json"), Resume: resumeInput{shape: resumeObject}},
		},
		{
			name:   "last resume wins",
			body:   `{"resume":{"data":"QUFB"},"resume":{"data":"QkJC","fileName":"b.txt"}}`,
			want:   createInput{Resume: resumeInput{shape: resumeObject, hasData: true, fileName: "b.txt"}},
			resume: "BBB",
		},
		{
			name:     "wrong kinds are parameter problems",
			body:     `{"firstname":true,"urls":"x","answers":{"a":1},"similarities":"maybe","resume":{"data":"%%%"},"legalNewsletterPartners":[1]}`,
			want:     createInput{Resume: resumeInput{shape: resumeObject, hasData: true, dataProblem: "data is not valid base64"}},
			problems: map[string]string{"firstname": "must be a string", "urls": "must be an object {facebook, linkedin, twitter, other}", "answers": "must be a list of {question, value} objects", "similarities": "must be true or false", "legalNewsletterPartners": "must be true or false"},
		},
		{
			name: "null is absent",
			body: `{"email":null,"urls":null,"answers":null,"resume":null,"similarities":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newMemUploads()
			in := &createInput{}
			if err := (&decoder{in: in, up: up}).decodeJSON(strings.NewReader(tt.body)); err != nil {
				t.Fatal(err)
			}
			checkResume(t, in, up, tt.resume)
			tt.want.problems = tt.problems
			if !reflect.DeepEqual(*in, tt.want) {
				t.Fatalf("decoded\n%+v\nwant\n%+v", *in, tt.want)
			}
		})
	}
}

// checkResume compares the staged resume with want ("" for none), then
// forgets the blob so inputs can be compared.
func checkResume(t *testing.T, in *createInput, up *memUploads, want string) {
	t.Helper()
	switch {
	case want == "" && in.Resume.blob != nil:
		t.Fatalf("staged %q, want nothing", up.staged[in.Resume.blob.Key])
	case want != "" && in.Resume.blob == nil:
		t.Fatalf("nothing staged, want %q", want)
	case want != "" && string(up.staged[in.Resume.blob.Key]) != want:
		t.Fatalf("staged %q, want %q", up.staged[in.Resume.blob.Key], want)
	}
	in.release(up)
	if len(up.staged) != 0 {
		t.Fatalf("%d blobs staged besides the resume", len(up.staged))
	}
}

func TestDecodeForm(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		want     createInput
		resume   string
		problems map[string]string
	}{
		{
			name: "bracket notation",
			body: "firstname=J%C3%A9r%C3%B4me&lastname=Le+Gall&urls%5Blinkedin%5D=in%2Fx&urls[twitter]=%40x&answers[0][question]=Why%3F&answers[1][value]=b&answers[0][value]=a&answers[1][question]=12&resume[fileName]=cv.txt&resume[data]=SGVsbG8h%3D",
			want: createInput{
				Firstname: ptr("Jérôme"), Lastname: ptr("Le Gall"),
				URLs: map[string]string{"linkedin": "in/x", "twitter": "@x"},
				Answers: []answerInput{
					{Question: "Why?", Value: "a", hasQuestion: true, hasValue: true},
					{Question: "12", Value: "b", hasQuestion: true, hasValue: true},
				},
				answersSet:  true,
				answerIndex: map[string]int{"0": 0, "1": 1},
				Resume:      resumeInput{shape: resumeObject, hasData: true, fileName: "cv.txt"},
			},
			resume: "Hello!",
		},
		{
			name: "empty indexes start an item per repeated member",
			body: "answers[][question]=a&answers[][value]=1&answers[][question]=b&answers[][value]=2",
			want: createInput{
				Answers: []answerInput{
					{Question: "a", Value: "1", hasQuestion: true, hasValue: true},
					{Question: "b", Value: "2", hasQuestion: true, hasValue: true},
				},
				answersSet:  true,
				answerIndex: map[string]int{"": 1},
			},
		},
		{
			name: "JSON texts",
			body: "answers=%5B%7B%22question%22%3A1%2C%22value%22%3A%22x%22%7D%5D&urls=%7B%22facebook%22%3A%22fb%22%7D&resume=%7B%22data%22%3A%22SGVsbG8h%22%2C%22fileName%22%3A%22r.txt%22%7D",
			want: createInput{
				Answers:    []answerInput{{Question: "1", Value: "x", hasQuestion: true, hasValue: true}},
				answersSet: true,
				URLs:       map[string]string{"facebook": "fb"},
				Resume:     resumeInput{shape: resumeObject, hasData: true, fileName: "r.txt"},
			},
			resume: "Hello!",
		},
		{
			name:   "unescaped plus in resume data is base64",
			body:   "resume[data]=+/+/",
			want:   createInput{Resume: resumeInput{shape: resumeObject, hasData: true}},
			resume: "\xfb\xff\xbf",
		},
		{
			name: "link, flags, empty values",
			body: "type=link&resume=example.com%2Fcv.pdf&legalNewsletterPartners=on&similarities=&email=&&flag",
			want: createInput{Type: ptr("link"), Email: ptr(""), Newsletter: ptr(true), Resume: resumeInput{shape: resumeLink, link: "example.com/cv.pdf"}},
		},
		{
			name:     "malformed JSON text",
			body:     "answers=%5B1",
			want:     createInput{answersSet: true},
			problems: map[string]string{"answers": "is not valid JSON"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newMemUploads()
			in := &createInput{}
			if err := (&decoder{in: in, up: up}).decodeForm(strings.NewReader(tt.body)); err != nil {
				t.Fatal(err)
			}
			checkResume(t, in, up, tt.resume)
			tt.want.problems = tt.problems
			if !reflect.DeepEqual(*in, tt.want) {
				t.Fatalf("decoded\n%+v\nwant\n%+v", *in, tt.want)
			}
		})
	}
}

func TestDecodeFormErrors(t *testing.T) {
	for _, body := range []string{"a=%zz", "a=%4", "%=b", "resume[data]=SGV%"} {
		up := newMemUploads()
		in := &createInput{}
		err := (&decoder{in: in, up: up}).decodeForm(strings.NewReader(body))
		if _, ok := errors.AsType[*formError](err); !ok {
			t.Errorf("%q: error = %v, want a form error", body, err)
		}
		in.release(up)
		if len(up.staged) != 0 {
			t.Errorf("%q: %d blobs left", body, len(up.staged))
		}
	}
}

func TestSplitKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
		base string
		subs []string
	}{
		{name: "plain", key: "firstname", base: "firstname"},
		{name: "one level", key: "urls[linkedin]", base: "urls", subs: []string{"linkedin"}},
		{name: "two levels", key: "answers[0][question]", base: "answers", subs: []string{"0", "question"}},
		{name: "empty index", key: "answers[][value]", base: "answers", subs: []string{"", "value"}},
		{name: "unclosed", key: "urls[linkedin", base: "urls[linkedin"},
		{name: "junk between", key: "urls[a]x[b]", base: "urls[a]x[b]"},
		{name: "too deep", key: "a[1][2][3][4]", base: "a[1][2][3][4]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, subs := splitKey(tt.key)
			if base != tt.base || !reflect.DeepEqual(subs, tt.subs) {
				t.Fatalf("splitKey(%q) = %q %q, want %q %q", tt.key, base, subs, tt.base, tt.subs)
			}
		})
	}
}
