package attach

import (
	"mime"
	"strings"
	"unicode/utf8"
)

// MaxMetaBytes bounds each piece of upload metadata (a name, a Content-Disposition header).
const MaxMetaBytes = 2048

// Meta is what an upload says about itself besides its bytes.
type Meta struct {
	Purpose Purpose
	// Name is the cleaned name ([CleanName]); [DefaultName] when none was given.
	Name string
}

// ParseMeta reads an upload's metadata: the purpose (wire value or Chinese label; empty is
// [PurposeGeneral]), and the file name from name or, when that is empty, from a Content-Disposition
// header's filename* (RFC 5987, UTF-8) or filename parameter. Each is at most [MaxMetaBytes]; the
// errors are [*MetaError]s naming the field.
func ParseMeta(purpose, name, contentDisposition string) (Meta, error) {
	m := Meta{Purpose: PurposeGeneral}
	if purpose != "" {
		p, err := ParsePurpose(purpose)
		if err != nil {
			return Meta{}, &MetaError{Field: "purpose", Reason: err.Error()}
		}
		m.Purpose = p
	}
	if len(name) > MaxMetaBytes {
		return Meta{}, &MetaError{Field: "name", Reason: "longer than 2048 bytes"}
	}
	if !utf8.ValidString(name) {
		return Meta{}, &MetaError{Field: "name", Reason: "not UTF-8"}
	}
	if name == "" && strings.TrimSpace(contentDisposition) != "" {
		if len(contentDisposition) > MaxMetaBytes {
			return Meta{}, &MetaError{Field: "Content-Disposition", Reason: "longer than 2048 bytes"}
		}
		_, params, err := mime.ParseMediaType(contentDisposition)
		if err != nil {
			return Meta{}, &MetaError{Field: "Content-Disposition", Reason: "not a disposition with a filename parameter"}
		}
		name = params["filename"] // mime decodes filename* (RFC 2231) into filename
		if !utf8.ValidString(name) {
			return Meta{}, &MetaError{Field: "Content-Disposition", Reason: "the filename is not UTF-8"}
		}
	}
	m.Name = CleanName(name)
	return m, nil
}
