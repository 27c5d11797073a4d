package flatchr

import (
	"net/url"
	"strconv"
	"strings"

	"intake"
)

// application converts in into the domain's create input for job. Wire
// faults found on the way are added to in.problems.
func (in *createInput) application(job *intake.Job) *intake.NewApplication {
	na := &intake.NewApplication{
		Application: intake.Application{
			Person: intake.Person{
				Firstname: deref(in.Firstname),
				Lastname:  deref(in.Lastname),
				Email:     deref(in.Email),
				Phone:     deref(in.Phone),
			},
			Comment: deref(in.Comment),
			Source:  intake.SourceFlatchr,
		},
		Job:        job,
		Newsletter: in.Newsletter,
		// A re-apply answers success without a second applicant (spec
		// flatchr §12 #19).
		OnDuplicate: intake.DuplicateMerge,
	}
	for network, link := range in.URLs {
		if link != "" {
			if na.Application.Person.Media == nil {
				na.Application.Person.Media = map[string]string{}
			}
			na.Application.Person.Media[network] = link
		}
	}
	if s := strings.TrimSpace(deref(in.OffererID)); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			in.problem("offerer_id", "must be a positive integer")
		}
		na.Application.OffererID = id
	}
	for _, a := range in.Answers {
		if !a.hasQuestion {
			in.problem("answers", "each answer needs a question")
			continue
		}
		na.Application.Answers = append(na.Application.Answers, intake.Answer{Question: a.Question, Value: a.Value})
	}
	in.resume(na)
	return na
}

// resume checks type against resume's shape (spec flatchr §2 `type` and
// `resume`) and sets the document to attach.
func (in *createInput) resume(na *intake.NewApplication) {
	res := &in.Resume
	typ := normalizeType(deref(in.Type))
	if typ == "" {
		// The seed marks type required yet calls document the default:
		// infer it from the resume's shape (§12 #6).
		switch res.shape {
		case resumeObject, resumeBase64:
			typ = typeDocument
		case resumeLink:
			typ = typeLink
		}
	}
	known := typ == "" || typ == typeDocument || typ == typeLink || typ == typeJSON
	if !known {
		in.problem("type", "must be document, link or json")
	}
	if res.shape == resumeNone {
		in.problem("resume", "is required")
	}
	if !known || res.shape == resumeNone {
		return
	}
	switch typ {
	case typeDocument:
		switch {
		case res.shape == resumeBase64 && (res.dataProblem != "" || res.blob == nil):
			// Neither an object nor base64 data: the object is the
			// documented form.
			in.problem("resume", "must be an object {data, fileName, contentType} when type is document")
		case res.shape == resumeBase64:
			na.Resume = &intake.FileInput{Staged: res.blob, FileName: in.docFileName}
		case res.shape != resumeObject:
			in.problem("resume", "must be an object {data, fileName, contentType} when type is document")
		case res.dataProblem != "":
			in.problem("resume", res.dataProblem)
		case !res.hasData:
			in.problem("resume", "data is required")
		case res.blob != nil:
			na.Resume = &intake.FileInput{Staged: res.blob, FileName: res.fileName}
		}
	case typeLink:
		if res.shape != resumeLink {
			// A base64 string was staged as a document: release drops it.
			in.problem("resume", "must be a URL when type is link")
			return
		}
		link := strings.TrimSpace(res.link)
		u, ok := linkURL(link)
		if !ok {
			in.problem("resume", "must be an http or https URL")
			return
		}
		na.Resume = &intake.FileInput{URL: u}
		na.Application.ResumeLink = link
	case typeJSON:
		// HR-XML (seed only): accepted, and nothing in it is kept; the
		// domain has no structured profile.
		if res.shape != resumeObject {
			in.problem("resume", "must be an HR-XML object when type is json")
		}
	}
}

// linkURL makes a resume link absolute: the vendor's example has no scheme
// (storage.s3.eu-west-1.amazonaws.com/CV/…), so https:// is prepended when
// none is given (spec flatchr §12 #8). Only http and https are fetched.
func linkURL(link string) (string, bool) {
	if link == "" {
		return "", false
	}
	if !hasScheme(link) {
		link = "https://" + link
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return link, true
}

// hasScheme reports whether s starts with `scheme://`. A bare `host:port/…`
// parses as a URL whose scheme is the host, so url.Parse cannot tell.
func hasScheme(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	for k, c := range s[:i] {
		letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (k == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
