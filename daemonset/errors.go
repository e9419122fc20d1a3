package daemonset

import "github.com/purectl/purectl/internal/field"

// FieldError is one validation failure, named by its API field path.
// errors.As(err, &fe) with fe a *FieldError finds it in PlanDaemonSet's error.
type FieldError = field.Error

// FieldErrors is the error PlanDaemonSet returns for an invalid DaemonSet: one
// or more FieldErrors.
type FieldErrors = field.Errors

// ErrorType is the kind of a FieldError.
type ErrorType = field.ErrorType

// The kinds of FieldError.
const (
	ErrorTypeRequired     = field.ErrorTypeRequired
	ErrorTypeInvalid      = field.ErrorTypeInvalid
	ErrorTypeNotSupported = field.ErrorTypeNotSupported
	ErrorTypeForbidden    = field.ErrorTypeForbidden
	ErrorTypeDuplicate    = field.ErrorTypeDuplicate
)
