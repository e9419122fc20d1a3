//go:build !kube137

package jobdiff

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/batch"
	batchvalidation "k8s.io/kubernetes/pkg/apis/batch/validation"
)

// validateJobCreate is the API server's validation of a Job on create
// (ValidateJob before 1.37).
func validateJobCreate(j *batch.Job, opts batchvalidation.JobValidationOptions) field.ErrorList {
	return batchvalidation.ValidateJob(j, opts)
}

// validateJobUpdate is what the Job registry checks on an update: before
// 1.37 ValidateJob on the new Job, then ValidateJobUpdate (which runs the
// spec checks again; the API server's message lists each error once).
func validateJobUpdate(j, old *batch.Job, opts batchvalidation.JobValidationOptions) field.ErrorList {
	return append(batchvalidation.ValidateJob(j, opts), batchvalidation.ValidateJobUpdate(j, old, opts)...)
}
