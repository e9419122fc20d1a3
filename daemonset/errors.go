package daemonset

import "github.com/purectl/purectl/api"

// FieldError is one validation failure, named by its API field path.
// errors.As(err, &fe) with fe a *FieldError finds it in PlanDaemonSet's error.
type FieldError = api.FieldError

// FieldErrors is the error PlanDaemonSet returns for an invalid DaemonSet: one
// or more FieldErrors.
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
)
