// Package intstr implements the API's int-or-string values used for
// maxUnavailable and maxSurge: a whole number, or a percentage such as "25%"
// scaled against a total.
package intstr

import (
	"errors"
	"strconv"
	"strings"

	"github.com/purectl/purectl/internal/field"
)

// IntOrString holds either an integer or a string. The zero value is the
// integer 0.
type IntOrString struct {
	IsString bool
	IntVal   int32
	StrVal   string
}

// FromInt returns the integer value i.
func FromInt(i int32) IntOrString { return IntOrString{IntVal: i} }

// FromString returns the string value s, e.g. "25%".
func FromString(s string) IntOrString { return IntOrString{IsString: true, StrVal: s} }

// Parse reads "25%" as a percentage and a decimal integer as an integer;
// anything else is kept as a string (and fails validation).
func Parse(s string) IntOrString {
	if n, err := strconv.ParseInt(s, 10, 32); err == nil {
		return FromInt(int32(n))
	}
	return FromString(s)
}

// String renders the value as it appears in a manifest.
func (v IntOrString) String() string {
	if v.IsString {
		return v.StrVal
	}
	return strconv.Itoa(int(v.IntVal))
}

// ErrNotPercent is returned when a string value is not a percentage.
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
// up or down. It is exact (no floating point) for every total and percentage
// whose product fits in an int64 and saturates beyond that.
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

// IsPercent reports whether v is a well-formed percentage string.
func (v IntOrString) IsPercent() bool {
	_, ok := percent(v.StrVal)
	return v.IsString && ok
}

// ValidateNonNegative checks that v is an integer ≥ 0 or a well-formed
// percentage, as the apps API validates maxUnavailable and maxSurge.
func ValidateNonNegative(v IntOrString, p *field.Path) field.ErrorList {
	if !v.IsString {
		if v.IntVal < 0 {
			return field.ErrorList{field.Invalid(p, int64(v.IntVal), "must be greater than or equal to 0")}
		}
		return nil
	}
	if _, ok := percent(v.StrVal); !ok {
		return field.ErrorList{field.Invalid(p, v.StrVal, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%')")}
	}
	return nil
}

// ValidateAtMost100Percent checks that a percentage is not above 100%.
func ValidateAtMost100Percent(v IntOrString, p *field.Path) field.ErrorList {
	if n, ok := percent(v.StrVal); v.IsString && ok && n > 100 {
		return field.ErrorList{field.Invalid(p, v.StrVal, "must not be greater than 100%")}
	}
	return nil
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
