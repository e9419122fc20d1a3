package job

import "github.com/purectl/purectl/api"

// FieldError is one validation problem, named by its API field path
// (for example spec.completions). Use errors.As on the error JobProgress
// returns to reach each one.
type FieldError = api.FieldError

// FieldErrors is the aggregate error JobProgress returns for an invalid Job;
// it unwraps to every *FieldError.
type FieldErrors = api.FieldErrors

// ErrorType says what kind of validation problem a FieldError is.
type ErrorType = api.ErrorType

// The validation problem kinds, with the API server's wording.
const (
	ErrorTypeRequired     = api.ErrorTypeRequired
	ErrorTypeInvalid      = api.ErrorTypeInvalid
	ErrorTypeNotSupported = api.ErrorTypeNotSupported
	ErrorTypeForbidden    = api.ErrorTypeForbidden
	ErrorTypeDuplicate    = api.ErrorTypeDuplicate
	ErrorTypeTooMany      = api.ErrorTypeTooMany
	ErrorTypeTooLong      = api.ErrorTypeTooLong
)
