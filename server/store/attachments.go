package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/ticket"
)

// What attachments are attached to.
const (
	SubjectTicket = "ticket" // a ticket, and its replies
	SubjectCase   = "case"   // an appeal, an objection or a reconsideration
)

// files is the store's attachment configuration.
type files struct {
	policy  attach.Policy
	blobs   attach.BlobStore // nil: the database
	scanner attach.Scanner
}

func (s *Store) setFiles(opts Options) error {
	pol := attach.Shanghai()
	if opts.Attachments != nil {
		if err := opts.Attachments.Validate(); err != nil {
			return fmt.Errorf("%w: attachment policy: %w", ErrInvalid, err)
		}
		pol = *opts.Attachments
		pol.Types = slices.Clone(pol.Types)
		pol.Required = slices.Clone(pol.Required)
	}
	sc := opts.Scanner
	if sc == nil {
		sc = attach.NoScanner{}
	}
	s.files = files{policy: pol, blobs: opts.Blobs, scanner: sc}
	return nil
}

// AttachmentPolicy returns the attachment policy the store applies.
func (s *Store) AttachmentPolicy() attach.Policy { return s.files.policy }

// Scanner returns the virus scanner uploads pass through (attach.NoScanner when none is configured).
func (s *Store) Scanner() attach.Scanner { return s.files.scanner }

// BlobStoreName says where attachments' bytes are kept: "database" or the configured store's name.
func (s *Store) BlobStoreName() string { return s.blobStore(time.Time{}).Name() }

func (s *Store) blobStore(now time.Time) attach.BlobStore {
	if s.files.blobs != nil {
		return s.files.blobs
	}
	return dbBlobs{s: s, now: now}
}

type attachmentRow struct {
	bun.BaseModel  `bun:"table:attachments,alias:a"`
	ID             string `bun:"id,pk"`
	SubjectKind    string `bun:"subject_kind"`
	SubjectID      string `bun:"subject_id"`
	SubjectVersion int64  `bun:"subject_version"`
	Purpose        string `bun:"purpose"`
	Name           string `bun:"name"`
	MediaType      string `bun:"media_type"`
	Size           int64  `bun:"size"`
	Digest         []byte `bun:"digest"`
	UnitID         string `bun:"unit_id"`
	Actor          string `bun:"actor"`
	CreatedUS      int64  `bun:"created_us"`
}

// Attachment is a file attached to a ticket or a case, as stored: never its bytes.
type Attachment struct {
	ID          string
	SubjectKind string // SubjectTicket or SubjectCase
	SubjectID   string
	// SubjectVersion is the subject's version when the file was attached: an attachment for a reply
	// is one attached since the previous reply.
	SubjectVersion int64
	Purpose        attach.Purpose
	// Name is the cleaned file name, with the extension of its type; for a caller who does not handle
	// the subject, a name made of the purpose and the id (a file name may carry a citizen's name).
	Name  string
	Type  string
	Size  int64
	Sum   attach.Sum
	Unit  string
	Actor string
	// Created is when the file was attached.
	Created time.Time
}

func (r attachmentRow) attachment() (Attachment, error) {
	a := Attachment{ID: r.ID, SubjectKind: r.SubjectKind, SubjectID: r.SubjectID, SubjectVersion: r.SubjectVersion,
		Purpose: attach.Purpose(r.Purpose), Name: r.Name, Type: r.MediaType, Size: r.Size, Unit: r.UnitID, Actor: r.Actor,
		Created: fromMicros(r.CreatedUS)}
	if len(r.Digest) != len(a.Sum) {
		return Attachment{}, &CorruptError{Table: "attachments", Key: r.ID, Err: errors.New("digest is not an SM3 sum")}
	}
	copy(a.Sum[:], r.Digest)
	return a, nil
}

// maskedName is the name shown to a caller outside the case: purpose, id, and the type's extension.
func (a Attachment) maskedName() string {
	short := a.ID
	if len(short) > 8 {
		short = short[len(short)-8:]
	}
	return attach.NameFor(a.Purpose.Label()+"-"+short, a.Type)
}

// access is what a principal may do with the attachments of one subject.
type access struct {
	version int64 // the subject's version now
	see     bool  // list them (names masked unless full)
	full    bool  // download them, and attach files
	upload  bool
}

// ticketHandlers is the part of a ticket's snapshot access needs.
type ticketHandlers struct {
	Assignment ticket.Assignment `json:"assignment"`
}

// subjectAccess resolves what p may do with the attachments of subject kind/id: nothing at all (the
// subject does not exist for p: ErrNotFound), see the list, or handle them. A ticket's attachments
// are handled by those who handle the ticket — its hotline office, its units, the system — and only
// listed, with masked names, for supervisors and auditors, who see the ticket masked: a stamped
// report names the citizen (000 第十条). A case's are handled by everyone who sees the case but
// auditors.
func (s *Store) subjectAccess(ctx context.Context, db bun.IDB, p Principal, kind, id string) (access, error) {
	switch kind {
	case SubjectTicket:
		sc, err := s.scopeOf(ctx, db, p)
		if err != nil {
			return access{}, err
		}
		var row ticketRow
		err = db.NewSelect().Model(&row).Column("id", "region_code", "version", "snapshot").Where("id = ?", id).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return access{}, fmt.Errorf("%w: ticket %s", ErrNotFound, id)
		}
		if err != nil {
			return access{}, err
		}
		var h ticketHandlers
		if err := json.Unmarshal(row.Snapshot, &h); err != nil {
			return access{}, &CorruptError{Table: "tickets", Key: id + " snapshot", Err: err}
		}
		t := &ticket.Ticket{Assignment: h.Assignment}
		if !sc.sees(row.RegionCode, handlers(t)) {
			return access{}, fmt.Errorf("%w: ticket %s", ErrNotFound, id)
		}
		full := p.Role == RoleHotlineOffice || p.Role == RoleHandlingUnit || p.Role == RoleSystem
		return access{version: row.Version, see: true, full: full, upload: full}, nil
	case SubjectCase:
		var row caseRow
		err := db.NewSelect().Model(&row).Column("id", "unit_id", "version").Where("id = ?", id).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return access{}, fmt.Errorf("%w: case %s", ErrNotFound, id)
		}
		if err != nil {
			return access{}, err
		}
		ok, err := s.caseVisible(ctx, db, p, row)
		if err != nil {
			return access{}, err
		}
		if !ok {
			return access{}, fmt.Errorf("%w: case %s", ErrNotFound, id)
		}
		full := p.Role != RoleAuditor
		upload := p.Role == RoleHotlineOffice || p.Role == RoleHandlingUnit || p.Role == RoleSystem
		return access{version: row.Version, see: true, full: full, upload: upload}, nil
	}
	return access{}, fmt.Errorf("%w: attachments belong to a %q or a %q, not %q", ErrInvalid, SubjectTicket, SubjectCase, clipArg(kind))
}

func clipArg(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// AttachRequest is a file to attach.
type AttachRequest struct {
	SubjectKind string // SubjectTicket or SubjectCase
	SubjectID   string
	Purpose     attach.Purpose
	// Name is the file name as given; it is cleaned and given the extension of the sniffed type.
	Name string
	// Body is the file's bytes, read once.
	Body io.Reader
}

// Attach stores a file for a ticket or a case. Whether p may attach to the subject is checked before
// the body is read; the body is then streamed once through the policy (sniffed type, size limit, SM3
// sum, virus scanner) into the blob store, and the attachment row and its audit entry — the sum, size,
// type and purpose, never the content or the name — are written in one transaction.
func (s *Store) Attach(ctx context.Context, p Principal, req AttachRequest, now time.Time) (Attachment, error) {
	if err := p.validate(); err != nil {
		return Attachment{}, err
	}
	if !req.Purpose.Valid() {
		return Attachment{}, fmt.Errorf("%w: purpose %q is not one of %v", ErrInvalid, clipArg(string(req.Purpose)), attach.Purposes())
	}
	if req.Body == nil || now.IsZero() {
		return Attachment{}, fmt.Errorf("%w: an attachment needs a body and a time", ErrInvalid)
	}
	acc, err := s.subjectAccess(ctx, s.db, p, req.SubjectKind, req.SubjectID)
	if err != nil {
		return Attachment{}, err
	}
	if !acc.upload {
		return Attachment{}, forbidden(p, "attach files to "+req.SubjectKind+" "+req.SubjectID)
	}
	blob, err := s.files.policy.Ingest(ctx, req.Body, s.blobStore(now), s.files.scanner)
	if err != nil {
		return Attachment{}, err
	}
	row := attachmentRow{ID: newID(), SubjectKind: req.SubjectKind, SubjectID: req.SubjectID, Purpose: string(req.Purpose),
		Name: attach.NameFor(req.Name, blob.Type), MediaType: blob.Type, Size: blob.Size, Digest: blob.Sum[:],
		UnitID: p.Unit, Actor: p.Actor, CreatedUS: micros(now)}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		acc, err := s.subjectAccess(ctx, tx, p, req.SubjectKind, req.SubjectID)
		if err != nil {
			return err
		}
		row.SubjectVersion = acc.version
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "attachment.upload", req.SubjectID, "attachment="+row.ID,
			"subject="+req.SubjectKind, "sm3="+blob.Sum.String(), fmt.Sprintf("size=%d", blob.Size), "type="+blob.Type,
			"purpose="+string(req.Purpose), "role="+string(p.Role), "unit="+p.Unit)
	})
	if err != nil {
		return Attachment{}, err
	}
	return row.attachment()
}

// Attachments lists the attachments of a subject p may see, oldest first. Masked reports that p does
// not handle the subject: the names are then made of the purpose and the id.
func (s *Store) Attachments(ctx context.Context, p Principal, kind, id string) (list []Attachment, masked bool, err error) {
	if err := p.validate(); err != nil {
		return nil, false, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		acc, err := s.subjectAccess(ctx, tx, p, kind, id)
		if err != nil {
			return err
		}
		var rows []attachmentRow
		if err := tx.NewSelect().Model(&rows).Where("subject_kind = ? AND subject_id = ?", kind, id).
			Order("created_us ASC", "id ASC").Scan(ctx); err != nil {
			return err
		}
		masked = !acc.full
		list = make([]Attachment, 0, len(rows))
		for _, r := range rows {
			a, err := r.attachment()
			if err != nil {
				return err
			}
			if masked {
				a.Name = a.maskedName()
			}
			list = append(list, a)
		}
		return nil
	})
	return list, masked, err
}

// OpenAttachment returns attachment id and a reader of its bytes, verified against its SM3 sum as
// they are read, if p handles its subject; the download is audited (the sum, never the content)
// before the reader is returned. Someone who sees the subject but does not handle it is refused
// (ErrForbidden); for anyone else the attachment does not exist (ErrNotFound). The caller closes the
// reader.
func (s *Store) OpenAttachment(ctx context.Context, p Principal, id string, now time.Time) (Attachment, io.ReadCloser, error) {
	if err := p.validate(); err != nil {
		return Attachment{}, nil, err
	}
	var row attachmentRow
	err := s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Attachment{}, nil, fmt.Errorf("%w: attachment %s", ErrNotFound, id)
	}
	if err != nil {
		return Attachment{}, nil, err
	}
	a, err := row.attachment()
	if err != nil {
		return Attachment{}, nil, err
	}
	acc, err := s.subjectAccess(ctx, s.db, p, row.SubjectKind, row.SubjectID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Attachment{}, nil, fmt.Errorf("%w: attachment %s", ErrNotFound, id)
		}
		return Attachment{}, nil, err
	}
	if !acc.full {
		return Attachment{}, nil, forbidden(p, "download attachments of "+row.SubjectKind+" "+row.SubjectID+
			" (they may carry the citizen's identity: only those handling it download them, 000 第十条)")
	}
	r, err := s.blobStore(now).Open(ctx, a.Sum)
	if err != nil {
		if errors.Is(err, attach.ErrNotFound) {
			return Attachment{}, nil, &CorruptError{Table: "attachments", Key: id, Err: err}
		}
		return Attachment{}, nil, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.appendAudit(ctx, tx, now, p.Actor, "attachment.download", row.SubjectID, "attachment="+id,
			"subject="+row.SubjectKind, "sm3="+a.Sum.String(), fmt.Sprintf("size=%d", a.Size), "role="+string(p.Role), "unit="+p.Unit)
	})
	if err != nil {
		_ = r.Close()
		return Attachment{}, nil, err
	}
	return a, attach.Verified(r, a.Sum), nil
}

// requireTicketAttachments refuses a ticket action that lacks an attachment the policy requires: the
// facts are the action, whether the ticket is a 国办 item, and the purposes of the files attached
// since the previous event of the same action (a redo after a reopening needs its own stamped
// report). Apply calls it, in its transaction, once the lifecycle has accepted the action.
func (s *Store) requireTicketAttachments(ctx context.Context, db bun.IDB, id string, t *ticket.Ticket, ev ticket.Event) error {
	action := string(ev.Action)
	if !s.files.policy.Requires(attach.SubjectTicket, action) {
		return nil
	}
	var traits []attach.Trait
	if t.Channel.StateCouncil() {
		traits = append(traits, attach.TraitStateCouncil)
	}
	since := 0
	for _, e := range t.History {
		if e.Seq < ev.Seq && e.Action == ev.Action {
			since = e.Seq
		}
	}
	var present []attach.Purpose
	if err := db.NewSelect().Model((*attachmentRow)(nil)).Distinct().Column("purpose").
		Where("subject_kind = ? AND subject_id = ? AND subject_version >= ?", SubjectTicket, id, since).Scan(ctx, &present); err != nil {
		return err
	}
	return s.files.policy.Check(attach.Facts{Subject: attach.SubjectTicket, Action: action, Traits: traits, Present: present})
}

// Evidence references that name stored attachments.
const (
	RefAttachment = "attachment:" // attachment:<id>
	RefSum        = "sm3:"        // sm3:<64 hex digits>, a file attached to the ticket
)

// requireCaseAttachments refuses the filing of a case whose references name attachments that are not
// there, or that lacks an attachment the policy requires (attach.AppealEvidenceOnFile: an appeal's
// evidence, 000 第六条 (一)). An appeal's evidence references of the form attachment:<id> or sm3:<sum>
// must name files attached to the appeal's ticket, and their purposes are what is present; a family
// whose request carries no references counts the files its unit attached to the ticket.
func (s *Store) requireCaseAttachments(ctx context.Context, p Principal, family string, req any) error {
	subject := attach.Subject(family)
	required := s.files.policy.Requires(subject, "file")
	var ticketID string
	var refs []string
	byUnit := true
	switch q := req.(type) {
	case appeal.Request:
		ticketID, refs, byUnit = q.Ticket.ID, q.Evidence, false
	case appeal.ObjectionRequest:
		ticketID = q.Ticket.ID
	case appeal.ReconsiderationRequest:
		ticketID = q.Ticket.ID
	}
	named := slices.ContainsFunc(refs, func(r string) bool {
		return strings.HasPrefix(r, RefAttachment) || strings.HasPrefix(r, RefSum)
	})
	if !required && !named {
		return nil
	}
	q := s.db.NewSelect().Model((*attachmentRow)(nil)).Column("id", "purpose", "digest").
		Where("subject_kind = ? AND subject_id = ?", SubjectTicket, ticketID)
	if byUnit {
		q = q.Where("unit_id = ?", p.Unit)
	}
	var rows []attachmentRow
	if err := q.Scan(ctx, &rows); err != nil {
		return err
	}
	var present []attach.Purpose
	if byUnit {
		for _, r := range rows {
			present = append(present, attach.Purpose(r.Purpose))
		}
	}
	for i, ref := range refs {
		var match func(attachmentRow) bool
		switch {
		case strings.HasPrefix(ref, RefAttachment):
			want := strings.TrimPrefix(ref, RefAttachment)
			match = func(r attachmentRow) bool { return r.ID == want }
		case strings.HasPrefix(ref, RefSum):
			sum, err := attach.ParseSum(strings.TrimPrefix(ref, RefSum))
			if err != nil {
				return fmt.Errorf("%w: evidence[%d]: %v", ErrInvalid, i, err)
			}
			match = func(r attachmentRow) bool { return string(r.Digest) == string(sum[:]) }
		default:
			continue // a document number or a URL: evidence, but not an attachment
		}
		j := slices.IndexFunc(rows, match)
		if j < 0 {
			return &EvidenceError{Index: i, Ticket: ticketID}
		}
		present = append(present, attach.Purpose(rows[j].Purpose))
	}
	return s.files.policy.Check(attach.Facts{Subject: subject, Action: "file", Present: present})
}

// EvidenceError reports an evidence reference naming an attachment that is not attached to the
// appeal's ticket. It wraps attach.ErrMissing: the evidence is not there yet.
type EvidenceError struct {
	Index  int
	Ticket string
}

func (e *EvidenceError) Error() string {
	return fmt.Sprintf("store: evidence[%d] names an attachment that is not attached to ticket %s: attach it to the ticket first", e.Index, e.Ticket)
}

func (e *EvidenceError) Unwrap() error { return attach.ErrMissing }
