package cronjob

import "github.com/purectl/purectl/internal/field"

// FieldError is one validation failure; errors.As finds it in the error
// CronDue and the Validate functions return.
type FieldError = field.Error

// FieldErrors is the aggregate validation error.
type FieldErrors = field.Errors

// ErrorType is the kind of a field error.
type ErrorType = field.ErrorType

// The field error types.
const (
	ErrorTypeRequired     = field.ErrorTypeRequired
	ErrorTypeInvalid      = field.ErrorTypeInvalid
	ErrorTypeNotSupported = field.ErrorTypeNotSupported
	ErrorTypeForbidden    = field.ErrorTypeForbidden
)
