package statefulset

import (
	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

// FieldError is one invalid field of the input, e.g.
// `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
type FieldError = api.FieldError

// FieldErrors is the error NextStatefulAction returns for an invalid set; it
// unwraps to each *FieldError, so errors.As works with either type.
type FieldErrors = api.FieldErrors

// ErrorType is the kind of a FieldError.
type ErrorType = api.ErrorType

// The kinds of FieldError.
const (
	ErrorTypeRequired     = api.ErrorTypeRequired
	ErrorTypeInvalid      = api.ErrorTypeInvalid
	ErrorTypeNotSupported = api.ErrorTypeNotSupported
	ErrorTypeForbidden    = api.ErrorTypeForbidden
	ErrorTypeDuplicate    = api.ErrorTypeDuplicate
	ErrorTypeTooLong      = api.ErrorTypeTooLong
)

// AsFieldErrors returns the field errors inside err, in order; nil if err
// carries none.
func AsFieldErrors(err error) []*FieldError { return field.AsList(err) }
