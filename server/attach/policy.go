package attach

import (
	"fmt"
	"io"
	"mime"
	"slices"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/internal/strictjson"
)

// Purpose is what an attachment is for. The store records it with the file; a [Requirement] names
// the purpose an act needs.
type Purpose string

// The purposes.
const (
	PurposeGeneral        Purpose = "general"         // 附件
	PurposeStampedReport  Purpose = "stamped_report"  // 审核盖章的办结报告 (000 第四条 (三))
	PurposeEvidence       Purpose = "evidence"        // 举证材料 (000 第六条 (一))
	PurposeDefence        Purpose = "defence"         // 书面申辩 (000 第六条 (一))
	PurposeObjectionBasis Purpose = "objection_basis" // 异议依据 (000 第七条 (一))
)

var purposes = enum.New("attach.Purpose", ErrInvalidEnum,
	enum.Value[Purpose]{V: PurposeGeneral, Label: "附件"},
	enum.Value[Purpose]{V: PurposeStampedReport, Label: "审核盖章的办结报告"},
	enum.Value[Purpose]{V: PurposeEvidence, Label: "举证材料"},
	enum.Value[Purpose]{V: PurposeDefence, Label: "书面申辩"},
	enum.Value[Purpose]{V: PurposeObjectionBasis, Label: "异议依据"},
)

// Purposes returns every Purpose in display order.
func Purposes() []Purpose { return purposes.All() }

// ParsePurpose returns the Purpose whose wire value or Chinese label is s.
func ParsePurpose(s string) (Purpose, error) { return purposes.Parse(s) }

func (p Purpose) String() string { return string(p) }

// Label returns the Chinese label.
func (p Purpose) Label() string { return purposes.Label(p) }

// Valid reports whether p is one of the declared values.
func (p Purpose) Valid() bool { return purposes.Valid(p) }

// UnmarshalText accepts the wire value or the label and refuses anything else.
func (p *Purpose) UnmarshalText(b []byte) (err error) { *p, err = purposes.Unmarshal(b); return err }

// Subject is the kind of record an act is on.
type Subject string

// The subjects.
const (
	SubjectTicket          Subject = "ticket"          // 工单
	SubjectAppeal          Subject = "appeal"          // 差评申诉
	SubjectObjection       Subject = "objection"       // 差评确责异议
	SubjectReconsideration Subject = "reconsideration" // 复查复核
)

var subjects = enum.New("attach.Subject", ErrInvalidEnum,
	enum.Value[Subject]{V: SubjectTicket, Label: "工单"},
	enum.Value[Subject]{V: SubjectAppeal, Label: "差评申诉"},
	enum.Value[Subject]{V: SubjectObjection, Label: "差评确责异议"},
	enum.Value[Subject]{V: SubjectReconsideration, Label: "复查复核"},
)

// Subjects returns every Subject in display order.
func Subjects() []Subject { return subjects.All() }

// ParseSubject returns the Subject whose wire value or Chinese label is s.
func ParseSubject(s string) (Subject, error) { return subjects.Parse(s) }

func (s Subject) String() string { return string(s) }

// Label returns the Chinese label.
func (s Subject) Label() string { return subjects.Label(s) }

// Valid reports whether s is one of the declared values.
func (s Subject) Valid() bool { return subjects.Valid(s) }

// UnmarshalText accepts the wire value or the label and refuses anything else.
func (s *Subject) UnmarshalText(b []byte) (err error) { *s, err = subjects.Unmarshal(b); return err }

// Trait is a condition of the record an act is on that a [Requirement] may depend on.
type Trait string

// The traits.
const (
	// TraitStateCouncil: the ticket is a 国办转办 item (000 第四条).
	TraitStateCouncil Trait = "state_council"
)

var traits = enum.New("attach.Trait", ErrInvalidEnum,
	enum.Value[Trait]{V: TraitStateCouncil, Label: "国办转办件"},
)

// Traits returns every Trait in display order.
func Traits() []Trait { return traits.All() }

// ParseTrait returns the Trait whose wire value or Chinese label is s.
func ParseTrait(s string) (Trait, error) { return traits.Parse(s) }

func (t Trait) String() string { return string(t) }

// Label returns the Chinese label.
func (t Trait) Label() string { return traits.Label(t) }

// Valid reports whether t is one of the declared values.
func (t Trait) Valid() bool { return traits.Valid(t) }

// UnmarshalText accepts the wire value or the label and refuses anything else.
func (t *Trait) UnmarshalText(b []byte) (err error) { *t, err = traits.Unmarshal(b); return err }

// Requirement says that an act — Action on a Subject, when the record has every trait of When — needs
// an attachment of Purpose first. Source cites the article.
type Requirement struct {
	Subject Subject `json:"subject"`
	// Action is the act's wire name: a ticket action ("reply", "answer") or an appeal's "file".
	Action  string  `json:"action"`
	When    []Trait `json:"when,omitempty"`
	Purpose Purpose `json:"purpose"`
	Source  string  `json:"source"`
}

// Limits of a policy.
const (
	// MaxMaxBytes is the largest per-file limit a policy may set (1 GiB).
	MaxMaxBytes = 1 << 30
	// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept.
	MaxPolicyBytes = 64 << 10
)

// Policy is what the server accepts and requires, as plain data: the size limit of one file, the
// media types accepted (as [Sniff] names them) and the [Requirement]s. Build one, load one with
// [ParsePolicy], or start from [Shanghai].
type Policy struct {
	Name     string        `json:"name"`
	Version  string        `json:"version,omitempty"`
	MaxBytes int64         `json:"max_bytes"`
	Types    []string      `json:"types"`
	Required []Requirement `json:"required,omitempty"`
}

// Shanghai returns the policy of 000 (沪府办〔2020〕49号): files up to 32 MiB of PDF, OFD (the
// national format for official documents, GB/T 33190), PNG, JPEG, GIF or WebP, and a 国办 item's
// reply needs its stamped conclusion report (000 第四条 (三): 办结报告经本单位分管领导审核盖章，审核文档以
// 附件上传 — the article says the file is uploaded). An appeal's evidence (000 第六条 (一): 提供书面申辩
// 和举证) is not required on file here: the article does not say it is uploaded, and evidence often
// lives in other systems (a call recording's number); the references an appeal makes to attachments
// must resolve all the same. A district that wants every appeal's evidence on file adds
// [AppealEvidenceOnFile] to the policy's Required.
func Shanghai() Policy {
	return Policy{
		Name:     "shanghai",
		Version:  "2020-08-31",
		MaxBytes: 32 << 20,
		Types:    []string{TypePDF, TypeOFD, TypePNG, TypeJPEG, TypeGIF, TypeWebP},
		Required: []Requirement{
			{Subject: SubjectTicket, Action: "reply", When: []Trait{TraitStateCouncil}, Purpose: PurposeStampedReport, Source: "000 §4 (三)"},
		},
	}
}

// AppealEvidenceOnFile is the requirement that a bad-review appeal has its evidence attached before it
// is filed (000 第六条 (一): 提供书面申辩和举证).
func AppealEvidenceOnFile() Requirement {
	return Requirement{Subject: SubjectAppeal, Action: "file", Purpose: PurposeEvidence, Source: "000 §6 (一)"}
}

// Presets returns every preset policy.
func Presets() []Policy { return []Policy{Shanghai()} }

// Preset returns the preset named name, or a [*PolicyError] naming those there are.
func Preset(name string) (Policy, error) {
	var names []string
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Policy{}, &PolicyError{Policy: enum.Clip(name), Field: "name", Reason: "no such preset (have " + strings.Join(names, ", ") + ")"}
}

// Validate reports the first problem of p as a [*PolicyError]: an empty name, a size limit outside
// 1 byte – [MaxMaxBytes], no accepted type, a type that is not a bare media type or names a program,
// a requirement with an unknown subject, purpose or trait, no action or no source.
func (p Policy) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &PolicyError{Policy: enum.Clip(p.Name), Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return bad("name", "must not be empty")
	case len(p.Name) > 64 || len(p.Version) > 64:
		return bad("name", "name and version are at most 64 bytes each")
	case p.MaxBytes < 1 || p.MaxBytes > MaxMaxBytes:
		return bad("max_bytes", "%d outside 1–%d", p.MaxBytes, MaxMaxBytes)
	case len(p.Types) == 0:
		return bad("types", "no media type is accepted")
	case len(p.Types) > 64 || len(p.Required) > 64:
		return bad("types", "at most 64 types and 64 requirements")
	}
	for i, t := range p.Types {
		mt, params, err := mime.ParseMediaType(t)
		switch {
		case err != nil || mt != t || len(params) > 0:
			return bad(fmt.Sprintf("types[%d]", i), "%q is not a bare media type such as application/pdf", enum.Clip(t))
		case slices.Contains(executableTypes, t):
			return bad(fmt.Sprintf("types[%d]", i), "%s is a program and is never accepted", t)
		case slices.Index(p.Types, t) < i:
			return bad(fmt.Sprintf("types[%d]", i), "%s is listed twice", t)
		}
	}
	for i, r := range p.Required {
		f := fmt.Sprintf("required[%d]", i)
		if err := subjects.Check(r.Subject); err != nil {
			return bad(f+".subject", "%v", err)
		}
		if err := purposes.Check(r.Purpose); err != nil {
			return bad(f+".purpose", "%v", err)
		}
		for j, t := range r.When {
			if err := traits.Check(t); err != nil {
				return bad(fmt.Sprintf("%s.when[%d]", f, j), "%v", err)
			}
		}
		switch {
		case strings.TrimSpace(r.Action) == "" || len(r.Action) > 64:
			return bad(f+".action", "must name the act, at most 64 bytes")
		case strings.TrimSpace(r.Source) == "" || len(r.Source) > 200:
			return bad(f+".source", "must cite the article requiring the attachment, at most 200 bytes")
		}
	}
	return nil
}

// Allows reports whether the policy accepts content of media type t.
func (p Policy) Allows(t string) bool { return slices.Contains(p.Types, t) }

// ParsePolicy decodes a policy strictly (internal/strictjson: no unknown, duplicate or case-variant
// keys, no trailing data, at most [MaxPolicyBytes]) and validates it.
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Decode(data, &p, MaxPolicyBytes), malformedPolicy)
}

// ReadPolicy reads at most [MaxPolicyBytes] from r and parses them as [ParsePolicy] does.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Read(r, &p, MaxPolicyBytes), malformedPolicy)
}

func malformedPolicy(err error) error {
	return &PolicyError{Field: "(document)", Reason: err.Error(), malformed: true}
}
