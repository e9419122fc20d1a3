package api

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// ErrorType names the kind of a FieldError (field.ErrorType). Its value is
// the phrase the API server prints.
type ErrorType string

// The error types of the Kubernetes API that purectl's validation reports.
const (
	// ErrorTypeRequired: a required field is missing or empty.
	ErrorTypeRequired ErrorType = "Required value"
	// ErrorTypeInvalid: the value is malformed or out of range; Detail says
	// why.
	ErrorTypeInvalid ErrorType = "Invalid value"
	// ErrorTypeNotSupported: the value is not one of a fixed set; Detail
	// lists the supported values.
	ErrorTypeNotSupported ErrorType = "Unsupported value"
	// ErrorTypeForbidden: the field may not be set here, or not to this
	// value.
	ErrorTypeForbidden ErrorType = "Forbidden"
	// ErrorTypeDuplicate: a value that must be unique in its list is
	// repeated.
	ErrorTypeDuplicate ErrorType = "Duplicate value"
	// ErrorTypeTooMany: a list has more items than allowed.
	ErrorTypeTooMany ErrorType = "Too many"
	// ErrorTypeTooLong: a string is longer than allowed.
	ErrorTypeTooLong ErrorType = "Too long"
)

// OmitValueType, as a FieldError's BadValue, makes the error print no value,
// as the API server does for rules about a whole object rather than one
// value (field.OmitValueType).
type OmitValueType struct{}

// FieldError is one validation failure of one field, in the API server's
// format (field.Error), e.g.
//
//	spec.replicas: Invalid value: -1: must be greater than or equal to 0
//
// errors.As(err, &fe) with fe a *FieldError finds one in the error a
// purectl function returns for invalid input.
type FieldError struct {
	// Type is the kind of failure.
	Type ErrorType
	// Field is the path of the offending field, e.g. spec.replicas or
	// spec.template.spec.tolerations[0].key.
	Field string
	// BadValue is the offending value: nil prints as null, a string quoted,
	// and OmitValueType{} not at all. Required, Forbidden and TooLong errors
	// never print it.
	BadValue any
	// Detail says why the value is wrong; it may be empty.
	Detail string
}

// Error renders the error as the API server would: the field path, then
// Body.
func (e *FieldError) Error() string { return e.Field + ": " + e.Body() }

// Body is the error without its field path: the type, the value where the
// type shows one, and the detail.
func (e *FieldError) Body() string {
	var s string
	switch {
	case e.Type == ErrorTypeRequired, e.Type == ErrorTypeForbidden, e.Type == ErrorTypeTooLong:
		s = string(e.Type)
	case e.BadValue == OmitValueType{}:
		s = string(e.Type)
	default:
		s = string(e.Type) + ": " + formatValue(e.BadValue)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func formatValue(v any) string {
	if v == nil {
		return "null"
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "null"
		}
		v = rv.Elem().Interface()
	}
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool:
		return fmt.Sprint(t)
	case fmt.Stringer:
		return t.String()
	default:
		return fmt.Sprintf("%#v", v)
	}
}

// FieldErrors is the error returned for a failed validation: one or more
// field errors, each message once (the aggregate of a field.ErrorList). It unwraps to
// each *FieldError, so errors.As(err, &fe) with fe a *FieldError finds the
// first of them, and errors.As(err, &fes) with fes a *FieldErrors finds the
// whole list.
type FieldErrors struct {
	// List holds the field errors in the order validation found them; a
	// FieldErrors that a purectl function returns has at least one.
	List []*FieldError
}

// Error renders one error as itself and several as a bracketed,
// comma-separated list, as the API server does.
func (a *FieldErrors) Error() string {
	if len(a.List) == 1 {
		return a.List[0].Error()
	}
	msgs := make([]string, len(a.List))
	for i, e := range a.List {
		msgs[i] = e.Error()
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// Unwrap exposes each field error to errors.Is and errors.As.
func (a *FieldErrors) Unwrap() []error {
	out := make([]error, len(a.List))
	for i, e := range a.List {
		out[i] = e
	}
	return out
}
