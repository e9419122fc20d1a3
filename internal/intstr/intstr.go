// Package intstr implements the API's int-or-string values used for
// maxUnavailable and maxSurge: a whole number, or a percentage such as "25%"
// scaled against a total. The type and its methods live in package api;
// parsing and validation live here.
package intstr

import (
	"strconv"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

// IntOrString is api.IntOrString, whose methods scale and inspect it; this
// package parses and validates it.
type IntOrString = api.IntOrString

// FromInt returns the integer value i.
func FromInt(i int32) IntOrString { return api.FromInt(i) }

// FromString returns the string value s, e.g. "25%".
func FromString(s string) IntOrString { return api.FromString(s) }

// Parse reads "25%" as a percentage and a decimal integer as an integer;
// anything else is kept as a string (and fails validation).
func Parse(s string) IntOrString {
	if n, err := strconv.ParseInt(s, 10, 32); err == nil {
		return FromInt(int32(n))
	}
	return FromString(s)
}

// ErrNotPercent is returned when a string value is not a percentage.
var ErrNotPercent = api.ErrNotPercent

// ValidateNonNegative checks that v is an integer ≥ 0 or a well-formed
// percentage, as the apps API validates maxUnavailable and maxSurge.
func ValidateNonNegative(v IntOrString, p *field.Path) field.ErrorList {
	if !v.IsString {
		if v.IntVal < 0 {
			return field.ErrorList{field.Invalid(p, int64(v.IntVal), "must be greater than or equal to 0")}
		}
		return nil
	}
	if !v.IsPercent() {
		return field.ErrorList{field.Invalid(p, v.StrVal, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%')")}
	}
	return nil
}

// ValidateAtMost100Percent checks that a percentage is not above 100%.
func ValidateAtMost100Percent(v IntOrString, p *field.Path) field.ErrorList {
	// A percentage of 100 is the percentage itself (saturating far above
	// 100 when huge); a string that is not a percentage fails to scale.
	if n, err := v.Scaled(100, false); v.IsString && err == nil && n > 100 {
		return field.ErrorList{field.Invalid(p, v.StrVal, "must not be greater than 100%")}
	}
	return nil
}
