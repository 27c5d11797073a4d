package welcomekit

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"intake"
	"intake/internal/httpapi/download"
	"intake/internal/httpapi/ratelimit"
)

// authorizeScopeGroups authenticates the request and checks that its key holds
// one scope of each group (spec welcomekit §1 Scopes: documents, emails
// and comments need their own scope and a candidates scope), before any
// input is read. Errors: EUnauthenticated, a *scopeError.
func (h *handler) authorizeScopeGroups(w http.ResponseWriter, r *http.Request, groups ...[]intake.Scope) (*intake.Principal, error) {
	token, err := accessToken(r)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	ratelimit.SetHeaders(w.Header(), p.Rate)
	if err := p.RequireScopes(groups...); err != nil {
		return nil, &scopeError{err}
	}
	return p, nil
}

// pageRequest is the page and per_page params of a list (spec welcomekit
// §1 Pagination).
type pageRequest struct{ Page, PerPage int64 }

func (f *fields) page() pageRequest {
	return pageRequest{Page: f.positive("page", 1), PerPage: min(f.positive("per_page", defaultPerPage), maxPerPage)}
}

func (pr pageRequest) window() intake.Page {
	return intake.Page{Offset: offset(pr.Page, pr.PerPage), Limit: int(pr.PerPage)}
}

// setPage writes the pagination headers of a list answer.
func setPage(w http.ResponseWriter, pr pageRequest, total int) {
	setPageHeaders(w, total, pr.Page, pr.PerPage, offset(pr.Page, pr.PerPage))
}

// remoteFiles reads remote_file_urls: a list of {filename, url} objects
// (spec welcomekit §7), or of bare URL strings as a form's
// `remote_file_urls[]` sends them. nil when absent.
func (f *fields) remoteFiles(name string) []intake.FileInput {
	v, ok := f.p[name]
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		f.fail(name, "must be a list of {filename, url} objects")
		return nil
	}
	out := make([]intake.FileInput, 0, len(list))
	for i, e := range list {
		item := name + "[" + strconv.Itoa(i) + "]"
		switch e := e.(type) {
		case string:
			out = append(out, intake.FileInput{URL: strings.TrimSpace(e)})
		case map[string]any:
			sub := newFields(e)
			in := intake.FileInput{URL: strings.TrimSpace(sub.string("url")), FileName: sub.string("filename")}
			for k, reason := range sub.errs {
				f.fail(item+"."+k, reason)
			}
			if in.URL == "" {
				f.fail(item+".url", "can't be blank")
			}
			out = append(out, in)
		default:
			f.fail(item, "must be an object with filename and url")
		}
	}
	return out
}

// documentJSON is the vendor's document object (spec welcomekit §7).
type documentJSON struct {
	ID                 int64  `json:"id"`
	JobReference       string `json:"job_reference"`
	CandidateReference string `json:"candidate_reference"`
	Filename           string `json:"filename"`
	FileURL            string `json:"file_url"`
	Size               int64  `json:"size"`
	ContentType        string `json:"content_type"`
	CreatedAt          string `json:"created_at"`
}

func (h *handler) document(base string, c *intake.Candidate, d *intake.Attachment) documentJSON {
	out := documentJSON{
		ID: d.ID, JobReference: c.Job.Reference, CandidateReference: c.Reference, Filename: d.FileName,
		Size: d.Size, ContentType: d.ContentType, CreatedAt: h.timestamp(d.CreatedAt),
	}
	if u := h.fileURL(base, &d.Document); u != nil {
		out.FileURL = *u
	}
	return out
}

// listDocuments handles GET and HEAD /documents (spec welcomekit §7).
func (h *handler) listDocuments(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopeGroups(w, r, intake.ScopesDocumentsRead, intake.ScopesCandidateRead)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	ref := f.required("candidate_reference")
	pr := f.page()
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, docs, total, err := h.svc.Attachments(r.Context(), p, intake.CandidateRef{Reference: ref}, pr.window())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	base := download.BaseURL(r, h.public)
	out := make([]documentJSON, len(docs))
	for i, d := range docs {
		out[i] = h.document(base, c, d)
	}
	setPage(w, pr, total)
	h.writeJSON(w, r, http.StatusOK, out)
}

// createDocuments handles POST /documents (spec welcomekit §7, §9 #13,
// #16): every remote file is downloaded, checked and stored, or none is.
func (h *handler) createDocuments(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopeGroups(w, r, intake.ScopesDocumentsWrite, intake.ScopesCandidateWrite)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	ref, files, err := decodeDocuments(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, docs, err := h.svc.Attach(r.Context(), p, intake.CandidateRef{Reference: ref}, files)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	base := download.BaseURL(r, h.public)
	out := make([]documentJSON, len(docs))
	for i, d := range docs {
		out[i] = h.document(base, c, d)
	}
	h.writeJSON(w, r, http.StatusCreated, out)
}

// decodeDocuments reads the params of POST /documents. Errors: EInvalid.
func decodeDocuments(in params) (string, []intake.FileInput, error) {
	f := newFields(in)
	ref := f.required("candidate_reference")
	files := f.remoteFiles("remote_file_urls")
	if _, present := in["remote_file_urls"]; !present || (len(files) == 0 && len(f.errs) == 0) {
		f.fail("remote_file_urls", "can't be blank")
	}
	return ref, files, f.err()
}

// commentJSON is the answer of POST /comments (spec welcomekit §8).
type commentJSON struct {
	ID         int64  `json:"id"`
	Content    string `json:"content"`
	RawContent string `json:"raw_content"`
}

// createComment handles POST /comments (spec welcomekit §8).
func (h *handler) createComment(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopeGroups(w, r, intake.ScopesCommentsWrite, intake.ScopesCandidateRead)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	ref, nc, err := decodeComment(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.AddComment(r.Context(), p, intake.CandidateRef{Reference: ref}, nc)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, commentJSON{ID: c.ID, Content: c.HTML, RawContent: c.Raw})
}

// decodeComment reads the params of POST /comments. Errors: EInvalid.
func decodeComment(in params) (string, *intake.NewComment, error) {
	f := newFields(in)
	ref := f.required("candidate_reference")
	content := f.required("content")
	return ref, &intake.NewComment{Text: content, Source: intake.SourceWelcomeKit}, f.err()
}

// emailJSON is the vendor's email object (spec welcomekit §8). Status and
// error say what became of sending it: our addition, since the vendor
// sends on its own infrastructure.
type emailJSON struct {
	ID                 int64             `json:"id"`
	Subject            string            `json:"subject"`
	Body               string            `json:"body"`
	FromEmail          string            `json:"from_email"`
	To                 string            `json:"to"`
	CreatedAt          string            `json:"created_at"`
	Origin             string            `json:"origin"`
	CandidateReference string            `json:"candidate_reference"`
	Attachments        []json.RawMessage `json:"attachments"`
	Status             string            `json:"status"`
	Error              *string           `json:"error"`
	SentAt             *string           `json:"sent_at"`
}

func (h *handler) email(c *intake.Candidate, m *intake.Message) emailJSON {
	origin := "api"
	if m.Source == intake.SourceFlatchr {
		origin = "flatchr"
	}
	out := emailJSON{
		ID: m.ID, Subject: m.Subject, Body: m.Body, FromEmail: m.FromEmail, To: strings.Join(m.To, ", "),
		CreatedAt: h.timestamp(m.CreatedAt), Origin: origin, CandidateReference: c.Reference,
		Attachments: []json.RawMessage{}, Status: string(m.Sending.Status), Error: nullable(m.Sending.Error),
	}
	if m.Sending.SentAt != nil {
		s := h.timestamp(*m.Sending.SentAt)
		out.SentAt = &s
	}
	return out
}

// listEmails handles GET and HEAD /emails (spec welcomekit §8).
func (h *handler) listEmails(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopeGroups(w, r, intake.ScopesEmailsRead, intake.ScopesCandidateRead)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	ref := f.required("candidate_reference")
	pr := f.page()
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, msgs, total, err := h.svc.Messages(r.Context(), p, intake.CandidateRef{Reference: ref}, pr.window())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]emailJSON, len(msgs))
	for i, m := range msgs {
		out[i] = h.email(c, m)
	}
	setPage(w, pr, total)
	h.writeJSON(w, r, http.StatusOK, out)
}

// createEmail handles POST /emails (spec welcomekit §8): stored, and sent
// when send_email is true and an SMTP server is configured.
func (h *handler) createEmail(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopeGroups(w, r, intake.ScopesEmailsWrite, intake.ScopesCandidateWrite)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	ref, nm, err := decodeEmail(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, m, err := h.svc.SendMessage(r.Context(), p, intake.CandidateRef{Reference: ref}, nm)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, h.email(c, m))
}

// decodeEmail reads the params of POST /emails. `to` is one address or a
// comma-separated list, or a JSON list. Errors: EInvalid.
func decodeEmail(in params) (string, *intake.NewMessage, error) {
	f := newFields(in)
	ref := f.required("candidate_reference")
	nm := &intake.NewMessage{
		Subject:   f.required("subject"),
		Body:      f.required("body"),
		FromEmail: strings.TrimSpace(f.required("from_email")),
		Source:    intake.SourceWelcomeKit,
	}
	if to := f.list("to"); to != nil {
		for _, a := range *to {
			if a = strings.TrimSpace(a); a != "" {
				nm.To = append(nm.To, a)
			}
		}
	}
	if len(nm.To) == 0 {
		f.fail("to", "can't be blank")
	}
	if b := f.boolean("send_email"); b != nil {
		nm.Send = *b
	}
	if _, ok := in["remote_file_urls"]; ok {
		if files := f.remoteFiles("remote_file_urls"); len(files) > 0 {
			f.fail("remote_file_urls", "attachments on emails are not supported; attach them with POST /documents")
		}
	}
	return ref, nm, f.err()
}

// moveJSON is the vendor's move object (spec welcomekit §6).
type moveJSON struct {
	Candidate struct {
		Reference string `json:"reference"`
	} `json:"candidate"`
	From      moveSideJSON `json:"from"`
	To        moveSideJSON `json:"to"`
	CreatedAt string       `json:"created_at"`
	UpdatedAt string       `json:"updated_at"`
}

type moveSideJSON struct {
	// Stage is omitted when the stage was removed since (spec welcomekit
	// §6).
	Stage        *moveStageJSON `json:"stage,omitempty"`
	Organization struct {
		Reference string `json:"reference"`
	} `json:"organization"`
	Job struct {
		Reference string `json:"reference"`
	} `json:"job"`
}

type moveStageJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Reference string `json:"reference"`
}

// listMoves handles GET and HEAD /moves (spec welcomekit §6).
func (h *handler) listMoves(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopeGroups(w, r, intake.ScopesMovesRead)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	orgRef := f.required("organization_reference")
	jobRef := f.required("job_reference")
	pr := f.page()
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	job, err := h.svc.JobByReference(r.Context(), p, orgRef, jobRef)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	moves, total, err := h.svc.JobMoves(r.Context(), p, job, pr.window())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	jobs := map[int64]*intake.Job{job.ID: job}
	out := make([]moveJSON, len(moves))
	for i, m := range moves {
		out[i] = h.move(r, p, jobs, m)
	}
	setPage(w, pr, total)
	h.writeJSON(w, r, http.StatusOK, out)
}

func (h *handler) move(r *http.Request, p *intake.Principal, jobs map[int64]*intake.Job, m intake.Move) moveJSON {
	var out moveJSON
	out.Candidate.Reference = m.Reference
	side := func(jobID, stageID int64) moveSideJSON {
		var s moveSideJSON
		s.Organization.Reference = p.Org.Reference
		j, ok := jobs[jobID]
		if !ok {
			if found, err := h.svc.JobOf(r.Context(), p, jobID); err == nil {
				j = found
				jobs[jobID] = j
			}
		}
		if j == nil {
			return s
		}
		s.Job.Reference = j.Reference
		if st, ok := j.StageByID(stageID); ok {
			s.Stage = &moveStageJSON{ID: st.ID, Name: st.Name, Reference: st.Reference}
		}
		return s
	}
	out.From = side(m.FromJobID, m.FromStageID)
	out.To = side(m.ToJobID, m.ToStageID)
	out.CreatedAt = h.timestamp(m.CreatedAt)
	out.UpdatedAt = out.CreatedAt
	return out
}
