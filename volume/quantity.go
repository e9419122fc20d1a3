package volume

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// Quantity is an exact storage amount in the Kubernetes quantity syntax
// ("2Gi", "500M", "1.5", "1e3"). Its zero value is zero and counts as "not
// set" for validation.
//
// A Quantity keeps its value exactly: integral values that fit in an int64
// use a fast path (one integer comparison); anything else (fractions such
// as 1500m, or decimal values beyond int64 such as 800E) is kept as the
// decimal digits of the value in units of 10^-9, which compare exactly and
// without allocation. Values are rounded up to 10^-9 when parsed, as
// apimachinery's resource.ParseQuantity does.
type Quantity struct {
	i   int64 // the value when !big
	big bool  // the value does not fit the fast path; see x
	// x holds what the fast path does not need, so that a Quantity stays
	// small inside the structs the search scans. Nil for the zero value.
	x *qext
}

type qext struct {
	neg   bool   // the value is negative (big form only)
	nanos string // decimal digits of |value|*10^9, no leading zeros (big form only)
	s     string // the text it was parsed from
}

func (q Quantity) neg() bool {
	return q.x != nil && q.x.neg
}

func (q Quantity) nanos() string {
	if q.x == nil {
		return ""
	}
	return q.x.nanos
}

func (q Quantity) text() string {
	if q.x == nil {
		return ""
	}
	return q.x.s
}

func withText(q Quantity, s string) Quantity {
	if q.x == nil {
		q.x = &qext{s: s}
	} else {
		x := *q.x
		x.s = s
		q.x = &x
	}
	return q
}

// Errors returned by ParseQuantity.
var (
	ErrQuantityFormat  = errors.New("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
	ErrQuantitySuffix  = errors.New("unable to parse quantity's suffix")
	ErrQuantityNumeric = errors.New("unable to parse quantity's numeric part")
)

// maxExponent bounds decimal exponents (suffix plus e<n>) so that a hostile
// string cannot make the parser build astronomically large numbers.
// Kubernetes accepts larger exponents; no storage amount comes near this.
const maxExponent = 1000

var maxInt64Big = big.NewInt(1<<63 - 1)

// Bytes returns the quantity of n bytes.
func Bytes(n int64) Quantity { return Quantity{i: n, x: &qext{s: strconv.FormatInt(n, 10)}} }

// MustParseQuantity is ParseQuantity that panics on a malformed string; for
// tests, examples and constants.
func MustParseQuantity(s string) Quantity {
	q, err := ParseQuantity(s)
	if err != nil {
		panic("volume.MustParseQuantity(" + strconv.Quote(s) + "): " + err.Error())
	}
	return q
}

// ParseQuantity parses the Kubernetes quantity syntax: an optional sign,
// digits with an optional fraction ("1.", ".5"; no digits at all reads as
// zero), then one suffix: binary
// Ki..Ei, decimal n u m k M G T P E, or an exponent e<int>/E<int>. The value
// is rounded up to 10^-9 (a non-zero value never becomes zero); binary-suffixed
// values are capped at 2^63-1 bytes, decimal ones are not.
func ParseQuantity(str string) (Quantity, error) {
	if str == "" {
		return Quantity{}, ErrQuantityFormat
	}
	pos := 0
	neg := false
	if str[0] == '+' || str[0] == '-' {
		neg = str[0] == '-'
		pos++
	}
	numStart := pos
	for pos < len(str) && str[pos] >= '0' && str[pos] <= '9' {
		pos++
	}
	num := str[numStart:pos]
	frac := ""
	if pos < len(str) && str[pos] == '.' {
		pos++
		fs := pos
		for pos < len(str) && str[pos] >= '0' && str[pos] <= '9' {
			pos++
		}
		frac = str[fs:pos]
	}
	suffix := str[pos:]
	// Without digits the number is zero, as apimachinery reads it: "Gi",
	// ".", "+" and "-" all parse as 0; only the empty string is refused.
	exp, binary, ok := interpretSuffix(suffix)
	if !ok {
		return Quantity{}, ErrQuantitySuffix
	}

	// mantissa = num.frac as an integer, value = mantissa * 10^(-len(frac)) * mult.
	digits := strings.TrimLeft(num+frac, "0")
	if digits == "" {
		return Quantity{x: &qext{s: str}}, nil
	}
	m, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return Quantity{}, ErrQuantityNumeric
	}
	scale := -len(frac) // power of ten applied to m
	if binary {
		m.Lsh(m, uint(exp))
	} else {
		scale += exp
	}
	// nanos = ceil(m * 10^(scale+9))
	shift := scale + 9
	if shift > maxExponent+40 || shift < -maxExponent-40-len(digits) {
		return Quantity{}, ErrQuantityNumeric
	}
	if shift >= 0 {
		m.Mul(m, pow10(shift))
	} else {
		d := pow10(-shift)
		var r big.Int
		m.QuoRem(m, d, &r)
		if r.Sign() != 0 {
			m.Add(m, big.NewInt(1))
		}
	}
	if binary {
		// Binary amounts are capped at the largest int64 (in whole units).
		capNanos := new(big.Int).Mul(maxInt64Big, pow10(9))
		if m.Cmp(capNanos) > 0 {
			m = capNanos
		}
	}
	return fromNanos(m, neg, str), nil
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

var bigBillion = big.NewInt(1_000_000_000)

// fromNanos builds a Quantity from |value|*10^9 (m >= 0) and a sign.
func fromNanos(m *big.Int, neg bool, s string) Quantity {
	if m.Sign() == 0 {
		return Quantity{x: &qext{s: s}}
	}
	var q, r big.Int
	q.QuoRem(m, bigBillion, &r)
	if r.Sign() == 0 && q.IsInt64() {
		v := q.Int64()
		if neg {
			v = -v
		}
		return Quantity{i: v, x: &qext{s: s}}
	}
	return Quantity{big: true, x: &qext{neg: neg, nanos: m.String(), s: s}}
}

// interpretSuffix returns the exponent of a quantity suffix and whether it
// is a power of two (binary) or of ten.
func interpretSuffix(s string) (exp int, binary, ok bool) {
	switch s {
	case "":
		return 0, false, true
	case "Ki":
		return 10, true, true
	case "Mi":
		return 20, true, true
	case "Gi":
		return 30, true, true
	case "Ti":
		return 40, true, true
	case "Pi":
		return 50, true, true
	case "Ei":
		return 60, true, true
	case "n":
		return -9, false, true
	case "u":
		return -6, false, true
	case "m":
		return -3, false, true
	case "k":
		return 3, false, true
	case "M":
		return 6, false, true
	case "G":
		return 9, false, true
	case "T":
		return 12, false, true
	case "P":
		return 15, false, true
	case "E":
		return 18, false, true
	}
	if len(s) > 1 && (s[0] == 'e' || s[0] == 'E') {
		n, err := strconv.ParseInt(s[1:], 10, 64)
		if err != nil || n > maxExponent || n < -maxExponent {
			return 0, false, false
		}
		return int(n), false, true
	}
	return 0, false, false
}

// String returns the text the quantity was parsed from, or its value in
// bytes for one built by Bytes; "0" for the zero value.
func (q Quantity) String() string {
	if t := q.text(); t != "" {
		return t
	}
	if !q.big {
		return strconv.FormatInt(q.i, 10)
	}
	return q.decimal()
}

// decimal renders a big-form value as a plain decimal number.
func (q Quantity) decimal() string {
	n := q.nanos()
	for len(n) < 10 {
		n = "0" + n
	}
	ip, fp := n[:len(n)-9], strings.TrimRight(n[len(n)-9:], "0")
	s := ip
	if fp != "" {
		s += "." + fp
	}
	if q.neg() {
		s = "-" + s
	}
	return s
}

// IsSet reports whether q was parsed or built (as opposed to the zero value).
func (q Quantity) IsSet() bool { return q.x != nil || q.big || q.i != 0 }

// Sign returns -1, 0 or +1.
func (q Quantity) Sign() int {
	switch {
	case q.big && q.neg():
		return -1
	case q.big:
		return 1
	case q.i < 0:
		return -1
	case q.i > 0:
		return 1
	}
	return 0
}

// Int64 returns the value in whole units when it is an integer that fits an
// int64, and false otherwise (fractions, values beyond int64).
func (q Quantity) Int64() (int64, bool) { return q.i, !q.big }

// Cmp compares two quantities exactly: -1 if q < r, 0 if equal, +1 if q > r.
// It does not allocate.
func (q Quantity) Cmp(r Quantity) int {
	if !q.big && !r.big {
		switch {
		case q.i < r.i:
			return -1
		case q.i > r.i:
			return 1
		}
		return 0
	}
	qs, rs := q.Sign(), r.Sign()
	if qs != rs {
		if qs < rs {
			return -1
		}
		return 1
	}
	if qs == 0 {
		return 0
	}
	var c int
	switch {
	case q.big && r.big:
		c = cmpDigits(q.nanos(), r.nanos())
	case q.big:
		var buf [32]byte
		c = -cmpFast(r.i, &buf, q.nanos())
	default:
		var buf [32]byte
		c = cmpFast(q.i, &buf, r.nanos())
	}
	if qs < 0 {
		return -c
	}
	return c
}

// cmpFast compares |i|*10^9 with the digit string n without allocating.
func cmpFast(i int64, buf *[32]byte, n string) int {
	u := uint64(i)
	if i < 0 {
		u = -u
	}
	b := strconv.AppendUint(buf[:0], u, 10)
	if len(b)+9 != len(n) {
		if len(b)+9 < len(n) {
			return -1
		}
		return 1
	}
	for k := 0; k < len(n); k++ {
		var d byte = '0'
		if k < len(b) {
			d = b[k]
		}
		if d != n[k] {
			if d < n[k] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func cmpDigits(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// CeilBytes returns the value rounded up to a whole number (towards +inf for
// positive values, away from zero for negative ones), as
// resource.Quantity.Value does. The PV controller compares a named volume's
// size this way.
func (q Quantity) CeilBytes() Quantity {
	if !q.big {
		return q
	}
	n := q.nanos()
	if len(n) <= 9 {
		if q.neg() {
			return withText(Quantity{i: -1}, q.text())
		}
		return withText(Quantity{i: 1}, q.text())
	}
	ip, fp := n[:len(n)-9], n[len(n)-9:]
	m, _ := new(big.Int).SetString(ip, 10)
	if strings.Trim(fp, "0") != "" {
		m.Add(m, big.NewInt(1))
	}
	m.Mul(m, bigBillion)
	return withText(fromNanos(m, q.neg(), ""), q.text())
}
