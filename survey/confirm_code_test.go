package survey

import (
	"strings"
	"testing"
)

// TestConfirmCodes: a code reads back to its entry as people type it, and a
// code with one character changed, under another key, or too short is
// refused.
func TestConfirmCodes(t *testing.T) {
	c := ConfirmCodes{Key: []byte("khoá-của-tỉnh")}
	for _, seq := range []uint64{1, 31, 32, 1 << 20, 1<<26 - 1, 1 << 26, 1<<40 - 1} {
		code := c.Code(seq)
		if len(strings.ReplaceAll(code, "-", "")) < codeMinLen {
			t.Fatalf("Code(%d) = %q: shorter than %d", seq, code, codeMinLen)
		}
		typed := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(code, "-", " "), "0", "o"))
		for _, in := range []string{code, typed, strings.ReplaceAll(code, "1", "l")} {
			if got, ok := c.Parse(in); !ok || got != seq {
				t.Fatalf("Parse(%q) = %d, %v; want %d (code %q)", in, got, ok, seq, code)
			}
		}
		b := []byte(code)
		i := len(b) - 1
		b[i] = crockford[(strings.IndexByte(crockford, b[i])+1)%32]
		if _, ok := c.Parse(string(b)); ok {
			t.Fatalf("Parse(%q) accepted a code with its last character changed (from %q)", b, code)
		}
		if _, ok := (ConfirmCodes{Key: []byte("khoá-khác")}).Parse(code); ok {
			t.Fatalf("a code of one installation is accepted by another: %q", code)
		}
	}
	for _, seq := range []uint64{0, 1 << 40} {
		if code := c.Code(seq); code != "" {
			t.Fatalf("Code(%d) = %q, want none", seq, code)
		}
	}
	for _, in := range []string{"", "00K7Q", "00K7Q-2M9XU", "!!!!!-!!!!!", strings.Repeat("Z", 14)} {
		if _, ok := c.Parse(in); ok {
			t.Fatalf("Parse(%q) accepted", in)
		}
	}
}
