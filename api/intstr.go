package api

import (
	"errors"
	"strconv"
	"strings"
)

// IntOrString is a value that is either an integer or a string
// (intstr.IntOrString), as the apps API uses for a rolling update's
// maxUnavailable and maxSurge: a number of pods such as 1, or a percentage
// of the desired pods such as "25%".
//
// The zero value is the integer 0. Build values with FromInt and FromString.
type IntOrString struct {
	// IsString says which of the two values is meant: StrVal when true,
	// IntVal when false.
	IsString bool
	// IntVal is the integer value; it is ignored when IsString is true.
	IntVal int32
	// StrVal is the string value, e.g. "25%"; it is ignored when IsString is
	// false. Only a percentage (decimal digits then '%') passes validation.
	StrVal string
}

// FromInt returns the integer value i.
func FromInt(i int32) IntOrString { return IntOrString{IntVal: i} }

// FromString returns the string value s, e.g. "25%".
func FromString(s string) IntOrString { return IntOrString{IsString: true, StrVal: s} }

// String renders the value as it appears in a manifest: 3 as "3", and a
// string as itself.
func (v IntOrString) String() string {
	if v.IsString {
		return v.StrVal
	}
	return strconv.Itoa(int(v.IntVal))
}

// ErrNotPercent is the error Scaled returns for a string value that is not a
// percentage.
var ErrNotPercent = errors.New("invalid value for IntOrString: invalid type: string is not a percentage")

// percent parses "N%" with N a decimal number without sign.
func percent(s string) (int64, bool) {
	num, ok := strings.CutSuffix(s, "%")
	if !ok || num == "" {
		return 0, false
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// Scaled returns an integer value as it is, or a percentage of total rounded
// up or down, as Kubernetes' GetScaledValueFromIntOrPercent does: DaemonSets
// round maxUnavailable up, StatefulSets round it down. It is exact (no
// floating point) for every total and percentage whose product fits in an
// int64 and saturates beyond that. A string that is not a percentage gives
// ErrNotPercent.
func (v IntOrString) Scaled(total int, roundUp bool) (int, error) {
	if !v.IsString {
		return int(v.IntVal), nil
	}
	p, ok := percent(v.StrVal)
	if !ok {
		return 0, ErrNotPercent
	}
	return scale(p, int64(total), roundUp), nil
}

func scale(p, total int64, roundUp bool) int {
	const maxInt = int64(^uint(0) >> 1)
	abs := total
	if abs < 0 {
		abs = -abs
	}
	if abs != 0 && p > maxInt/abs {
		// The product would overflow; saturate toward the sign of total.
		if total < 0 {
			return int(-maxInt / 100)
		}
		return int(maxInt / 100)
	}
	prod := p * total
	q, rem := prod/100, prod%100 // Go truncates toward zero
	switch {
	case roundUp && rem > 0:
		q++
	case !roundUp && rem < 0:
		q--
	}
	return int(q)
}

// IsPercent reports whether v is a well-formed percentage string: decimal
// digits followed by '%', without sign.
func (v IntOrString) IsPercent() bool {
	_, ok := percent(v.StrVal)
	return v.IsString && ok
}

// IsZero reports whether v scales to zero for every total: the integer 0 or
// a percentage of 0.
func (v IntOrString) IsZero() bool {
	if !v.IsString {
		return v.IntVal == 0
	}
	n, ok := percent(v.StrVal)
	return ok && n == 0
}
