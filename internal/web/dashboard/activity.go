package dashboard

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"intake"
)

// maxDeliveries bounds the webhook deliveries a card lists.
const maxDeliveries = 50

// timelineEntry is one thing that happened to a candidate: when, who did
// it, what. Kind names the entry's icon and style.
type timelineEntry struct {
	Kind  string
	At    string
	Actor string
	Text  string
	// Detail is a secondary line: a send status, a file's size and type.
	Detail string
	// HTML is a comment's rendering; Body a message's text.
	HTML template.HTML
	Body string
	File *documentView
	// Failed marks a message or delivery that did not go through.
	Failed bool
	when   time.Time
}

// timeline loads everything that happened to a candidate the session may
// read, newest first. A failure to read one list is an error of the page:
// a card that silently hid comments would mislead.
func (h *handler) timeline(r *http.Request, s *session, c *intake.Candidate, v *candidateView) ([]timelineEntry, error) {
	ctx := r.Context()
	ref := intake.CandidateRef{Reference: c.Reference}
	source := sourceLabel(c.Source)
	out := []timelineEntry{{Kind: "applied", when: c.CreatedAt, Actor: source,
		Text: "Applied to " + c.Job.Title + " through " + source}}
	for _, d := range []*intake.Document{c.Resume, c.Portfolio, c.Avatar} {
		if d != nil {
			dv := h.documentView(d)
			out = append(out, timelineEntry{Kind: "document", when: c.CreatedAt, Actor: source,
				Text: documentLabel(d.Kind) + " attached with the application", File: &dv})
		}
	}
	_, docs, _, err := h.svc.Attachments(ctx, s.p, ref, intake.Page{Limit: intake.MaxPerPage})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		dv := h.documentView(&d.Document)
		v.Documents = append(v.Documents, dv)
		out = append(out, timelineEntry{Kind: "document", when: d.CreatedAt, Text: "Document attached", File: &dv})
	}
	moves, err := h.svc.ApplicationMoves(ctx, s.p.Org.ID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range moves {
		kind := "move"
		if m.Kind == intake.MoveArchive || m.Kind == intake.MoveUnarchive {
			kind = "archive"
		}
		out = append(out, timelineEntry{Kind: kind, when: m.CreatedAt, Actor: m.Actor, Text: moveText(c.Job, m)})
	}
	comments, err := h.svc.Comments(ctx, s.p, ref)
	if err != nil {
		return nil, err
	}
	for _, cm := range comments {
		// The text is rendered again rather than the stored HTML trusted:
		// the page inserts only what the escaping renderer makes now.
		rendered, err := h.svc.RenderComment(cm.Raw)
		if err != nil {
			return nil, err
		}
		e := timelineEntry{Kind: "comment", when: cm.CreatedAt, Actor: cm.Author, Text: "Comment",
			HTML: template.HTML(rendered)}
		if cm.Private {
			e.Text = "Private comment"
		}
		if cm.ReplyTo != 0 {
			e.Detail = fmt.Sprintf("In reply to comment #%d", cm.ReplyTo)
		}
		if cm.File != nil {
			dv := h.documentView(cm.File)
			e.File = &dv
		}
		out = append(out, e)
	}
	_, msgs, _, err := h.svc.Messages(ctx, s.p, ref, intake.Page{Limit: intake.MaxPerPage})
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		status := deliveryLabels[m.Sending.Status]
		if m.Sending.Error != "" {
			status += " (" + m.Sending.Error + ")"
		}
		detail := "To " + strings.Join(m.To, ", ")
		if m.FromEmail != "" {
			detail = "From " + m.FromEmail + " · " + detail
		}
		out = append(out, timelineEntry{Kind: "message", when: m.CreatedAt, Actor: cmp.Or(m.Author, sourceLabel(m.Source)),
			Text: "Email “" + m.Subject + "” · " + status, Detail: detail, Body: m.Body,
			Failed: m.Sending.Status == intake.SendFailed})
	}
	traits, err := h.svc.Traits(ctx, s.p, ref)
	if err != nil {
		return nil, err
	}
	if len(traits) > 0 {
		tags, err := h.svc.Tags(ctx, s.p)
		if err != nil {
			return nil, err
		}
		for _, tr := range traits {
			title := tr.TagKey
			if i := slices.IndexFunc(tags, func(t *intake.Tag) bool { return t.ID == tr.TagID }); i >= 0 {
				title = tags[i].Title
			}
			out = append(out, timelineEntry{Kind: "tag", when: tr.CreatedAt, Text: "Tag “" + title + "” set to “" + tr.Value + "”"})
		}
	}
	deliveries, err := h.svc.ApplicationDeliveries(ctx, s.p, ref, maxDeliveries)
	if err != nil {
		return nil, err
	}
	// The store lists them newest first; entries are appended oldest
	// first, as every other list.
	for _, d := range slices.Backward(deliveries) {
		out = append(out, h.deliveryEntry(d))
	}
	// Newest first; at the same instant, what was recorded later first
	// (a create's documents above the application itself).
	for i := range out {
		out[i].At = h.dateTime(out[i].when)
	}
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b timelineEntry) int { return b.when.Compare(a.when) })
	return out, nil
}

// deliveryEntry describes a webhook delivery: which event went to which
// host, and what became of it. The URL's path and query may hold a
// receiver's secret token, so only the host is shown.
func (h *handler) deliveryEntry(d *intake.Delivery) timelineEntry {
	host := "a removed subscription"
	if d.Subscription != nil {
		if u, err := url.Parse(d.Subscription.URL); err == nil && u.Host != "" {
			host = u.Host
		}
	}
	name := "an event"
	if d.Event != nil {
		name = string(d.Event.Name)
	}
	e := timelineEntry{Kind: "webhook", when: d.CreatedAt, Actor: "Webhook", Text: "Webhook " + name + " to " + host}
	if d.Replay {
		e.Text += " (replay)"
	}
	switch d.Status {
	case intake.DeliveryDelivered:
		e.Detail = fmt.Sprintf("delivered, HTTP %d", d.LastStatus)
	case intake.DeliveryFailed:
		e.Detail, e.Failed = "failed after "+plural(d.Attempts, "attempt"), true
	default:
		e.Detail = "pending"
		if d.Attempts > 0 {
			e.Detail += ", " + plural(d.Attempts, "attempt") + " so far"
		}
	}
	if d.LastError != "" {
		e.Detail += ": " + d.LastError
	}
	return e
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// documentLabel names a kind of document in a sentence.
func documentLabel(k intake.DocumentKind) string {
	switch k {
	case intake.DocResume:
		return "Résumé"
	case intake.DocPortfolio:
		return "Portfolio"
	case intake.DocAvatar:
		return "Photo"
	}
	return "Document"
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
