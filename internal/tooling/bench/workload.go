package bench

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// Dialect names a vendor API a workload speaks.
type Dialect string

// Dialects.
const (
	WelcomeKit Dialect = "welcomekit"
	Flatchr    Dialect = "flatchr"
)

// Demo references: those of intake's demo world and of the vendors'
// documentation examples, so a workload targets a demo server as it is.
const (
	DemoOrg     = "Pg4eV6k"
	DemoJob     = "WTTJ_KmqkD1Y"
	DemoStageID = 42
	DemoVacancy = "vyja39jqrrnlnqwe-technicien-metrologue-h-f"
)

// Workload makes the requests of a load. Request must be safe for
// concurrent use; seq is unique within a run.
type Workload interface {
	Request(base string, seq uint64) (*http.Request, error)
}

// CreateOptions describe the create requests of a CreateWorkload.
type CreateOptions struct {
	Dialect Dialect
	Token   string
	// Org, Job and StageID are the WelcomeKit organization_reference,
	// job_reference and job_stage_id (0: none sent).
	Org     string
	Job     string
	StageID int64
	// Vacancy is the Flatchr vacancy slug.
	Vacancy string
	// ResumeSize is the size of the PDF sent with each Flatchr create; 0
	// sends the seed's 6-byte example document, base64.
	ResumeSize int
	// Upload is how the Flatchr PDF is sent: UploadBase64 (the default) or
	// UploadMultipart.
	Upload string
	// RemoteResumeBase makes each WelcomeKit create name its own file under
	// this URL in remote_resume_url ("": none).
	RemoteResumeBase string
	// RunID makes emails unique across runs against one database.
	RunID string
}

// CreateWorkload sends creates, each with a new email so that none is a
// duplicate. Bodies share one encoded resume, so a large resume costs the
// client no copy per request.
type CreateWorkload struct {
	opts   CreateOptions
	path   string
	resume []byte // the resume as sent (base64 or raw), shared by every request
}

// NewCreateWorkload checks o and encodes its resume once.
func NewCreateWorkload(o CreateOptions) (*CreateWorkload, error) {
	w := &CreateWorkload{opts: o}
	switch o.Dialect {
	case WelcomeKit:
		if o.Org == "" || o.Job == "" {
			return nil, fmt.Errorf("welcomekit creates need an organization and a job reference")
		}
		w.path = "/api/v1/external/candidates"
	case Flatchr:
		if o.Vacancy == "" {
			return nil, fmt.Errorf("flatchr creates need a vacancy slug")
		}
		w.path = "/vacancy/candidate/json"
		switch o.Upload {
		case "", UploadBase64:
			if o.ResumeSize > 0 {
				w.resume = base64.StdEncoding.AppendEncode(nil, Resume(o.ResumeSize))
			}
		case UploadMultipart:
			w.resume = Resume(max(o.ResumeSize, 6))
		default:
			return nil, fmt.Errorf("unknown upload %q (base64 or multipart)", o.Upload)
		}
	default:
		return nil, fmt.Errorf("unknown dialect %q (welcomekit or flatchr)", o.Dialect)
	}
	return w, nil
}

// Path is the path requests are sent to.
func (w *CreateWorkload) Path() string { return w.path }

// Request returns the create numbered seq.
func (w *CreateWorkload) Request(base string, seq uint64) (*http.Request, error) {
	p := NewPerson(w.opts.RunID, seq)
	var body io.Reader
	var size int64
	contentType := "application/json"
	switch {
	case w.opts.Dialect == WelcomeKit:
		b := w.welcomeKitBody(p, seq)
		body, size = bytes.NewReader(b), int64(len(b))
	case w.opts.Upload == UploadMultipart:
		head, tail, err := w.flatchrMultipart(p)
		if err != nil {
			return nil, err
		}
		body = io.MultiReader(bytes.NewReader(head), bytes.NewReader(w.resume), bytes.NewReader(tail))
		size = int64(len(head) + len(w.resume) + len(tail))
		contentType = "multipart/form-data; boundary=" + multipartBoundary
	default:
		head, tail := w.flatchrBody(p)
		body = io.MultiReader(bytes.NewReader(head), bytes.NewReader(w.resume), bytes.NewReader(tail))
		size = int64(len(head) + len(w.resume) + len(tail))
	}
	req, err := http.NewRequest(http.MethodPost, base+w.path, body)
	if err != nil {
		return nil, err
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", contentType)
	if w.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+w.opts.Token)
	}
	return req, nil
}

// CreateBody returns the whole body of the create numbered seq of a
// workload of o, for benchmarks of the decoders that need no server.
func CreateBody(o CreateOptions, seq uint64) ([]byte, error) {
	w, err := NewCreateWorkload(o)
	if err != nil {
		return nil, err
	}
	req, err := w.Request("http://127.0.0.1", seq)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(req.Body)
}

func (w *CreateWorkload) welcomeKitBody(p Person, seq uint64) []byte {
	b := make([]byte, 0, 384)
	b = append(b, `{"email":`...)
	b = strconv.AppendQuote(b, p.Email)
	b = append(b, `,"firstname":`...)
	b = strconv.AppendQuote(b, p.Firstname)
	b = append(b, `,"lastname":`...)
	b = strconv.AppendQuote(b, p.Lastname)
	b = append(b, `,"organization_reference":`...)
	b = strconv.AppendQuote(b, w.opts.Org)
	b = append(b, `,"job_reference":`...)
	b = strconv.AppendQuote(b, w.opts.Job)
	if w.opts.StageID != 0 {
		b = append(b, `,"job_stage_id":`...)
		b = strconv.AppendInt(b, w.opts.StageID, 10)
	}
	b = append(b, `,"phone":`...)
	b = strconv.AppendQuote(b, p.Phone)
	b = append(b, `,"subtitle":`...)
	b = strconv.AppendQuote(b, p.Subtitle)
	b = append(b, `,"tag_list":`...)
	b = strconv.AppendQuote(b, p.Tags)
	if w.opts.RemoteResumeBase != "" {
		b = append(b, `,"remote_resume_url":"`...)
		b = append(b, w.opts.RemoteResumeBase...)
		b = append(b, "/cv-"...)
		b = append(b, w.opts.RunID...)
		b = append(b, '-')
		b = strconv.AppendUint(b, seq, 10)
		b = append(b, `.pdf"`...)
	}
	b = append(b, `,"origin":"careers"}`...)
	return b
}

// flatchrBody returns the JSON before and after the resume's base64 data.
func (w *CreateWorkload) flatchrBody(p Person) (head, tail []byte) {
	b := make([]byte, 0, 512)
	b = append(b, `{"vacancy":`...)
	b = strconv.AppendQuote(b, w.opts.Vacancy)
	b = append(b, `,"firstname":`...)
	b = strconv.AppendQuote(b, p.Firstname)
	b = append(b, `,"lastname":`...)
	b = strconv.AppendQuote(b, p.Lastname)
	b = append(b, `,"email":`...)
	b = strconv.AppendQuote(b, p.Email)
	b = append(b, `,"phone":`...)
	b = strconv.AppendQuote(b, p.Phone)
	b = append(b, `,"offerer_id":75,"legalNewsletterPartners":false,"type":"document","resume":{"data":"`...)
	if len(w.resume) == 0 {
		// The seed's example document, its stray padding included
		// (spec flatchr §2).
		b = append(b, `SGVsbG8h=","fileName":"resume.txt","contentType":"application/octet-stream"}}`...)
		return b, nil
	}
	head = b
	tail = make([]byte, 0, 96)
	tail = append(tail, `","fileName":`...)
	tail = strconv.AppendQuote(tail, "CV_"+p.FileStem+".pdf")
	tail = append(tail, `,"contentType":"application/pdf"}}`...)
	return head, tail
}

// ListOptions describe the list requests of a ListWorkload.
type ListOptions struct {
	Token string
	Job   string
	// PerPage is per_page (WelcomeKit caps it at 100).
	PerPage int
	// Pages spreads requests over pages 1..Pages; 1 always asks for the
	// first page.
	Pages int
}

// ListWorkload lists a job's candidates through WelcomeKit.
type ListWorkload struct {
	opts ListOptions
}

// NewListWorkload checks o.
func NewListWorkload(o ListOptions) (*ListWorkload, error) {
	if o.Job == "" {
		return nil, fmt.Errorf("listing needs a job reference")
	}
	o.PerPage = max(1, o.PerPage)
	o.Pages = max(1, o.Pages)
	return &ListWorkload{opts: o}, nil
}

// Path is the path requests are sent to.
func (w *ListWorkload) Path() string { return "/api/v1/external/candidates" }

// Request returns the list request numbered seq.
func (w *ListWorkload) Request(base string, seq uint64) (*http.Request, error) {
	q := url.Values{}
	q.Set("job_reference", w.opts.Job)
	q.Set("per_page", strconv.Itoa(w.opts.PerPage))
	q.Set("page", strconv.FormatUint(1+seq%uint64(w.opts.Pages), 10))
	req, err := http.NewRequest(http.MethodGet, base+w.Path()+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	if w.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+w.opts.Token)
	}
	return req, nil
}
