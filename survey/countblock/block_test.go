package countblock

import (
	"reflect"
	"testing"
)

// TestRoundTrip: a block merged from deltas encodes and decodes to the same
// cells, in order, without zero cells; a merge below zero is refused.
func TestRoundTrip(t *testing.T) {
	deltas := map[Cell]*Hist{
		{Sub: 7, Svy: 1, Crit: 300, Channel: 4, Flags: 7, Scale: 5}: {0, 1, 0, 0, 0, 1 << 40},
		{Svy: 1, Channel: 1}:                          {2, 3},
		{Sub: 2, Svy: 1, Crit: 3, Scale: ReasonScale}: {0, 1},
		{Sub: 9, Svy: 2, Crit: 1, Scale: 3}:           {},
	}
	b, err := Block(nil).Merged(deltas)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 3 || !b[0].C.Less(b[1].C) || !b[1].C.Less(b[2].C) {
		t.Fatalf("merged block %v: want 3 sorted non-zero cells", b)
	}
	got, err := DecodeMem(b.Encode(nil))
	if err != nil || !reflect.DeepEqual(got, b) {
		t.Fatalf("decoded %v, %v; want %v", got, err, b)
	}
	again, err := got.Merged(map[Cell]*Hist{{Svy: 1, Channel: 1}: {-2, -3}})
	if err != nil || len(again) != 2 {
		t.Fatalf("subtracting a cell to zero: %v, %v", again, err)
	}
	if _, err := got.Merged(map[Cell]*Hist{{Svy: 1, Channel: 1}: {-3}}); err == nil {
		t.Fatal("a negative count was accepted")
	}
	if _, err := DecodeMem(b.Encode(nil)[:5]); err != ErrCorrupt {
		t.Fatalf("a cut block: %v, want ErrCorrupt", err)
	}
	if Block(nil).Encode(nil) != nil {
		t.Fatal("an empty block encodes as bytes")
	}
}
