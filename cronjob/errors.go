package cronjob

import "github.com/purectl/purectl/api"

// FieldError is one validation failure; errors.As finds it in the error
// CronDue and the Validate functions return.
type FieldError = api.FieldError

// FieldErrors is the aggregate validation error.
type FieldErrors = api.FieldErrors

// ErrorType is the kind of a field error.
type ErrorType = api.ErrorType

// The field error types.
const (
	ErrorTypeRequired     = api.ErrorTypeRequired
	ErrorTypeInvalid      = api.ErrorTypeInvalid
	ErrorTypeNotSupported = api.ErrorTypeNotSupported
	ErrorTypeForbidden    = api.ErrorTypeForbidden
)
