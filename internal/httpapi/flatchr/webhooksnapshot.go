package flatchr

import (
	"encoding/json"
	"sync"

	"intake"
)

// Events store their subject as a snapshot: the application with its job
// and organization (intake.Candidate), or a job with its organization. The
// events of a burst of applications carry the same job and organization,
// byte for byte, and decoding them was most of what rendering a webhook
// body cost. So rendering decodes those two through a small cache keyed by
// their exact JSON: the same bytes decode to the same value, and the
// renderers only read it, so the body is the one a fresh decoding gives.

// maxSnapshots bounds each cache; a full cache is emptied.
const maxSnapshots = 32

var (
	snapshotMu sync.Mutex
	jobCache   = map[string]*intake.Job{}
	orgCache   = map[string]*intake.Org{}
)

// decodeShared decodes raw through cache. JSON null or no value is nil, as
// for a pointer field.
func decodeShared[T any](cache map[string]*T, raw json.RawMessage) (*T, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	snapshotMu.Lock()
	v, ok := cache[string(raw)]
	snapshotMu.Unlock()
	if ok {
		return v, nil
	}
	v = new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	snapshotMu.Lock()
	if len(cache) >= maxSnapshots {
		clear(cache)
	}
	cache[string(raw)] = v
	snapshotMu.Unlock()
	return v, nil
}

// candidateWire is intake.Candidate as stored, with its job and
// organization left encoded.
type candidateWire struct {
	*intake.Application
	Job json.RawMessage
	Org json.RawMessage
}

func (w *candidateWire) candidate() (*intake.Candidate, error) {
	if w == nil {
		return nil, nil
	}
	job, err := decodeShared(jobCache, w.Job)
	if err != nil {
		return nil, err
	}
	org, err := decodeShared(orgCache, w.Org)
	if err != nil {
		return nil, err
	}
	return &intake.Candidate{Application: w.Application, Job: job, Org: org}, nil
}

// The wire forms of the events' data: the fields of intake.ApplicantData,
// MessageData, CommentData and VacancyData, with the snapshot's job and
// organization left encoded (TestWebhookWireFields keeps them in step).
type (
	applicantWire struct {
		Candidate   *candidateWire
		FromStageID int64             `json:",omitempty"`
		ActorKeyID  int64             `json:",omitempty"`
		Actor       *intake.EventUser `json:",omitempty"`
	}
	messageWire struct {
		Candidate *candidateWire
		Message   *intake.Message
		Actor     *intake.EventUser `json:",omitempty"`
	}
	commentWire struct {
		Candidate *candidateWire
		Comment   *intake.Comment
		Actor     *intake.EventUser `json:",omitempty"`
	}
	vacancyWire struct {
		Job        json.RawMessage
		Org        json.RawMessage
		ActorKeyID int64 `json:",omitempty"`
	}
)

func (w *applicantWire) decode(payload []byte) (*intake.ApplicantData, error) {
	if err := json.Unmarshal(payload, w); err != nil {
		return nil, err
	}
	c, err := w.Candidate.candidate()
	if err != nil {
		return nil, err
	}
	return &intake.ApplicantData{Candidate: c, FromStageID: w.FromStageID, ActorKeyID: w.ActorKeyID, Actor: w.Actor}, nil
}

func (w *messageWire) decode(payload []byte) (*intake.MessageData, error) {
	if err := json.Unmarshal(payload, w); err != nil {
		return nil, err
	}
	c, err := w.Candidate.candidate()
	if err != nil {
		return nil, err
	}
	return &intake.MessageData{Candidate: c, Message: w.Message, Actor: w.Actor}, nil
}

func (w *commentWire) decode(payload []byte) (*intake.CommentData, error) {
	if err := json.Unmarshal(payload, w); err != nil {
		return nil, err
	}
	c, err := w.Candidate.candidate()
	if err != nil {
		return nil, err
	}
	return &intake.CommentData{Candidate: c, Comment: w.Comment, Actor: w.Actor}, nil
}

func (w *vacancyWire) decode(payload []byte) (*intake.VacancyData, error) {
	if err := json.Unmarshal(payload, w); err != nil {
		return nil, err
	}
	job, err := decodeShared(jobCache, w.Job)
	if err != nil {
		return nil, err
	}
	org, err := decodeShared(orgCache, w.Org)
	if err != nil {
		return nil, err
	}
	return &intake.VacancyData{Job: job, Org: org, ActorKeyID: w.ActorKeyID}, nil
}
