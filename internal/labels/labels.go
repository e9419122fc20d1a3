// Package labels implements Kubernetes label selectors (metav1.LabelSelector:
// matchLabels plus matchExpressions) and the API's rules for label keys and
// values. The selector types and their matching live in package api.
package labels

import (
	"maps"
	"slices"
	"strings"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

// The selector types are those of package api, so that callers see their
// fields and docs; these names keep the mechanics here short.
type (
	// Operator is a label selector operator.
	Operator = api.LabelOperator
	// Requirement is one matchExpressions entry.
	Requirement = api.LabelRequirement
	// Selector is a label selector. A nil *Selector selects nothing; an
	// empty one selects everything.
	Selector = api.LabelSelector
)

// The operators a label selector accepts.
const (
	OpIn           = api.LabelOpIn
	OpNotIn        = api.LabelOpNotIn
	OpExists       = api.LabelOpExists
	OpDoesNotExist = api.LabelOpDoesNotExist
)

// Validate checks s as the API server checks a metav1.LabelSelector. A nil
// selector is valid here; callers that require one say so.
func Validate(s *Selector, p *field.Path) field.ErrorList {
	if s == nil {
		return nil
	}
	errs := ValidateLabels(s.MatchLabels, p.Child("matchLabels"))
	for i, r := range s.MatchExpressions {
		errs = append(errs, ValidateRequirement(r, p.Child("matchExpressions").Index(i))...)
	}
	return errs
}

// ValidateRequirement checks one matchExpressions entry.
func ValidateRequirement(r Requirement, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch r.Operator {
	case OpIn, OpNotIn:
		if len(r.Values) == 0 {
			errs = append(errs, field.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
		}
	case OpExists, OpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, field.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
		}
	default:
		errs = append(errs, field.Invalid(p.Child("operator"), string(r.Operator), "not a valid selector operator"))
	}
	errs = append(errs, ValidateQualifiedName(r.Key, p.Child("key"))...)
	for i, v := range r.Values {
		errs = append(errs, ValidateLabelValue(v, p.Child("values").Index(i))...)
	}
	return errs
}

// ValidateLabels checks every key and value of a label map.
func ValidateLabels(m map[string]string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range slices.Sorted(maps.Keys(m)) {
		errs = append(errs, ValidateQualifiedName(k, p)...)
		errs = append(errs, ValidateLabelValue(m[k], p)...)
	}
	return errs
}

const (
	qualifiedNameMax = 63
	labelValueMax    = 63
	dnsSubdomainMax  = 253
	dnsLabelMax      = 63
)

// ValidateQualifiedName checks a label key or annotation key: an optional DNS
// subdomain prefix and "/", then a name of at most 63 characters made of
// alphanumerics, '-', '_' and '.', starting and ending alphanumeric.
func ValidateQualifiedName(v string, p *field.Path) field.ErrorList {
	var msgs []string
	name := v
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		prefix := v[:i]
		name = v[i+1:]
		if strings.Contains(prefix, "/") {
			msgs = append(msgs, "a qualified name may contain at most one '/'")
		} else if prefix == "" {
			msgs = append(msgs, "prefix part must be non-empty")
		} else if m := DNSSubdomainProblem(prefix); m != "" {
			msgs = append(msgs, "prefix part "+m)
		}
	}
	switch {
	case name == "":
		msgs = append(msgs, "name part must be non-empty")
	case len(name) > qualifiedNameMax:
		msgs = append(msgs, "name part must be no more than 63 characters")
	case !isLabelToken(name):
		msgs = append(msgs, "name part must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric (e.g. 'MyName', 'my.name', '123-abc')")
	}
	var errs field.ErrorList
	for _, m := range msgs {
		errs = append(errs, field.Invalid(p, v, m))
	}
	return errs
}

// ValidateLabelValue checks a label value: empty, or at most 63 characters of
// alphanumerics, '-', '_' and '.', starting and ending alphanumeric.
func ValidateLabelValue(v string, p *field.Path) field.ErrorList {
	if v == "" {
		return nil
	}
	if len(v) > labelValueMax {
		return field.ErrorList{field.Invalid(p, v, "must be no more than 63 characters")}
	}
	if !isLabelToken(v) {
		return field.ErrorList{field.Invalid(p, v, "a label value must be empty or alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric (e.g. 'MyValue', 'my_value', '12345')")}
	}
	return nil
}

// IsValidLabelValue reports whether v is a valid label value.
func IsValidLabelValue(v string) bool {
	return v == "" || len(v) <= labelValueMax && isLabelToken(v)
}

// IsQualifiedName reports whether v is a valid label key.
func IsQualifiedName(v string) bool {
	return len(ValidateQualifiedName(v, nil)) == 0
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isLabelToken matches ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] without a regexp.
func isLabelToken(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		if !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// DNSSubdomainProblem returns "" if v is a valid RFC 1123 subdomain (lower
// case alphanumerics, '-' and '.', at most 253 characters, each dot-separated
// part starting and ending alphanumeric) and otherwise what is wrong.
func DNSSubdomainProblem(v string) string {
	switch {
	case len(v) > dnsSubdomainMax:
		return "must be no more than 253 characters"
	case v == "":
		return "must be non-empty"
	case !IsDNSSubdomain(v):
		return "must be a lowercase RFC 1123 subdomain: lower case alphanumerics, '-' or '.', starting and ending with an alphanumeric (e.g. 'example.com')"
	}
	return ""
}

// IsDNSSubdomain reports whether v is a valid RFC 1123 subdomain. It does not
// allocate, so hot paths (volume binding) can call it.
func IsDNSSubdomain(v string) bool {
	if v == "" || len(v) > dnsSubdomainMax {
		return false
	}
	start := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] != '.' {
			continue
		}
		if !isDNSLabel(v[start:i]) {
			return false
		}
		start = i + 1
	}
	return true
}

// DNSLabelProblem returns "" if v is a valid RFC 1123 label (lower case
// alphanumerics and '-', at most 63 characters, starting and ending
// alphanumeric) and otherwise what is wrong.
func DNSLabelProblem(v string) string {
	if len(v) > dnsLabelMax {
		return "must be no more than 63 characters"
	}
	if !isDNSLabel(v) {
		return "must be a lowercase RFC 1123 label: lower case alphanumerics or '-', starting and ending with an alphanumeric (e.g. 'my-name', '123-abc')"
	}
	return ""
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func isDNSLabel(s string) bool {
	if s == "" || len(s) > dnsLabelMax || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}
