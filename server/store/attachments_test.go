package store

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/internal/xtest"
	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/ticket"
)

// pdfBytes returns a small PDF whose body says what it is.
func pdfBytes(what string) []byte { return []byte("%PDF-1.7\n% " + what + "\n%%EOF\n") }

// elfBytes is the start of a Linux executable.
var elfBytes = append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 120)...)

// intakeAs intakes in (by the office) and returns the ticket id.
func intakeAs(t testing.TB, s *Store, in ticket.Intake, when time.Time) string {
	t.Helper()
	res, err := s.Intake(context.Background(), office, IntakeRequest{Intake: in}, when)
	require.NoError(t, err)
	return res.ID
}

// handledBy intakes a ticket placed in 宝山区 and dispatches it to unit; it returns the ticket's id.
func handledBy(t testing.TB, s *Store, unit string, when time.Time) string {
	t.Helper()
	id := intakeAs(t, s, sampleIntake("工地夜间施工噪声"), when)
	_, err := s.Apply(context.Background(), office, id, 1, dispatch(unit), when.Add(time.Minute))
	require.NoError(t, err)
	return id
}

// attachPDF attaches a small PDF for purpose to ticket id as p.
func attachPDF(t testing.TB, s *Store, p Principal, id string, purpose attach.Purpose, when time.Time) Attachment {
	t.Helper()
	a, err := s.Attach(context.Background(), p, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: purpose,
		Name: "材料.pdf", Body: bytes.NewReader(pdfBytes(string(purpose) + " " + id + " " + when.String()))}, when)
	require.NoError(t, err)
	return a
}

func reply(reviewedBy string) ticket.Request {
	return ticket.Request{Action: ticket.ActionReply, Payload: ticket.Payload{Reply: &ticket.Reply{
		Report: "经核查，已责令工地停止夜间施工。", Summary: "已责令停止夜间施工。", Outcome: ticket.OutcomeResolved, ReviewedBy: reviewedBy}}}
}

func version(t testing.TB, s *Store, id string) int64 {
	t.Helper()
	rec, err := s.Get(context.Background(), office, id)
	require.NoError(t, err)
	return rec.Version
}

// 000 §4 (三): “国办转办投诉建议”办结报告经本单位分管领导审核盖章，审核文档以附件上传 — the reply is
// refused, naming the missing stamped report, until it is attached; a redo after a reopening needs its
// own.
func TestStateCouncilReplyNeedsStampedReport(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		in := sampleIntake("国办转办：噪声投诉")
		in.Channel, in.Upstream = ticket.ChannelStateCouncil, "GB-2026-0001"
		id := intakeAs(t, s, in, at("2026-11-23 09:00"))
		_, err := s.Apply(ctx, office, id, 1, dispatch("unit-a"), at("2026-11-23 09:30"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, unitA, id, 2, ticket.Request{Action: ticket.ActionFirstContact}, at("2026-11-23 10:00"))
		require.NoError(t, err)

		_, err = s.Apply(ctx, unitA, id, 3, reply("分管副主任"), at("2026-11-24 10:00"))
		var me *attach.MissingError
		require.ErrorAs(t, err, &me)
		assert.Equal(t, attach.PurposeStampedReport, me.Purpose)
		assert.Equal(t, "000 §4 (三)", me.Source)
		assert.Equal(t, int64(3), version(t, s, id), "nothing was written")

		attachPDF(t, s, unitA, id, attach.PurposeGeneral, at("2026-11-24 10:01"))
		_, err = s.Apply(ctx, unitA, id, 3, reply("分管副主任"), at("2026-11-24 10:02"))
		require.ErrorIs(t, err, attach.ErrMissing, "a general attachment is not the stamped report")

		attachPDF(t, s, unitA, id, attach.PurposeStampedReport, at("2026-11-24 10:03"))
		res, err := s.Apply(ctx, unitA, id, 3, reply("分管副主任"), at("2026-11-24 10:04"))
		require.NoError(t, err)
		assert.Equal(t, ticket.StateReplied, res.Event.To)

		// Dissatisfied: the redo needs a report stamped after the reopening.
		_, err = s.Apply(ctx, office, id, 4, ticket.Request{Action: ticket.ActionCallback, Payload: ticket.Payload{Callback: &ticket.Callback{
			Contacted: true, Result: ticket.Dissatisfied, Efficiency: ticket.Satisfied, Attitude: ticket.Satisfied}}}, at("2026-11-25 10:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, id, 5, ticket.Request{Action: ticket.ActionReopen}, at("2026-11-25 10:05"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, unitA, id, 6, reply("分管副主任"), at("2026-11-26 10:00"))
		require.ErrorIs(t, err, attach.ErrMissing, "the first reply's report does not cover the redo")
		attachPDF(t, s, unitA, id, attach.PurposeStampedReport, at("2026-11-26 10:01"))
		_, err = s.Apply(ctx, unitA, id, 6, reply("分管副主任"), at("2026-11-26 10:02"))
		require.NoError(t, err)

		// Other tickets reply without attachments.
		other := handledBy(t, s, "unit-a", at("2026-11-23 11:00"))
		_, err = s.Apply(ctx, unitA, other, 2, ticket.Request{Action: ticket.ActionFirstContact}, at("2026-11-23 11:30"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, unitA, other, 3, reply(""), at("2026-11-24 11:00"))
		require.NoError(t, err)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// Only those handling a ticket download its attachments; a unit that does not handle it does not
// even see them; every download is audited with the sum, never the content or the name.
func TestAttachmentScoping(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
		content := pdfBytes("张三的身份证复印件 13812345678")
		a, err := s.Attach(ctx, unitA, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: attach.PurposeEvidence,
			Name: "../张三身份证.exe", Body: bytes.NewReader(content)}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Equal(t, "张三身份证.exe.pdf", a.Name, "cleaned, with the sniffed type's extension")
		assert.Equal(t, attach.TypePDF, a.Type)
		assert.Equal(t, attach.SumOf(content), a.Sum)
		assert.Equal(t, int64(2), a.SubjectVersion)

		for _, p := range []Principal{unitA, office, system} {
			got, r, err := s.OpenAttachment(ctx, p, a.ID, at("2026-11-23 11:00"))
			require.NoError(t, err, p.Role)
			body, err := io.ReadAll(r)
			require.NoError(t, err)
			require.NoError(t, r.Close())
			assert.Equal(t, content, body)
			assert.Equal(t, a.ID, got.ID)
		}
		for _, p := range []Principal{unitB, office2} {
			_, _, err := s.OpenAttachment(ctx, p, a.ID, at("2026-11-23 11:00"))
			assert.ErrorIs(t, err, ErrNotFound, "%s does not handle the ticket", p.Unit)
			_, _, err = s.Attachments(ctx, p, SubjectTicket, id)
			assert.ErrorIs(t, err, ErrNotFound)
			_, err = s.Attach(ctx, p, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: attach.PurposeGeneral,
				Body: bytes.NewReader(pdfBytes("x"))}, at("2026-11-23 11:00"))
			assert.ErrorIs(t, err, ErrNotFound)
		}
		for _, p := range []Principal{superv, auditor} {
			_, _, err := s.OpenAttachment(ctx, p, a.ID, at("2026-11-23 11:00"))
			assert.ErrorIs(t, err, ErrForbidden, "000 第十条: %s sees the ticket masked, so not the file", p.Role)
			list, masked, err := s.Attachments(ctx, p, SubjectTicket, id)
			require.NoError(t, err)
			assert.True(t, masked)
			require.Len(t, list, 1)
			assert.NotContains(t, list[0].Name, "张三")
			assert.True(t, strings.HasSuffix(list[0].Name, ".pdf"))
		}
		_, _, err = s.Attachments(ctx, admin, SubjectTicket, id)
		assert.ErrorIs(t, err, ErrForbidden)
		list, masked, err := s.Attachments(ctx, unitA, SubjectTicket, id)
		require.NoError(t, err)
		assert.False(t, masked)
		require.Len(t, list, 1)
		assert.Equal(t, a.Name, list[0].Name)

		// The chain: uploads and downloads with the sum, no content and no name.
		var rows []auditRow
		require.NoError(t, s.db.NewSelect().Model(&rows).Where("action IN (?, ?)", "attachment.upload", "attachment.download").Scan(ctx))
		assert.Len(t, rows, 4, "one upload, three downloads")
		for _, r := range rows {
			assert.Contains(t, string(r.Fields), "sm3="+a.Sum.String())
			for _, secret := range []string{"张三", "13812345678", "%PDF"} {
				assert.NotContains(t, string(r.Fields), secret)
			}
		}
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// The content decides the type: an executable named .pdf is refused, and nothing of it is kept.
func TestAttachRefusesExecutableNamedPDF(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
		_, err := s.Attach(ctx, unitA, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: attach.PurposeStampedReport,
			Name: "办结报告.pdf", Body: bytes.NewReader(elfBytes)}, at("2026-11-23 10:00"))
		require.ErrorIs(t, err, attach.ErrExecutable)
		for _, tbl := range []string{"attachments", "attachment_blobs", "attachment_chunks"} {
			n, err := s.db.NewSelect().Table(tbl).Count(ctx)
			require.NoError(t, err)
			assert.Zero(t, n, tbl)
		}
		_, err = s.Attach(ctx, unitA, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: attach.PurposeGeneral,
			Name: "page.pdf", Body: strings.NewReader("<html><script>alert(1)</script></html>")}, at("2026-11-23 10:00"))
		require.ErrorIs(t, err, attach.ErrType)
		_, err = s.Attach(ctx, unitA, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: "selfie",
			Body: bytes.NewReader(pdfBytes("x"))}, at("2026-11-23 10:00"))
		require.ErrorIs(t, err, ErrInvalid)
	})
}

// A 20 MB upload streams into the database in chunks and back out: the heap never grows by as much
// as the file, so it is never held whole (let alone twice).
func TestAttach20MBStreams(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
		const size = 20 << 20
		var a Attachment
		peak := xtest.PeakHeap(func() {
			var err error
			a, err = s.Attach(ctx, unitA, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: attach.PurposeEvidence,
				Name: "录像截图合集.pdf", Body: &xtest.Stream{Head: pdfBytes("stream"), N: size}}, at("2026-11-23 10:00"))
			require.NoError(t, err)
		})
		t.Logf("%s: a %d-byte upload grew the heap by at most %d bytes", s.dialect, size, peak)
		assert.Equal(t, int64(size), a.Size)
		assert.Less(t, peak, uint64(size), "the upload must stream, not sit in memory")

		var chunks int
		require.NoError(t, s.db.NewSelect().Model((*chunkRow)(nil)).ColumnExpr("COUNT(*)").Scan(ctx, &chunks))
		assert.Equal(t, size/chunkSize, chunks)

		var n int64
		peak = xtest.PeakHeap(func() {
			_, r, err := s.OpenAttachment(ctx, unitA, a.ID, at("2026-11-23 11:00"))
			require.NoError(t, err)
			n, err = io.Copy(io.Discard, r)
			require.NoError(t, err, "the sum checks at the end")
			require.NoError(t, r.Close())
		})
		t.Logf("%s: the download grew the heap by at most %d bytes", s.dialect, peak)
		assert.Equal(t, int64(size), n)
		assert.Less(t, peak, uint64(size))

		// The same bytes again are stored once.
		_, err := s.Attach(ctx, unitA, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: attach.PurposeEvidence,
			Body: &xtest.Stream{Head: pdfBytes("stream"), N: size}}, at("2026-11-23 12:00"))
		require.NoError(t, err)
		blobs, err := s.db.NewSelect().Table("attachment_blobs").Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, blobs)
		require.NoError(t, s.db.NewSelect().Model((*chunkRow)(nil)).ColumnExpr("COUNT(*)").Scan(ctx, &chunks))
		assert.Equal(t, size/chunkSize, chunks, "the second copy's chunks were dropped")
	})
}

// A blob cut short at rest is never passed on as good.
func TestAttachmentCorruptBlob(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
		a := attachPDF(t, s, unitA, id, attach.PurposeGeneral, at("2026-11-23 10:00"))
		_, err := s.db.NewUpdate().Model((*chunkRow)(nil)).Set("data = ?", pdfBytes("forged")).Where("n = 0").Exec(ctx)
		require.NoError(t, err)
		_, r, err := s.OpenAttachment(ctx, unitA, a.ID, at("2026-11-23 11:00"))
		require.NoError(t, err)
		_, err = io.ReadAll(r)
		assert.ErrorIs(t, err, attach.ErrCorrupt)
	})
}

// A district keeps the bytes in a directory instead of the database.
func TestAttachToDirectory(t *testing.T) {
	dir, err := attach.NewDir(t.TempDir())
	require.NoError(t, err)
	opts := testOptions(t)
	opts.Blobs = dir
	s, err := Open(context.Background(), t.TempDir()+"/h.db", opts)
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	seedUnits(t, s)
	assert.Equal(t, "filesystem", s.BlobStoreName())
	id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
	a := attachPDF(t, s, unitA, id, attach.PurposeGeneral, at("2026-11-23 10:00"))
	n, err := s.db.NewSelect().Table("attachment_chunks").Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	_, r, err := s.OpenAttachment(ctx, office, a.ID, at("2026-11-23 11:00"))
	require.NoError(t, err)
	body, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, attach.SumOf(body), a.Sum)
}

func TestPurgeStagedBlobs(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
		attachPDF(t, s, unitA, id, attach.PurposeGeneral, at("2026-11-23 10:00"))
		// An upload cut off by a crash leaves chunks no blob names.
		w, err := dbBlobs{s: s, now: at("2026-11-23 10:00")}.Create(ctx)
		require.NoError(t, err)
		_, err = w.Write(make([]byte, chunkSize+1))
		require.NoError(t, err)
		_, err = s.PurgeStagedBlobs(ctx, unitA, at("2026-11-24 10:00"), at("2026-11-24 10:00"))
		require.ErrorIs(t, err, ErrForbidden)
		n, err := s.PurgeStagedBlobs(ctx, system, at("2026-11-24 10:00"), at("2026-11-24 10:00"))
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		left, err := s.db.NewSelect().Table("attachment_chunks").Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, left, "the committed blob stays")
	})
}

// 000 §6 (一): an appeal's evidence references name attachments of its ticket, by id or by sum, and
// must resolve; under a policy with attach.AppealEvidenceOnFile an appeal is refused until one of
// them is an evidence file.
func TestAppealEvidenceReferences(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		s.files.policy.Required = append(s.files.policy.Required, attach.AppealEvidenceOnFile())
		id := handledBy(t, s, "unit-b", at("2026-11-16 09:00"))
		other := handledBy(t, s, "unit-b", at("2026-11-16 09:10"))
		onOther := attachPDF(t, s, unitB, other, attach.PurposeEvidence, at("2026-11-17 09:00"))
		req := appealRequest(id, "unit-b", at("2026-11-16 09:00"))
		by := appealActor("unit-b")

		req.Evidence = []string{RefAttachment + onOther.ID}
		_, err := s.FileAppeal(ctx, unitB, req, by, at("2026-11-18 09:00"))
		var ee *EvidenceError
		require.ErrorAs(t, err, &ee, "evidence attached to another ticket does not count")
		assert.Equal(t, 0, ee.Index)

		req.Evidence = []string{"录音-20261128-01"}
		_, err = s.FileAppeal(ctx, unitB, req, by, at("2026-11-18 09:00"))
		require.ErrorIs(t, err, attach.ErrMissing, "a reference to a recording elsewhere is not evidence on file")

		req.Evidence = []string{"sm3:nothex"}
		_, err = s.FileAppeal(ctx, unitB, req, by, at("2026-11-18 09:00"))
		require.ErrorIs(t, err, ErrInvalid)

		defence := attachPDF(t, s, unitB, id, attach.PurposeDefence, at("2026-11-17 09:00"))
		req.Evidence = []string{RefAttachment + defence.ID}
		_, err = s.FileAppeal(ctx, unitB, req, by, at("2026-11-18 09:00"))
		require.ErrorIs(t, err, attach.ErrMissing, "a defence is not evidence")

		ev := attachPDF(t, s, unitB, id, attach.PurposeEvidence, at("2026-11-17 09:05"))
		req.Evidence = []string{"执法记录仪编号 A-12", RefSum + ev.Sum.String()}
		rec, err := s.FileAppeal(ctx, unitB, req, by, at("2026-11-18 09:00"))
		require.NoError(t, err)

		// After filing, the case carries attachments of its own, for those who see the case.
		more, err := s.Attach(ctx, unitB, AttachRequest{SubjectKind: SubjectCase, SubjectID: rec.ID, Purpose: attach.PurposeEvidence,
			Name: "补充.pdf", Body: bytes.NewReader(pdfBytes("补充"))}, at("2026-11-19 09:00"))
		require.NoError(t, err)
		_, _, err = s.OpenAttachment(ctx, unitA, more.ID, at("2026-11-19 10:00"))
		assert.ErrorIs(t, err, ErrNotFound)
		_, r, err := s.OpenAttachment(ctx, superv, more.ID, at("2026-11-19 10:00"))
		require.NoError(t, err)
		require.NoError(t, r.Close())
	})
}

// An attachment policy is data: a district's own replaces the preset, and a bad one is refused at
// Open.
func TestAttachmentPolicyOption(t *testing.T) {
	opts := testOptions(t)
	bad := attach.Shanghai()
	bad.MaxBytes = 0
	opts.Attachments = &bad
	_, err := Open(context.Background(), t.TempDir()+"/h.db", opts)
	require.ErrorIs(t, err, ErrInvalid)

	small := attach.Shanghai()
	small.MaxBytes = 64
	small.Required = nil
	opts.Attachments = &small
	s, err := Open(context.Background(), t.TempDir()+"/h.db", opts)
	require.NoError(t, err)
	defer s.Close()
	seedUnits(t, s)
	id := handledBy(t, s, "unit-a", at("2026-11-23 09:00"))
	_, err = s.Attach(context.Background(), unitA, AttachRequest{SubjectKind: SubjectTicket, SubjectID: id, Purpose: attach.PurposeGeneral,
		Body: bytes.NewReader(append(pdfBytes("x"), make([]byte, 64)...))}, at("2026-11-23 10:00"))
	require.ErrorIs(t, err, attach.ErrTooLarge)
	assert.Equal(t, attach.NoScannerName, s.Scanner().Name())
	js, _ := json.Marshal(s.AttachmentPolicy())
	assert.Contains(t, string(js), `"max_bytes":64`)
}

func appealRequest(ticketID, unit string, received time.Time) appeal.Request {
	return appeal.Request{
		Ticket:   appeal.TicketRef{ID: ticketID, UnitID: unit, ReceivedAt: received},
		ReviewID: "R1", Ground: appeal.GroundMalicious, Defence: "评价与办理无关",
		Reviewer: appeal.Reviewer{Unit: "dcj", Level: appeal.ReviewerDistrict},
	}
}

func appealActor(unit string) appeal.Actor {
	return appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: unit}
}

// Under the default policy an appeal names its evidence as it likes; references to attachments must
// resolve all the same.
func TestAppealEvidenceDefault(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id := handledBy(t, s, "unit-b", at("2026-11-16 09:00"))
		req := appealRequest(id, "unit-b", at("2026-11-16 09:00"))
		req.Evidence = []string{"录音-20261128-01", RefAttachment + "no-such-file"}
		_, err := s.FileAppeal(ctx, unitB, req, appealActor("unit-b"), at("2026-11-18 09:00"))
		var ee *EvidenceError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, 1, ee.Index)
		req.Evidence = []string{"录音-20261128-01"}
		_, err = s.FileAppeal(ctx, unitB, req, appealActor("unit-b"), at("2026-11-18 09:00"))
		require.NoError(t, err)
	})
}
