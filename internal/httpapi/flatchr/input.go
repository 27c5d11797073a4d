package flatchr

import (
	"io"

	"intake"
	"intake/internal/web/careerform"
)

// maxText caps a text parameter read whole: the longest text the domain
// accepts (intake.MaxLongText runes) at four bytes a rune. Only the resume's
// data is larger, and it is streamed.
const maxText = 4 * intake.MaxLongText

// createInput is a create request (spec flatchr §2 Parameters) as decoded
// from a JSON, urlencoded or multipart body or the query string, before it
// meets the domain. Pointers are nil for parameters the client did not send,
// so that body values can win over query values.
type createInput struct {
	Vacancy      *string
	Firstname    *string
	Lastname     *string
	Token        *string
	Email        *string
	Phone        *string
	Type         *string
	Comment      *string
	OffererID    *string
	ResponseText *string
	UserID       *string
	// Career is what a career-site form adds (career.go).
	Career       careerInput
	Newsletter   *bool
	Similarities *bool
	// URLs is nil when urls was not sent.
	URLs    map[string]string
	Answers []answerInput
	// answersSet tells an explicit empty list from no answers parameter.
	answersSet bool
	// answerIndex maps a form's answers[<index>] to its position in Answers.
	answerIndex map[string]int
	Resume      resumeInput
	// docFileName and docContentType are filename/fileName and
	// mime/contentType sent beside a bare base64 resume (spec flatchr §12
	// #22).
	docFileName, docContentType string
	// problems are wire-level faults of single parameters. They are
	// answered together with the Service's own validation, so that a client
	// learns of every bad field at once.
	problems map[string]string
	// fatal is a body failure (resume over its cap, uploads unavailable)
	// answered once the caller is authenticated.
	fatal error
}

// answerInput is one element of answers: {question: string|int, value}.
type answerInput struct {
	Question    string
	Value       string
	hasQuestion bool
	hasValue    bool
}

// resumeShape is what the resume parameter looked like on the wire; type is
// inferred from it when absent (spec flatchr §12 #6).
type resumeShape int

const (
	resumeNone   resumeShape = iota
	resumeLink               // a string: the URL of type=link
	resumeObject             // an object: {data, fileName, contentType} or HR-XML
	resumeBase64             // a bare base64 string: a document's data (spec flatchr §12 #22)
)

// resumeInput is the resume parameter. A document's data is staged while
// the body is read; blob is then owned by the request until it is handed to
// the Service or discarded.
type resumeInput struct {
	shape       resumeShape
	link        string
	hasData     bool
	blob        *intake.Blob
	dataProblem string
	fileName    string
	contentType string
}

// scalar returns where the text parameter name goes, nil for others.
func (in *createInput) scalar(name string) **string {
	switch name {
	case "vacancy":
		return &in.Vacancy
	case "firstname":
		return &in.Firstname
	case "lastname":
		return &in.Lastname
	case "token":
		return &in.Token
	case "email":
		return &in.Email
	case "phone":
		return &in.Phone
	case "type":
		return &in.Type
	case "comment":
		return &in.Comment
	case "offerer_id":
		return &in.OffererID
	case "response_text":
		return &in.ResponseText
	case "user_id":
		return &in.UserID
	case careerform.FieldName:
		return &in.Career.Token
	case careerform.HoneypotName:
		return &in.Career.Honeypot
	case careerform.ConsentName:
		return &in.Career.Consent
	}
	return nil
}

// flag returns where the boolean parameter name goes, nil for others.
func (in *createInput) flag(name string) **bool {
	switch name {
	case "legalNewsletterPartners":
		return &in.Newsletter
	case "similarities":
		return &in.Similarities
	}
	return nil
}

func (in *createInput) problem(field, reason string) {
	if in.problems == nil {
		in.problems = map[string]string{}
	}
	if _, dup := in.problems[field]; !dup {
		in.problems[field] = reason
	}
}

func (in *createInput) setFatal(err error) {
	if in.fatal == nil {
		in.fatal = err
	}
}

// mediaKeys are the urls members (spec flatchr §2), stored under the same
// network names in intake.Person.Media.
var mediaKeys = map[string]bool{"facebook": true, "linkedin": true, "twitter": true, "other": true}

func (in *createInput) setURL(network, value string) {
	if !mediaKeys[network] {
		return
	}
	if in.URLs == nil {
		in.URLs = map[string]string{}
	}
	in.URLs[network] = value
}

// uploads stages resume bytes: the Service in production, a stand-in in
// fuzz tests.
type uploads interface {
	stage(r io.Reader) (*intake.Blob, error)
	discard(b *intake.Blob)
}

// release discards the staged document unless it was handed over.
func (in *createInput) release(up uploads) {
	if in.Resume.blob != nil {
		up.discard(in.Resume.blob)
		in.Resume.blob = nil
	}
}

// mergeQuery fills the parameters the body did not send from the query
// string: the seed says "In: query", later docs "payload"; the body wins
// (spec flatchr §2). The token is not merged: every credential is checked
// on its own (§12 #5).
func (in *createInput) mergeQuery(q *createInput) {
	for _, name := range []string{"vacancy", "firstname", "lastname", "email", "phone", "type", "comment", "offerer_id", "response_text", "user_id"} {
		if dst := in.scalar(name); *dst == nil {
			*dst = *q.scalar(name)
			carryProblem(in, q, name)
		}
	}
	for _, name := range []string{"legalNewsletterPartners", "similarities"} {
		if dst := in.flag(name); *dst == nil {
			*dst = *q.flag(name)
			carryProblem(in, q, name)
		}
	}
	if in.URLs == nil {
		in.URLs = q.URLs
		carryProblem(in, q, "urls")
	}
	if !in.answersSet {
		in.Answers, in.answersSet = q.Answers, q.answersSet
		carryProblem(in, q, "answers")
	}
	if in.Resume.shape == resumeNone {
		switch q.Resume.shape {
		case resumeLink:
			in.Resume = q.Resume
		case resumeObject:
			in.problem("resume", "must be sent in the request body when it is a document")
		}
	}
}

// carryProblem copies src's problem with field to dst, whose value for it
// came from src.
func carryProblem(dst, src *createInput, field string) {
	if reason, ok := src.problems[field]; ok {
		dst.problem(field, reason)
	}
}
