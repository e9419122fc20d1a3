// Package field builds validation errors in the Kubernetes API server's
// format: a field path, an error type, the offending value and a detail,
// e.g. `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
//
// The error types themselves live in package api, which every public
// package re-exports as aliases, so a caller can use errors.As with any of
// them; this package builds and collects them.
package field

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/purectl/purectl/api"
)

// Path is a field path such as spec.template.spec.containers[0].name. The
// zero value and nil are the empty path. Paths are immutable: Child, Index and
// Key return a new path that shares its parent.
type Path struct {
	parent *Path
	name   string // a field name, or the text between brackets when isIndex
	isIdx  bool   // this element is a list index or a map key
}

// NewPath returns the path made of name followed by more.
func NewPath(name string, more ...string) *Path {
	p := &Path{name: name}
	for _, m := range more {
		p = &Path{parent: p, name: m}
	}
	return p
}

// Child returns the path of a field below p.
func (p *Path) Child(name string, more ...string) *Path {
	c := &Path{parent: p, name: name}
	for _, m := range more {
		c = &Path{parent: c, name: m}
	}
	return c
}

// Index returns the path of the i-th element of the list at p.
func (p *Path) Index(i int) *Path { return &Path{parent: p, name: strconv.Itoa(i), isIdx: true} }

// Key returns the path of the entry with key k in the map at p.
func (p *Path) Key(k string) *Path { return &Path{parent: p, name: k, isIdx: true} }

// String renders the path the way the API server does.
func (p *Path) String() string {
	if p == nil {
		return "<nil>"
	}
	var elems []*Path
	for e := p; e != nil; e = e.parent {
		elems = append(elems, e)
	}
	var b strings.Builder
	for i := len(elems) - 1; i >= 0; i-- {
		e := elems[i]
		if e.isIdx {
			b.WriteByte('[')
			b.WriteString(e.name)
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.name)
	}
	return b.String()
}

// The error types are those of package api, so that callers see their
// fields and docs; this package builds and collects them.
type (
	// ErrorType names the kind of a field error. Its value is the phrase the
	// API server prints.
	ErrorType = api.ErrorType
	// OmitValueType, passed as the value of Invalid, makes the error print
	// no value, as the API server does for rules about a whole object.
	OmitValueType = api.OmitValueType
	// Error is one validation failure of one field.
	Error = api.FieldError
	// Errors is the error returned for a failed validation: one or more
	// field errors. errors.As(err, &fe) with fe a *Error finds the first of
	// them.
	Errors = api.FieldErrors
)

// The error types of the Kubernetes API.
const (
	ErrorTypeRequired     = api.ErrorTypeRequired
	ErrorTypeInvalid      = api.ErrorTypeInvalid
	ErrorTypeNotSupported = api.ErrorTypeNotSupported
	ErrorTypeForbidden    = api.ErrorTypeForbidden
	ErrorTypeDuplicate    = api.ErrorTypeDuplicate
	ErrorTypeTooMany      = api.ErrorTypeTooMany
	ErrorTypeTooLong      = api.ErrorTypeTooLong
)

// Required reports a missing value.
func Required(p *Path, detail string) *Error {
	return &Error{Type: ErrorTypeRequired, Field: p.String(), BadValue: "", Detail: detail}
}

// Invalid reports a value that is wrong for the reason in detail.
func Invalid(p *Path, value any, detail string) *Error {
	return &Error{Type: ErrorTypeInvalid, Field: p.String(), BadValue: value, Detail: detail}
}

// NotSupported reports a value outside a fixed list of valid values.
func NotSupported(p *Path, value any, valid []string) *Error {
	detail := ""
	if len(valid) > 0 {
		q := make([]string, len(valid))
		for i, v := range valid {
			q[i] = strconv.Quote(v)
		}
		detail = "supported values: " + strings.Join(q, ", ")
	}
	return &Error{Type: ErrorTypeNotSupported, Field: p.String(), BadValue: value, Detail: detail}
}

// Forbidden reports a field that may not be set (here, or to this value).
func Forbidden(p *Path, detail string) *Error {
	return &Error{Type: ErrorTypeForbidden, Field: p.String(), BadValue: "", Detail: detail}
}

// Duplicate reports a value that must be unique but is not.
func Duplicate(p *Path, value any) *Error {
	return &Error{Type: ErrorTypeDuplicate, Field: p.String(), BadValue: value}
}

// TooMany reports a list longer than max. A negative actual is not printed.
func TooMany(p *Path, actual, max int) *Error {
	var v any = OmitValueType{}
	if actual >= 0 {
		v = actual
	}
	items := "items"
	if max == 1 {
		items = "item"
	}
	return &Error{Type: ErrorTypeTooMany, Field: p.String(), BadValue: v,
		Detail: fmt.Sprintf("must have at most %d %s", max, items)}
}

// TooLong reports a string longer than max characters.
func TooLong(p *Path, max int) *Error {
	return &Error{Type: ErrorTypeTooLong, Field: p.String(), BadValue: "",
		Detail: fmt.Sprintf("may not be more than %d bytes", max)}
}

// ErrorList collects the errors of one validation.
type ErrorList []*Error

// Filter returns the errors whose type is not one of types.
func (l ErrorList) Filter(types ...ErrorType) ErrorList {
	var out ErrorList
outer:
	for _, e := range l {
		for _, t := range types {
			if e.Type == t {
				continue outer
			}
		}
		out = append(out, e)
	}
	return out
}

// ToAggregate returns nil for an empty list and otherwise an *Errors error
// that unwraps to each *Error, so errors.As finds them.
func (l ErrorList) ToAggregate() error {
	if len(l) == 0 {
		return nil
	}
	// Drop repeats of the same message, as the API server does.
	seen := make(map[string]bool, len(l))
	out := make(ErrorList, 0, len(l))
	for _, e := range l {
		if e == nil {
			continue
		}
		m := e.Error()
		if seen[m] {
			continue
		}
		seen[m] = true
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return &Errors{List: out}
}

// AsList returns the field errors inside err: those of an *Errors, a lone
// *Error, or nil.
func AsList(err error) ErrorList {
	var agg *Errors
	if errors.As(err, &agg) {
		return agg.List
	}
	var one *Error
	if errors.As(err, &one) {
		return ErrorList{one}
	}
	return nil
}

// CheckRelease is the error an entry point returns for a Release it cannot
// follow (an unsupported version, or a gate its command line would refuse);
// nil when the release is usable.
func CheckRelease(r api.Release) error {
	if errs := r.Check("release"); len(errs) > 0 {
		return ErrorList(errs).ToAggregate()
	}
	return nil
}
