package intake

import (
	"context"
	"encoding/json"
	"time"
)

// EventName names a domain event; webhook subscriptions select events by
// name. Flatchr's names are used where Flatchr has one (spec flatchr §11);
// the events it only announces get names in the same style.
type EventName string

// Events.
const (
	EventNewApplicant     EventName = "new_applicant"
	EventDragApplicant    EventName = "drag_applicant"
	EventArchiveApplicant EventName = "archive_applicant"
	EventNewMessage       EventName = "new_message"
	EventNewComment       EventName = "new_comment"
	EventNewVacancy       EventName = "new_vacancy"
	EventUpdateVacancy    EventName = "update_vacancy"
	EventArchiveVacancy   EventName = "archive_vacancy"
)

// EventNames lists every event, in the order the documentation gives them.
var EventNames = []EventName{
	EventNewApplicant, EventDragApplicant, EventArchiveApplicant, EventNewMessage,
	EventNewComment, EventNewVacancy, EventUpdateVacancy, EventArchiveVacancy,
}

// Known reports whether n is one of EventNames.
func (n EventName) Known() bool {
	for _, k := range EventNames {
		if k == n {
			return true
		}
	}
	return false
}

// Event is a change of the domain recorded in the outbox in the same
// transaction as the change itself, so a write that was acknowledged always
// has its events, and a write that failed has none.
type Event struct {
	ID    int64 // filled by the store; increasing in commit order per store
	OrgID int64
	Name  EventName
	// JobID and StageID are what a subscription's vacancy and column
	// filters match; 0 when the event has none.
	JobID   int64
	StageID int64
	// Data is the subject of the event. The store encodes it as JSON inside
	// the write's transaction, after it has filled the ids of the values
	// Data points to; a pointer to the value being written thus records it
	// as stored.
	Data any
	// Payload is Data as stored; set on events read back, and used instead
	// of Data when set on an event being written.
	Payload   json.RawMessage
	CreatedAt time.Time
}

// EncodeData returns the JSON the store keeps for the event.
func (e *Event) EncodeData() ([]byte, error) {
	if e.Payload != nil {
		return e.Payload, nil
	}
	return json.Marshal(e.Data)
}

// Outbox carries the events a write appends. Domain values that Store write
// methods take embed it: the service calls Record before (or, for updates,
// inside the function given to) the write, and the store inserts the events
// in the write's transaction and empties Events once it has committed.
type Outbox struct {
	Events []*Event `json:"-"`
}

// Record adds an event to append with the next write of the value.
func (o *Outbox) Record(e *Event) { o.Events = append(o.Events, e) }

// ApplicantData is the Data of applicant events: the application with its
// job and organization as they stand after the change, and who made it.
type ApplicantData struct {
	Candidate *Candidate
	// FromStageID is the stage the application left (drag_applicant).
	FromStageID int64 `json:",omitempty"`
	// ActorKeyID is the API key that made the change; 0 from the dashboard.
	ActorKeyID int64 `json:",omitempty"`
}

// EventFilter selects events of one organization, oldest first.
type EventFilter struct {
	OrgID int64
	// AfterID skips events up to and including this id.
	AfterID int64
	// Since skips events created before this time, when not zero.
	Since time.Time
	Names []EventName // nil: every name
	Limit int
}

// EventStore reads the outbox. Events are written by the Store's write
// methods, through the Outbox of the values they take.
type EventStore interface {
	// Events lists an organization's matching events, lowest id first, at
	// most f.Limit of them.
	Events(ctx context.Context, f EventFilter) ([]*Event, error)
}

// recordApplicant records an applicant event on app, whose Candidate
// snapshot is encoded when the store writes app.
func recordApplicant(app *Application, name EventName, job *Job, org *Org, p *Principal, from int64, at time.Time) {
	var actor int64
	if p != nil && p.Key != nil {
		actor = p.Key.ID
	}
	app.Record(&Event{
		OrgID: app.OrgID, Name: name, JobID: app.JobID, StageID: app.StageID,
		Data:      &ApplicantData{Candidate: &Candidate{Application: app, Job: job, Org: org}, FromStageID: from, ActorKeyID: actor},
		CreatedAt: at,
	})
}
