// Package labels implements Kubernetes label selectors (metav1.LabelSelector:
// matchLabels plus matchExpressions) and the API's rules for label keys and
// values. The selector types and their matching live in package api.
package labels

import (
	"maps"
	"slices"
	"strconv"
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

// Words is the wording of a release's apimachinery for label keys and
// values. From 1.35 they are checked by its content package, which calls
// a key with too many slashes "a valid label key" (not "a qualified
// name") and counts lengths in bytes (not characters); DNS names checked
// on their own keep the older wording. The zero Words is 1.34's, which the
// package-level functions use.
type Words struct{ content bool }

// WordsFor is the wording of the given release.
func WordsFor(rel api.Release) Words { return Words{content: rel.AtLeast("1.35")} }

// Content is the wording from 1.35 on, for a caller that has already
// resolved its release.
var Content = Words{content: true}

// Validate checks s as the API server checks a metav1.LabelSelector. A nil
// selector is valid here; callers that require one say so.
func Validate(s *Selector, p *field.Path) field.ErrorList { return Words{}.Validate(s, p) }

// Validate is the package-level Validate in w's wording.
func (w Words) Validate(s *Selector, p *field.Path) field.ErrorList {
	if s == nil {
		return nil
	}
	errs := w.ValidateLabels(s.MatchLabels, p.Child("matchLabels"))
	for i, r := range s.MatchExpressions {
		errs = append(errs, w.ValidateRequirement(r, p.Child("matchExpressions").Index(i))...)
	}
	return errs
}

// ValidateRequirement checks one matchExpressions entry.
func ValidateRequirement(r Requirement, p *field.Path) field.ErrorList {
	return Words{}.ValidateRequirement(r, p)
}

// ValidateRequirement is the package-level ValidateRequirement in w's wording.
func (w Words) ValidateRequirement(r Requirement, p *field.Path) field.ErrorList {
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
	errs = append(errs, w.ValidateQualifiedName(r.Key, p.Child("key"))...)
	for i, v := range r.Values {
		errs = append(errs, w.ValidateLabelValue(v, p.Child("values").Index(i))...)
	}
	return errs
}

// ValidateLabels checks every key and value of a label map.
func ValidateLabels(m map[string]string, p *field.Path) field.ErrorList {
	return Words{}.ValidateLabels(m, p)
}

// ValidateLabels is the package-level ValidateLabels in w's wording.
func (w Words) ValidateLabels(m map[string]string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range slices.Sorted(maps.Keys(m)) {
		errs = append(errs, w.ValidateQualifiedName(k, p)...)
		errs = append(errs, w.ValidateLabelValue(m[k], p)...)
	}
	return errs
}

const (
	qualifiedNameMax = 63
	labelValueMax    = 63
	dnsSubdomainMax  = 253
	dnsLabelMax      = 63
)

// The wording of the API server's name checks, so that an error reads as it
// would from kube-apiserver.
const (
	qualifiedNameFmt    = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
	qualifiedNameMsg    = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	labelValueFmt       = "(" + qualifiedNameFmt + ")?"
	labelValueMsg       = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	dnsLabelFmt         = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	dnsLabelMsg         = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
	dnsSubdomainFmt     = dnsLabelFmt + "(\\." + dnsLabelFmt + ")*"
	dnsSubdomainMsg     = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
	nonEmptyMsg         = "must be non-empty"
	qualifiedNameSuffix = " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
)

// regexMsg words a pattern mismatch: the rule, examples, then the pattern.
func regexMsg(msg, pattern string, examples ...string) string {
	var b strings.Builder
	b.WriteString(msg)
	b.WriteString(" (e.g. ")
	for i, e := range examples {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString("'" + e + "', ")
	}
	b.WriteString("regex used for validation is '" + pattern + "')")
	return b.String()
}

func maxLenMsg(n int) string { return "must be no more than " + strconv.Itoa(n) + " characters" }

// maxLen is maxLenMsg in w's wording.
func (w Words) maxLen(n int) string {
	if w.content {
		return "must be no more than " + strconv.Itoa(n) + " bytes"
	}
	return maxLenMsg(n)
}

// QualifiedNameErrors says what is wrong with a label or annotation key (an
// optional DNS subdomain prefix and "/", then a name of at most 63
// alphanumerics, '-', '_' and '.', starting and ending alphanumeric), one
// message per problem as the API server reports them; nil if it is valid.
func QualifiedNameErrors(v string) []string { return Words{}.QualifiedNameErrors(v) }

// QualifiedNameErrors is the package-level QualifiedNameErrors in w's wording.
func (w Words) QualifiedNameErrors(v string) []string {
	var msgs []string
	name := v
	switch strings.Count(v, "/") {
	case 0:
	case 1:
		i := strings.IndexByte(v, '/')
		prefix := v[:i]
		name = v[i+1:]
		if prefix == "" {
			msgs = append(msgs, "prefix part "+nonEmptyMsg)
		} else {
			for _, m := range w.dnsSubdomainErrors(prefix) {
				msgs = append(msgs, "prefix part "+m)
			}
		}
	default:
		what := "a qualified name "
		if w.content {
			what = "a valid label key "
		}
		return append(msgs, what+regexMsg(qualifiedNameMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc")+qualifiedNameSuffix)
	}
	if name == "" {
		msgs = append(msgs, "name part "+nonEmptyMsg)
	} else if len(name) > qualifiedNameMax {
		msgs = append(msgs, "name part "+w.maxLen(qualifiedNameMax))
	}
	if !isLabelToken(name) {
		msgs = append(msgs, "name part "+regexMsg(qualifiedNameMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc"))
	}
	return msgs
}

// ValidateQualifiedName checks a label key or annotation key, one Invalid
// error per problem (see QualifiedNameErrors).
func ValidateQualifiedName(v string, p *field.Path) field.ErrorList {
	return Words{}.ValidateQualifiedName(v, p)
}

// ValidateQualifiedName is the package-level ValidateQualifiedName in w's wording.
func (w Words) ValidateQualifiedName(v string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, m := range w.QualifiedNameErrors(v) {
		errs = append(errs, field.Invalid(p, v, m))
	}
	return errs
}

// LabelValueErrors says what is wrong with a label value (empty, or at most
// 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric), as
// the API server words it; nil if it is valid.
func LabelValueErrors(v string) []string { return Words{}.LabelValueErrors(v) }

// LabelValueErrors is the package-level LabelValueErrors in w's wording.
func (w Words) LabelValueErrors(v string) []string {
	var msgs []string
	if len(v) > labelValueMax {
		msgs = append(msgs, w.maxLen(labelValueMax))
	}
	if v != "" && !isLabelToken(v) {
		msgs = append(msgs, regexMsg(labelValueMsg, labelValueFmt, "MyValue", "my_value", "12345"))
	}
	return msgs
}

// ValidateLabelValue checks a label value, one Invalid error per problem.
func ValidateLabelValue(v string, p *field.Path) field.ErrorList {
	return Words{}.ValidateLabelValue(v, p)
}

// ValidateLabelValue is the package-level ValidateLabelValue in w's wording.
func (w Words) ValidateLabelValue(v string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, m := range w.LabelValueErrors(v) {
		errs = append(errs, field.Invalid(p, v, m))
	}
	return errs
}

// IsValidLabelValue reports whether v is a valid label value.
func IsValidLabelValue(v string) bool {
	return v == "" || len(v) <= labelValueMax && isLabelToken(v)
}

// IsQualifiedName reports whether v is a valid label key.
func IsQualifiedName(v string) bool {
	return len(QualifiedNameErrors(v)) == 0
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

// DNSSubdomainErrors says what is wrong with an RFC 1123 subdomain (lower
// case alphanumerics, '-' and '.', at most 253 characters, each dot-separated
// part starting and ending alphanumeric), as the API server words it; nil if
// it is valid.
func DNSSubdomainErrors(v string) []string { return Words{}.dnsSubdomainErrors(v) }

// dnsSubdomainErrors is DNSSubdomainErrors in w's wording: only a label
// key's prefix is checked in the content wording; a name checked as a
// subdomain on its own keeps the older one in every release.
func (w Words) dnsSubdomainErrors(v string) []string {
	var msgs []string
	if len(v) > dnsSubdomainMax {
		msgs = append(msgs, w.maxLen(dnsSubdomainMax))
	}
	if !dnsSubdomainShape(v) {
		msgs = append(msgs, regexMsg(dnsSubdomainMsg, dnsSubdomainFmt, "example.com"))
	}
	return msgs
}

// DNSSubdomainProblem is the first of DNSSubdomainErrors, or "".
func DNSSubdomainProblem(v string) string {
	if msgs := DNSSubdomainErrors(v); len(msgs) > 0 {
		return msgs[0]
	}
	return ""
}

// IsDNSSubdomain reports whether v is a valid RFC 1123 subdomain. It does not
// allocate, so hot paths (volume binding) can call it.
func IsDNSSubdomain(v string) bool {
	return len(v) <= dnsSubdomainMax && dnsSubdomainShape(v)
}

// dnsSubdomainShape matches dnsSubdomainFmt: dot-separated RFC 1123 label
// shapes, of any length (the API checks the length apart).
func dnsSubdomainShape(v string) bool {
	if v == "" {
		return false
	}
	start := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] != '.' {
			continue
		}
		if !dnsLabelShape(v[start:i]) {
			return false
		}
		start = i + 1
	}
	return true
}

// DNSLabelErrors says what is wrong with an RFC 1123 label (lower case
// alphanumerics and '-', at most 63 characters, starting and ending
// alphanumeric), as the API server words it; nil if it is valid.
func DNSLabelErrors(v string) []string {
	var msgs []string
	if len(v) > dnsLabelMax {
		msgs = append(msgs, maxLenMsg(dnsLabelMax))
	}
	if !dnsLabelShape(v) {
		if dnsSubdomainShape(v) {
			msgs = append(msgs, "must not contain dots") // a subdomain, so the dots are the problem
		} else {
			msgs = append(msgs, regexMsg(dnsLabelMsg, dnsLabelFmt, "my-name", "123-abc"))
		}
	}
	return msgs
}

// DNSLabelProblem is the first of DNSLabelErrors, or "".
func DNSLabelProblem(v string) string {
	if msgs := DNSLabelErrors(v); len(msgs) > 0 {
		return msgs[0]
	}
	return ""
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// dnsLabelShape matches dnsLabelFmt, of any length.
func dnsLabelShape(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}
