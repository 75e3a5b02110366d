// Package qr draws the QR codes that hang at service windows (001 (四): 在所有线下实体窗口配置政务服务
// “好差评”二维码), as PNG for printing shops and as SVG for the printable sheet of a hall, from a URL.
//
// The codes are encoded with github.com/skip2/go-qrcode at recovery level High (about 30% of a code
// may be smudged or covered and it still reads), with the standard four-module quiet zone. The SVG is
// drawn from the same module bitmap, one path of horizontal runs, so both forms carry the same code.
//
// The package is pure and keeps no state.
package qr
