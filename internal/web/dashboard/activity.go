package dashboard

import (
	"net/http"

	"intake"
)

// activityView is what happened to a candidate after it applied: its
// attached documents, comments, emails or messages, and its moves.
type activityView struct {
	Comments []commentView
	Messages []messageView
	Timeline []timelineEntry
}

// commentView shows a comment's text as typed, not its rendered HTML: the
// card never inserts stored markup.
type commentView struct {
	Author  string
	Text    string
	Private bool
	ReplyTo int64
	ID      int64
	At      string
	File    *documentView
}

type messageView struct {
	Subject string
	Body    string
	From    string
	To      string
	Source  string
	Status  string
	Error   string
	At      string
}

type timelineEntry struct {
	At   string
	Text string
}

// activity loads the activity of a candidate the session may read. A
// failure to read one list is an error of the page: a card that silently
// hid comments would mislead.
func (h *handler) activity(r *http.Request, s *session, c *intake.Candidate, v *candidateView) (activityView, error) {
	ctx := r.Context()
	ref := intake.CandidateRef{Reference: c.Reference}
	var out activityView
	_, docs, _, err := h.svc.Attachments(ctx, s.p, ref, intake.Page{Limit: intake.MaxPerPage})
	if err != nil {
		return out, err
	}
	for _, d := range docs {
		v.Documents = append(v.Documents, h.documentView(&d.Document))
	}
	comments, err := h.svc.Comments(ctx, s.p, ref)
	if err != nil {
		return out, err
	}
	for _, cm := range comments {
		cv := commentView{ID: cm.ID, Author: cm.Author, Text: cm.Raw, Private: cm.Private, ReplyTo: cm.ReplyTo, At: h.dateTime(cm.CreatedAt)}
		if cm.File != nil {
			dv := h.documentView(cm.File)
			cv.File = &dv
		}
		out.Comments = append(out.Comments, cv)
	}
	_, msgs, _, err := h.svc.Messages(ctx, s.p, ref, intake.Page{Limit: intake.MaxPerPage})
	if err != nil {
		return out, err
	}
	for _, m := range msgs {
		mv := messageView{Subject: m.Subject, Body: m.Body, From: m.FromEmail, Source: sourceLabel(m.Source),
			Status: deliveryLabels[m.Sending.Status], Error: m.Sending.Error, At: h.dateTime(m.CreatedAt)}
		for i, to := range m.To {
			if i > 0 {
				mv.To += ", "
			}
			mv.To += to
		}
		out.Messages = append(out.Messages, mv)
	}
	moves, err := h.svc.ApplicationMoves(ctx, s.p.Org.ID, c.ID)
	if err != nil {
		return out, err
	}
	out.Timeline = append(out.Timeline, timelineEntry{At: h.dateTime(c.CreatedAt), Text: "Applied"})
	for _, m := range moves {
		out.Timeline = append(out.Timeline, timelineEntry{At: h.dateTime(m.CreatedAt), Text: moveText(c.Job, m)})
	}
	return out, nil
}

func (h *handler) documentView(d *intake.Document) documentView {
	dv := documentView{Kind: string(d.Kind), FileName: d.FileName, ContentType: d.ContentType, Size: humanSize(d.Size)}
	if h.files != nil {
		dv.URL = h.files.Path(d)
	}
	return dv
}

var deliveryLabels = map[intake.SendStatus]string{
	intake.SendNotSent: "stored, not sent",
	intake.SendPending: "sending",
	intake.SendSent:    "sent",
	intake.SendFailed:  "sending failed",
}

// moveText describes a move with the job's stage names; a removed stage
// shows as such.
func moveText(job *intake.Job, m intake.Move) string {
	name := func(id int64) string {
		if st, ok := job.StageByID(id); ok {
			return st.Name
		}
		return "a removed stage"
	}
	switch m.Kind {
	case intake.MoveArchive:
		return "Archived"
	case intake.MoveUnarchive:
		return "Restored from the archive"
	case intake.MoveJob:
		return "Moved to another job"
	}
	return "Moved from " + name(m.FromStageID) + " to " + name(m.ToStageID)
}
