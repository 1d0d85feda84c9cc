package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hailong/survey"
	"time"
)

// Dossiers are stored in a compact binary layout (format 1): every dashboard
// reads a period's dossiers to count timeliness, and JSON decoding was most
// of that time. Values written before schema 4 are JSON (they start with
// '{'); migration 4 rewrites them, and decodeDossier still reads both.
//
//	byte    format (1)
//	string  code, unit, procedure, staff           (uvarint length + bytes)
//	varint  received, due, finished, token expiry   (Unix ns; 0 = zero time)
//	uvarint supplement days
//	string  token hash
//	byte    answered (bit 0), negative (bit 1: its response has a negative
//	        answer; records written before it have 0 or 1 and read unchanged)
const dossierFormat1 = 1

func encodeDossier(d *survey.Dossier) []byte {
	b := make([]byte, 0, 64+len(d.Code)+len(d.Unit)+len(d.Procedure)+len(d.Staff)+len(d.TokenHash))
	b = append(b, dossierFormat1)
	for _, s := range []string{d.Code, d.Unit, d.Procedure, d.Staff} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, t := range []time.Time{d.ReceivedAt, d.DueAt, d.FinishedAt, d.TokenExpires} {
		var ns int64
		if !t.IsZero() {
			ns = t.UnixNano()
		}
		b = binary.AppendVarint(b, ns)
	}
	b = binary.AppendUvarint(b, uint64(d.SupplementDays))
	b = binary.AppendUvarint(b, uint64(len(d.TokenHash)))
	b = append(b, d.TokenHash...)
	var bits byte
	if d.Answered {
		bits |= 1
	}
	if d.Negative {
		bits |= 2
	}
	return append(b, bits)
}

var errDossier = fmt.Errorf("corrupt dossier record")

// decodeDossier fills d from a stored value (binary or legacy JSON).
func decodeDossier(v []byte, d *survey.Dossier) error {
	*d = survey.Dossier{}
	if len(v) > 0 && v[0] == '{' {
		return json.Unmarshal(v, d)
	}
	if len(v) == 0 || v[0] != dossierFormat1 {
		return errDossier
	}
	p := v[1:]
	str := func() (string, bool) {
		n, k := binary.Uvarint(p)
		if k <= 0 || uint64(len(p)-k) < n {
			return "", false
		}
		s := string(p[k : k+int(n)])
		p = p[k+int(n):]
		return s, true
	}
	for _, dst := range []*string{&d.Code, &d.Unit, &d.Procedure, &d.Staff} {
		s, ok := str()
		if !ok {
			return errDossier
		}
		*dst = s
	}
	for _, dst := range []*time.Time{&d.ReceivedAt, &d.DueAt, &d.FinishedAt, &d.TokenExpires} {
		ns, k := binary.Varint(p)
		if k <= 0 {
			return errDossier
		}
		p = p[k:]
		if ns != 0 {
			*dst = time.Unix(0, ns).UTC()
		}
	}
	n, k := binary.Uvarint(p)
	if k <= 0 {
		return errDossier
	}
	d.SupplementDays, p = int(n), p[k:]
	h, ok := str()
	if !ok || len(p) != 1 {
		return errDossier
	}
	if h != "" {
		d.TokenHash = []byte(h)
	}
	if p[0] > 3 {
		return errDossier
	}
	d.Answered, d.Negative = p[0]&1 != 0, p[0]&2 != 0
	return nil
}
