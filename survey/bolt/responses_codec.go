package bolt

import (
	"encoding/binary"
	"errors"
	"hailong/survey"
	"time"

	"github.com/google/uuid"
)

// The binary layout of a stored response, version 1. Compact on purpose:
// a kiosk response is ~30 bytes (SPEC budget: ≤ 200 bytes on disk).
//
//	byte    format (1)
//	byte    channel
//	byte    flags
//	byte    presence bits (see has*)
//	uvarint survey id, survey version, unit id
//	uvarint counter, staff, procedure, kiosk ids   (each only if present)
//	varint  received − submitted, in milliseconds
//	bytes   answers: one nibble per criterion of the version, 0xF = unanswered
//	uvarint reasons bitmask over the version's reasons
//	facts   uvarint count, then one byte each: index<<4 | option   (if present)
//	16      idempotency UUID (if present; not written since the idem bucket holds it)
//	string  dossier code, comment: uvarint length + bytes        (each if present)
const formatV1 = 1

const (
	hasID byte = 1 << iota
	hasCounter
	hasStaff
	hasProcedure
	hasKiosk
	hasDossier
	hasComment
	hasFacts
)

const unanswered = 0xF

var errCorrupt = errors.New("corrupt response record")

// rec is a response with interned ids, as encoded.
type rec struct {
	channel, flags                   byte
	svy, version, unit               uint32
	counter, staff, procedure, kiosk uint32
	submitted, received              int64  // ns
	answers                          []byte // per criterion of the version: NA, 1..5 or unanswered
	reasons                          uint64
	facts                            []byte // index<<4 | option
	id                               [16]byte
	hasID                            bool
	dossier, comment                 string
}

func (r *rec) encode(buf []byte) []byte {
	var bits byte
	if r.hasID {
		bits |= hasID
	}
	for _, p := range []struct {
		v   uint32
		bit byte
	}{{r.counter, hasCounter}, {r.staff, hasStaff}, {r.procedure, hasProcedure}, {r.kiosk, hasKiosk}} {
		if p.v != 0 {
			bits |= p.bit
		}
	}
	if r.dossier != "" {
		bits |= hasDossier
	}
	if r.comment != "" {
		bits |= hasComment
	}
	if len(r.facts) > 0 {
		bits |= hasFacts
	}
	buf = append(buf, formatV1, r.channel, r.flags, bits)
	buf = binary.AppendUvarint(buf, uint64(r.svy))
	buf = binary.AppendUvarint(buf, uint64(r.version))
	buf = binary.AppendUvarint(buf, uint64(r.unit))
	for _, v := range []uint32{r.counter, r.staff, r.procedure, r.kiosk} {
		if v != 0 {
			buf = binary.AppendUvarint(buf, uint64(v))
		}
	}
	buf = binary.AppendVarint(buf, (r.received-r.submitted)/int64(time.Millisecond))
	for i := 0; i < len(r.answers); i += 2 {
		b := r.answers[i] << 4
		if i+1 < len(r.answers) {
			b |= r.answers[i+1]
		} else {
			b |= unanswered
		}
		buf = append(buf, b)
	}
	buf = binary.AppendUvarint(buf, r.reasons)
	if len(r.facts) > 0 {
		buf = binary.AppendUvarint(buf, uint64(len(r.facts)))
		buf = append(buf, r.facts...)
	}
	if r.hasID {
		buf = append(buf, r.id[:]...)
	}
	for _, s := range []string{r.dossier, r.comment} {
		if s != "" {
			buf = binary.AppendUvarint(buf, uint64(len(s)))
			buf = append(buf, s...)
		}
	}
	return buf
}

// decodeRec decodes v; ncrit returns the number of criteria of a survey
// version (0 if unknown). Strings are copied out of v.
func decodeRec(key, v []byte, ncrit func(svy, version uint32) int) (*rec, error) {
	if len(v) < 4 || v[0] != formatV1 || len(key) != 8 {
		return nil, errCorrupt
	}
	r := &rec{channel: v[1], flags: v[2], submitted: int64(binary.BigEndian.Uint64(key))}
	bits := v[3]
	p := v[4:]
	uv := func() uint32 {
		x, n := binary.Uvarint(p)
		if n <= 0 {
			p = nil
			return 0
		}
		p = p[n:]
		return uint32(x)
	}
	r.svy, r.version, r.unit = uv(), uv(), uv()
	for _, f := range []struct {
		dst *uint32
		bit byte
	}{{&r.counter, hasCounter}, {&r.staff, hasStaff}, {&r.procedure, hasProcedure}, {&r.kiosk, hasKiosk}} {
		if bits&f.bit != 0 {
			*f.dst = uv()
		}
	}
	d, n := binary.Varint(p)
	if n <= 0 {
		return nil, errCorrupt
	}
	p = p[n:]
	r.received = r.submitted + d*int64(time.Millisecond)
	nc := ncrit(r.svy, r.version)
	if nc == 0 || len(p) < (nc+1)/2 {
		return nil, errCorrupt
	}
	r.answers = make([]byte, nc)
	for i := 0; i < nc; i++ {
		b := p[i/2]
		if i%2 == 0 {
			r.answers[i] = b >> 4
		} else {
			r.answers[i] = b & 0xF
		}
	}
	if err := decodeTail(r, bits, p[(nc+1)/2:]); err != nil {
		return nil, err
	}
	return r, nil
}

// decodeTail decodes what follows the answers: reasons, then the optional
// TT 01 facts, UUID, dossier code and comment.
func decodeTail(r *rec, bits byte, p []byte) error {
	rs, n := binary.Uvarint(p)
	if n <= 0 {
		return errCorrupt
	}
	p, r.reasons = p[n:], rs
	if bits&hasFacts != 0 {
		c, n := binary.Uvarint(p)
		if n <= 0 || uint64(len(p)-n) < c {
			return errCorrupt
		}
		r.facts = append([]byte(nil), p[n:n+int(c)]...)
		p = p[n+int(c):]
	}
	if bits&hasID != 0 {
		if len(p) < 16 {
			return errCorrupt
		}
		copy(r.id[:], p)
		r.hasID = true
		p = p[16:]
	}
	for _, f := range []struct {
		dst *string
		bit byte
	}{{&r.dossier, hasDossier}, {&r.comment, hasComment}} {
		if bits&f.bit != 0 {
			l, n := binary.Uvarint(p)
			if n <= 0 || uint64(len(p)-n) < l {
				return errCorrupt
			}
			*f.dst = string(p[n : n+int(l)])
			p = p[n+int(l):]
		}
	}
	if p == nil {
		return errCorrupt
	}
	return nil
}

// toRec converts a validated response into its interned form.
func toRec(r *survey.Response, sv *survey.Survey, td *txDict) (*rec, error) {
	out := &rec{channel: byte(r.Channel), flags: byte(r.Flags), version: uint32(sv.Version),
		submitted: r.SubmittedAt.UnixNano(), received: r.ReceivedAt.UnixNano(),
		dossier: r.Dossier, comment: r.Comment}
	var err error
	ids := []struct {
		dst  *uint32
		kind byte
		name string
	}{{&out.svy, kindSurvey, r.Survey}, {&out.unit, kindUnit, r.Unit}, {&out.counter, kindCounter, r.Counter},
		{&out.staff, kindStaff, r.Staff}, {&out.procedure, kindProcedure, r.Procedure}, {&out.kiosk, kindKiosk, r.Kiosk}}
	for _, x := range ids {
		if *x.dst, err = td.id(x.kind, x.name); err != nil {
			return nil, err
		}
	}
	out.answers = make([]byte, len(sv.Criteria))
	for i, c := range sv.Criteria {
		out.answers[i] = unanswered
		if v, ok := r.Answers[c.Key]; ok {
			out.answers[i] = byte(v)
		}
	}
	for _, k := range r.Reasons {
		out.reasons |= 1 << uint(sv.Reason(k))
	}
	for i, f := range sv.Facts {
		if v, ok := r.Facts[f.Key]; ok {
			out.facts = append(out.facts, byte(i)<<4|byte(v))
		}
	}
	// The idempotency UUID lives only in the idem bucket (16 bytes saved per
	// record); the hasID layout is kept for records that carry one.
	return out, nil
}

// toResponse converts a decoded record back to a Response.
func (db *DB) toResponse(key uint64, r *rec, sv *survey.Survey) *survey.Response {
	d := db.dict
	out := &survey.Response{Key: key, Survey: d.name(kindSurvey, r.svy), Version: int(r.version),
		Channel: survey.Channel(r.channel), Flags: survey.Flags(r.flags),
		Unit: d.name(kindUnit, r.unit), Counter: d.name(kindCounter, r.counter), Staff: d.name(kindStaff, r.staff),
		Procedure: d.name(kindProcedure, r.procedure), Kiosk: d.name(kindKiosk, r.kiosk),
		Dossier: r.dossier, Comment: r.comment,
		SubmittedAt: time.Unix(0, r.submitted), ReceivedAt: time.Unix(0, r.received),
		Answers: map[string]int{}}
	if r.hasID {
		out.ID = uuid.UUID(r.id).String()
	}
	for i, a := range r.answers {
		if a != unanswered && i < len(sv.Criteria) {
			out.Answers[sv.Criteria[i].Key] = int(a)
		}
	}
	for i := range sv.Reasons {
		if r.reasons&(1<<uint(i)) != 0 {
			out.Reasons = append(out.Reasons, sv.Reasons[i].Key)
		}
	}
	if len(r.facts) > 0 {
		out.Facts = map[string]int{}
		for _, f := range r.facts {
			if i := int(f >> 4); i < len(sv.Facts) {
				out.Facts[sv.Facts[i].Key] = int(f & 0xF)
			}
		}
	}
	return out
}
