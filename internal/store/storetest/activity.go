package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"intake"
)

func activityTests() []test {
	return []test{
		{"JobMoves", testJobMoves},
		{"MovesRecordTheirActor", testMoveActor},
		{"Attachments", testAttachments},
		{"Comments", testComments},
		{"Messages", testMessages},
		{"TagsAndTraits", testTraits},
		{"BlobsOfActivity", testActivityBlobs},
	}
}

// moveApp moves app to stage, and archived, at minute n.
func moveApp(t *testing.T, s intake.Store, orgID int64, app *intake.Application, stage int64, archived bool, n int) {
	t.Helper()
	_, err := s.UpdateApplication(t.Context(), orgID, app.Reference, func(a *intake.Application) error {
		a.StageID, a.Archived, a.UpdatedAt = stage, archived, at(n)
		return nil
	})
	noErr(t, "UpdateApplication", err)
}

func testJobMoves(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	a := bareApp(f.A, f.A1, "a@example.com", 1)
	b := bareApp(f.A, f.A1, "b@example.com", 2)
	other := bareApp(f.A, f.A2, "c@example.com", 3)
	for _, app := range []*intake.Application{a, b, other} {
		create(t, s, app, nil)
	}
	st := f.A1.Stages
	moveApp(t, s, f.A.ID, a, st[1].ID, false, 10)
	moveApp(t, s, f.A.ID, b, st[2].ID, true, 11) // a stage move and an archive move
	moveApp(t, s, f.A.ID, other, f.A2.Stages[1].ID, false, 12)
	moveApp(t, s, f.A.ID, b, st[2].ID, false, 13) // unarchive only

	moves, total, err := s.JobMoves(ctx, f.A.ID, f.A1.ID, 0, 100)
	noErr(t, "JobMoves", err)
	equal(t, "JobMoves total", 4, total)
	j := f.A1.ID
	want := []intake.Move{
		{ApplicationID: a.ID, Reference: a.Reference, FromStageID: st[0].ID, ToStageID: st[1].ID, FromJobID: j, ToJobID: j, Kind: intake.MoveStage, CreatedAt: at(10)},
		{ApplicationID: b.ID, Reference: b.Reference, FromStageID: st[0].ID, ToStageID: st[2].ID, FromJobID: j, ToJobID: j, Kind: intake.MoveStage, CreatedAt: at(11)},
		{ApplicationID: b.ID, Reference: b.Reference, FromStageID: st[0].ID, ToStageID: st[2].ID, FromJobID: j, ToJobID: j, Kind: intake.MoveArchive, CreatedAt: at(11)},
		{ApplicationID: b.ID, Reference: b.Reference, FromStageID: st[2].ID, ToStageID: st[2].ID, FromJobID: j, ToJobID: j, Kind: intake.MoveUnarchive, CreatedAt: at(13)},
	}
	for i := range want {
		if i < len(moves) {
			want[i].ID = moves[i].ID
		}
	}
	equal(t, "JobMoves", want, moves)
	for i := 1; i < len(moves); i++ {
		if moves[i].ID <= moves[i-1].ID {
			t.Errorf("JobMoves ids not increasing: %d then %d", moves[i-1].ID, moves[i].ID)
		}
	}

	page, total, err := s.JobMoves(ctx, f.A.ID, f.A1.ID, 1, 2)
	noErr(t, "JobMoves page 2", err)
	equal(t, "JobMoves page total", 4, total)
	equal(t, "JobMoves page", want[1:3], page)

	moves, total, err = s.JobMoves(ctx, f.B.ID, f.A1.ID, 0, 100)
	noErr(t, "JobMoves(other org)", err)
	equal(t, "JobMoves(other org) total", 0, total)
	equal(t, "JobMoves(other org)", []intake.Move{}, moves)
}

// testMoveActor: the Actor of the written application is recorded on the
// write's moves, which Moves returns; the application itself keeps none.
func testMoveActor(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "a@example.com", 1)
	create(t, s, app, nil)
	st := f.A1.Stages
	_, err := s.UpdateApplication(ctx, f.A.ID, app.Reference, func(a *intake.Application) error {
		a.StageID, a.Archived, a.UpdatedAt, a.Actor = st[1].ID, true, at(10), "Rita Recruiter"
		return nil
	})
	noErr(t, "UpdateApplication", err)
	moveApp(t, s, f.A.ID, app, st[1].ID, false, 11)
	moves, err := s.Moves(ctx, f.A.ID, app.ID)
	noErr(t, "Moves", err)
	var actors []string
	for _, m := range moves {
		actors = append(actors, string(m.Kind)+" by "+m.Actor)
	}
	equal(t, "moves and their actors", []string{"stage by Rita Recruiter", "archive by Rita Recruiter", "unarchive by "}, actors)
	read, err := s.Application(ctx, f.A.ID, app.Reference)
	noErr(t, "Application", err)
	if read.Actor != "" {
		t.Errorf("the application was stored with actor %q", read.Actor)
	}
}

func testAttachments(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "a@example.com", 1)
	create(t, s, app, nil)
	var docs []*intake.Attachment
	for i := range 3 {
		docs = append(docs, &intake.Attachment{OrgID: f.A.ID, ApplicationID: app.ID, Document: *newDoc(intake.DocAttachment, i)})
	}
	noErr(t, "CreateAttachments", s.CreateAttachments(ctx, f.A.ID, docs))
	for _, d := range docs {
		if d.ID == 0 {
			t.Fatal("CreateAttachments left an id 0")
		}
	}
	got, total, err := s.Attachments(ctx, f.A.ID, app.ID, 0, 100)
	noErr(t, "Attachments", err)
	equal(t, "Attachments total", 3, total)
	equal(t, "Attachments", docs, got)
	got, _, err = s.Attachments(ctx, f.A.ID, app.ID, 2, 5)
	noErr(t, "Attachments page", err)
	equal(t, "Attachments page", docs[2:], got)

	foreign := []*intake.Attachment{{OrgID: f.B.ID, ApplicationID: app.ID, Document: *newDoc(intake.DocAttachment, 9)}}
	wantCode(t, "CreateAttachments(other org)", s.CreateAttachments(ctx, f.B.ID, foreign), intake.ENotFound)
	// One bad row stores none of the request's rows.
	mixed := []*intake.Attachment{
		{OrgID: f.A.ID, ApplicationID: app.ID, Document: *newDoc(intake.DocAttachment, 7)},
		{OrgID: f.A.ID, ApplicationID: app.ID + 1000, Document: *newDoc(intake.DocAttachment, 8)},
	}
	wantCode(t, "CreateAttachments(partly unknown)", s.CreateAttachments(ctx, f.A.ID, mixed), intake.ENotFound)
	_, total, err = s.Attachments(ctx, f.A.ID, app.ID, 0, 100)
	noErr(t, "Attachments after failure", err)
	equal(t, "Attachments total after a failed create", 3, total)
	got, total, err = s.Attachments(ctx, f.B.ID, app.ID, 0, 100)
	noErr(t, "Attachments(other org)", err)
	equal(t, "Attachments(other org)", 0, total+len(got))
}

func testComments(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "a@example.com", 1)
	create(t, s, app, nil)
	first := &intake.Comment{OrgID: f.A.ID, ApplicationID: app.ID, Author: "ats", AuthorKeyID: f.KeyA.ID,
		Raw: "**Great**", HTML: "<p><strong>Great</strong></p>\n", Source: intake.SourceWelcomeKit, CreatedAt: at(5)}
	first.Record(&intake.Event{OrgID: f.A.ID, Name: intake.EventNewComment, JobID: f.A1.ID, Data: first, CreatedAt: at(5)})
	noErr(t, "CreateComment", s.CreateComment(ctx, first))
	wantEvent(t, s, f.A.ID, intake.EventNewComment, "Raw", "**Great**")
	reply := &intake.Comment{OrgID: f.A.ID, ApplicationID: app.ID, Author: "ats", Raw: "yes", HTML: "<p>yes</p>\n",
		Private: true, ReplyTo: first.ID, File: newDoc(intake.DocAttachment, 6), Source: intake.SourceFlatchr, CreatedAt: at(6)}
	reply.File.SourceURL = ""
	noErr(t, "CreateComment(reply)", s.CreateComment(ctx, reply))
	got, err := s.Comments(ctx, f.A.ID, app.ID)
	noErr(t, "Comments", err)
	equal(t, "Comments", []*intake.Comment{first, reply}, got)

	bad := &intake.Comment{OrgID: f.A.ID, ApplicationID: app.ID, Raw: "x", HTML: "x", ReplyTo: reply.ID + 100, CreatedAt: at(7)}
	wantCode(t, "CreateComment(unknown reply_to)", s.CreateComment(ctx, bad), intake.ENotFound)
	foreign := &intake.Comment{OrgID: f.B.ID, ApplicationID: app.ID, Raw: "x", HTML: "x", CreatedAt: at(7)}
	wantCode(t, "CreateComment(other org)", s.CreateComment(ctx, foreign), intake.ENotFound)
	got, err = s.Comments(ctx, f.B.ID, app.ID)
	noErr(t, "Comments(other org)", err)
	equal(t, "Comments(other org)", []*intake.Comment{}, got)

	_, err = s.DeleteComment(ctx, f.B.ID, app.ID, first.ID)
	wantCode(t, "DeleteComment(other org)", err, intake.ENotFound)
	deleted, err := s.DeleteComment(ctx, f.A.ID, app.ID, reply.ID)
	noErr(t, "DeleteComment", err)
	equal(t, "DeleteComment returns the comment", reply, deleted)
	_, err = s.DeleteComment(ctx, f.A.ID, app.ID, reply.ID)
	wantCode(t, "DeleteComment(again)", err, intake.ENotFound)
	got, err = s.Comments(ctx, f.A.ID, app.ID)
	noErr(t, "Comments after delete", err)
	equal(t, "Comments after delete", []*intake.Comment{first}, got)
}

func testMessages(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "a@example.com", 1)
	create(t, s, app, nil)
	m := &intake.Message{OrgID: f.A.ID, ApplicationID: app.ID, Author: "ats", AuthorKeyID: f.KeyA.ID,
		FromEmail: "hr@acme.test", To: []string{"a@example.com", "b@example.com"}, Subject: "Hello", Body: "Hi there",
		Source: intake.SourceWelcomeKit, Sending: intake.Sending{Status: intake.SendPending}, CreatedAt: at(5)}
	m.Record(&intake.Event{OrgID: f.A.ID, Name: intake.EventNewMessage, JobID: f.A1.ID, Data: m, CreatedAt: at(5)})
	noErr(t, "CreateMessage", s.CreateMessage(ctx, m))
	wantEvent(t, s, f.A.ID, intake.EventNewMessage, "ID", fmt.Sprint(m.ID))
	html := &intake.Message{OrgID: f.A.ID, ApplicationID: app.ID, To: []string{"a@example.com"}, Subject: "S",
		Body: "<p>x</p>", HTML: true, Source: intake.SourceFlatchr,
		Sending: intake.Sending{Status: intake.SendNotSent, Error: "no SMTP server"}, CreatedAt: at(6)}
	noErr(t, "CreateMessage(html)", s.CreateMessage(ctx, html))
	sent := intake.Sending{Status: intake.SendSent, SentAt: ptr(at(7))}
	noErr(t, "SetMessageDelivery", s.SetMessageDelivery(ctx, f.A.ID, m.ID, sent))
	wantCode(t, "SetMessageDelivery(other org)", s.SetMessageDelivery(ctx, f.B.ID, m.ID, sent), intake.ENotFound)
	m.Sending = sent
	got, total, err := s.Messages(ctx, f.A.ID, app.ID, 0, 100)
	noErr(t, "Messages", err)
	equal(t, "Messages total", 2, total)
	equal(t, "Messages", []*intake.Message{m, html}, got)
	got, _, err = s.Messages(ctx, f.A.ID, app.ID, 1, 1)
	noErr(t, "Messages page", err)
	equal(t, "Messages page", []*intake.Message{html}, got)
	foreign := &intake.Message{OrgID: f.B.ID, ApplicationID: app.ID, To: []string{"x@example.com"}, Subject: "S", Body: "B",
		Sending: intake.Sending{Status: intake.SendNotSent}, CreatedAt: at(8)}
	wantCode(t, "CreateMessage(other org)", s.CreateMessage(ctx, foreign), intake.ENotFound)
	got, total, err = s.Messages(ctx, f.B.ID, app.ID, 0, 100)
	noErr(t, "Messages(other org)", err)
	equal(t, "Messages(other org)", 0, total+len(got))
}

func testTraits(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "a@example.com", 1)
	create(t, s, app, nil)
	level := &intake.Tag{Key: "5gQayv9L1Qp6LXE4", Title: "Niveau", Values: []string{"Bac +3", "Bac +5"}, Visible: true, Type: "candidates", Position: ptr(1)}
	skills := &intake.Tag{Key: "SkillsTagKey0001", Title: "Skills", Values: []string{"Go"}, Multiple: true, Creatable: true, Type: "candidates"}
	noErr(t, "SaveTags", s.SaveTags(ctx, f.A.ID, []*intake.Tag{skills, level}))
	level.Title = "Niveau d'études"
	noErr(t, "SaveTags(again)", s.SaveTags(ctx, f.A.ID, []*intake.Tag{level}))
	tags, err := s.Tags(ctx, f.A.ID)
	noErr(t, "Tags", err)
	equal(t, "Tags by position, updated by key", []*intake.Tag{
		{ID: level.ID, OrgID: f.A.ID, Key: level.Key, Title: "Niveau d'études", Values: level.Values, Visible: true, Type: "candidates", Position: ptr(1)},
		{ID: skills.ID, OrgID: f.A.ID, Key: skills.Key, Title: "Skills", Values: []string{"Go"}, Multiple: true, Creatable: true, Type: "candidates"},
	}, tags)
	tags, err = s.Tags(ctx, f.B.ID)
	noErr(t, "Tags(other org)", err)
	equal(t, "Tags(other org)", []*intake.Tag{}, tags)

	trait := func(tag *intake.Tag, value, key string, n int) *intake.Trait {
		return &intake.Trait{Key: key, OrgID: f.A.ID, ApplicationID: app.ID, TagID: tag.ID, Value: value, CreatedAt: at(n)}
	}
	t1 := trait(level, "Bac +3", "TraitKey00000001", 10)
	noErr(t, "SetTrait", s.SetTrait(ctx, t1, false, false))
	t2 := trait(level, "Bac +5", "TraitKey00000002", 11)
	noErr(t, "SetTrait(replace)", s.SetTrait(ctx, t2, false, false))
	t3 := trait(skills, "Rust", "TraitKey00000003", 12)
	noErr(t, "SetTrait(new value)", s.SetTrait(ctx, t3, true, true))
	t4 := trait(skills, "Go", "TraitKey00000004", 13)
	noErr(t, "SetTrait(multiple)", s.SetTrait(ctx, t4, true, false))
	again := trait(skills, "Go", "TraitKey00000005", 14)
	noErr(t, "SetTrait(same value)", s.SetTrait(ctx, again, true, false))
	equal(t, "SetTrait(same value) returns the stored trait", t4, again)
	got, err := s.Traits(ctx, f.A.ID, app.ID)
	noErr(t, "Traits", err)
	equal(t, "Traits", []*intake.Trait{t2, t3, t4}, got)
	tags, err = s.Tags(ctx, f.A.ID)
	noErr(t, "Tags after a created value", err)
	equal(t, "created value joins the tag", []string{"Go", "Rust"}, tags[1].Values)

	foreign := &intake.Trait{Key: "TraitKey00000009", OrgID: f.B.ID, ApplicationID: app.ID, TagID: level.ID, Value: "Bac +3", CreatedAt: at(20)}
	wantCode(t, "SetTrait(other org)", s.SetTrait(ctx, foreign, false, false), intake.ENotFound)
	got, err = s.Traits(ctx, f.B.ID, app.ID)
	noErr(t, "Traits(other org)", err)
	equal(t, "Traits(other org)", []*intake.Trait{}, got)
}

func testActivityBlobs(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "a@example.com", 1)
	create(t, s, app, nil)
	doc := &intake.Attachment{OrgID: f.A.ID, ApplicationID: app.ID, Document: *newDoc(intake.DocAttachment, 1)}
	noErr(t, "CreateAttachments", s.CreateAttachments(ctx, f.A.ID, []*intake.Attachment{doc}))
	c := &intake.Comment{OrgID: f.A.ID, ApplicationID: app.ID, Raw: "x", HTML: "x", File: newDoc(intake.DocAttachment, 2), CreatedAt: at(2)}
	noErr(t, "CreateComment", s.CreateComment(ctx, c))
	got, err := s.ReferencedBlobs(ctx, []string{doc.BlobKey, c.File.BlobKey, "unknown"})
	noErr(t, "ReferencedBlobs", err)
	equal(t, "ReferencedBlobs", map[string]bool{doc.BlobKey: true, c.File.BlobKey: true}, got)
}

// wantEvent checks that the outbox holds one event of name, written with
// the row (its payload encodes what was stored, ids included).
func wantEvent(t *testing.T, s intake.Store, orgID int64, name intake.EventName, key, value string) {
	t.Helper()
	events, err := s.Events(t.Context(), intake.EventFilter{OrgID: orgID, Names: []intake.EventName{name}, Limit: 10})
	noErr(t, "Events", err)
	if len(events) != 1 {
		t.Fatalf("%d %s events, want 1", len(events), name)
	}
	var payload map[string]any
	noErr(t, "decode payload", json.Unmarshal(events[0].Payload, &payload))
	if got := fmt.Sprint(payload[key]); got != value {
		t.Errorf("%s payload %s = %q, want %q", name, key, got, value)
	}
}
