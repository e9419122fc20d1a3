//go:build kube137

package jobdiff

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/batch"
	batchvalidation "k8s.io/kubernetes/pkg/apis/batch/validation"
)

// validateJobCreate is the API server's validation of a Job on create
// (ValidateJobCreate from 1.37).
func validateJobCreate(j *batch.Job, opts batchvalidation.JobValidationOptions) field.ErrorList {
	return batchvalidation.ValidateJobCreate(j, opts)
}

// validateJobUpdate is what the Job registry checks on an update: from 1.37
// ValidateJobUpdate alone, which includes the create checks.
func validateJobUpdate(j, old *batch.Job, opts batchvalidation.JobValidationOptions) field.ErrorList {
	return batchvalidation.ValidateJobUpdate(j, old, opts)
}
