package secure

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// The environment variables LoadKeys reads.
const (
	EnvKey     = "HOTLINE_KEY"
	EnvKeyFile = "HOTLINE_KEY_FILE"
)

// maxKeyFileBytes bounds what LoadKeys reads from a key file: 64 digits and some whitespace.
const maxKeyFileBytes = 1024

// LoadKeys reads the master key from HOTLINE_KEY (64 hexadecimal digits) or from the file named by
// HOTLINE_KEY_FILE (the same digits, surrounding whitespace ignored; refused when group or others have
// any permission on it) and returns NewKeys of it. Neither set is ErrNoKey; both set, or a malformed
// key, is a *KeyError.
func LoadKeys(getenv func(string) string) (Keys, error) {
	if getenv == nil {
		return Keys{}, ErrNotConfigured
	}
	value, file := getenv(EnvKey), getenv(EnvKeyFile)
	var master []byte
	var err error
	switch {
	case value != "" && file != "":
		return Keys{}, &KeyError{Source: EnvKey + " and " + EnvKeyFile, Reason: "both are set; set one"}
	case value != "":
		master, err = decodeMaster(EnvKey, value)
	case file != "":
		master, err = readKeyFile(file)
	default:
		return Keys{}, ErrNoKey
	}
	if err != nil {
		return Keys{}, err
	}
	defer clear(master)
	return NewKeys(master)
}

func readKeyFile(name string) ([]byte, error) {
	source := fmt.Sprintf("%s %q", EnvKeyFile, name)
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		reason := err.Error()
		if errors.As(err, &pe) {
			reason = pe.Err.Error()
		}
		return nil, &KeyError{Source: source, Reason: "cannot open: " + reason}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, &KeyError{Source: source, Reason: "cannot stat"}
	}
	if !info.Mode().IsRegular() {
		return nil, &KeyError{Source: source, Reason: "not a regular file"}
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, &KeyError{Source: source, Reason: fmt.Sprintf("mode %04o gives group or others access; chmod 600 it", perm)}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	if err != nil {
		return nil, &KeyError{Source: source, Reason: "cannot read"}
	}
	defer clear(data)
	if len(data) > maxKeyFileBytes {
		return nil, &KeyError{Source: source, Reason: fmt.Sprintf("larger than %d bytes", maxKeyFileBytes)}
	}
	return decodeMaster(source, string(data))
}

// decodeMaster decodes 64 hexadecimal digits. Its errors never quote the input.
func decodeMaster(source, s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) != 2*MasterKeySize {
		return nil, &KeyError{Source: source, Reason: fmt.Sprintf("want %d hexadecimal digits (%d bytes), got %d characters", 2*MasterKeySize, MasterKeySize, len(s))}
	}
	out := make([]byte, MasterKeySize)
	for i := range out {
		hi, ok1 := fromHex(s[2*i])
		lo, ok2 := fromHex(s[2*i+1])
		if !ok1 || !ok2 {
			pos := 2*i + 1
			if ok1 {
				pos++
			}
			clear(out)
			return nil, &KeyError{Source: source, Reason: fmt.Sprintf("character %d is not a hexadecimal digit", pos)}
		}
		out[i] = hi<<4 | lo
	}
	return out, nil
}

func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
