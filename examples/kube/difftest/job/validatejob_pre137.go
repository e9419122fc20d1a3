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
