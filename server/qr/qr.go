package qr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"
)

// ErrInvalid is wrapped by every refusal: empty or oversized content, a size out of range.
var ErrInvalid = errors.New("qr: invalid request")

// MaxContent bounds the content of a code, in bytes: a window's URL is far shorter, and a longer one
// makes a code too dense to scan from a printed sheet.
const MaxContent = 512

// Bounds of a PNG's side, in pixels.
const (
	MinSize = 64
	MaxSize = 2048
)

func encode(content string) (*qrcode.QRCode, error) {
	switch {
	case content == "":
		return nil, fmt.Errorf("%w: empty content", ErrInvalid)
	case len(content) > MaxContent:
		return nil, fmt.Errorf("%w: content of %d bytes, at most %d", ErrInvalid, len(content), MaxContent)
	case !utf8.ValidString(content):
		return nil, fmt.Errorf("%w: content is not valid UTF-8", ErrInvalid)
	}
	q, err := qrcode.New(content, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return q, nil
}

// PNG returns content's code as a PNG image size pixels square (MinSize–MaxSize).
func PNG(content string, size int) ([]byte, error) {
	if size < MinSize || size > MaxSize {
		return nil, fmt.Errorf("%w: size %d outside %d–%d", ErrInvalid, size, MinSize, MaxSize)
	}
	q, err := encode(content)
	if err != nil {
		return nil, err
	}
	return q.PNG(size)
}

// SVG returns content's code as a standalone SVG image: a white square of one unit per module (quiet
// zone included) and one black path; it scales to whatever size the page gives it.
func SVG(content string) ([]byte, error) {
	q, err := encode(content)
	if err != nil {
		return nil, err
	}
	bm := q.Bitmap()
	n := strconv.Itoa(len(bm))
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + ` ` + n + `" shape-rendering="crispEdges" role="img" aria-label="二维码">`)
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}
