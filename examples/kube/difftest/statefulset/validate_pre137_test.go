//go:build !kube137

package statefulsetdiff

import (
	kfield "k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/apps"
	appsvalidation "k8s.io/kubernetes/pkg/apis/apps/validation"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
)

// validateStatefulSet is ValidateStatefulSet; before 1.37 there is no
// Recreate strategy to allow.
func validateStatefulSet(ss *apps.StatefulSet, _ bool) kfield.ErrorList {
	return appsvalidation.ValidateStatefulSet(ss, corevalidation.PodValidationOptions{})
}
