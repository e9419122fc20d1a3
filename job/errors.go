package job

import "github.com/purectl/purectl/internal/field"

// FieldError is one validation problem, named by its API field path
// (for example spec.completions). Use errors.As on the error JobProgress
// returns to reach each one.
type FieldError = field.Error

// FieldErrors is the aggregate error JobProgress returns for an invalid Job;
// it unwraps to every *FieldError.
type FieldErrors = field.Errors

// ErrorType says what kind of validation problem a FieldError is.
type ErrorType = field.ErrorType

// The validation problem kinds, with the API server's wording.
const (
	ErrorTypeRequired     = field.ErrorTypeRequired
	ErrorTypeInvalid      = field.ErrorTypeInvalid
	ErrorTypeNotSupported = field.ErrorTypeNotSupported
	ErrorTypeForbidden    = field.ErrorTypeForbidden
	ErrorTypeDuplicate    = field.ErrorTypeDuplicate
	ErrorTypeTooMany      = field.ErrorTypeTooMany
	ErrorTypeTooLong      = field.ErrorTypeTooLong
)
