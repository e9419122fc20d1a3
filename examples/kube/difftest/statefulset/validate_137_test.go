//go:build kube137

package statefulsetdiff

import (
	kfield "k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/apps"
	appsvalidation "k8s.io/kubernetes/pkg/apis/apps/validation"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
)

// validateStatefulSet is ValidateStatefulSet with the options the 1.37
// registry strategy passes on create (Recreate allowed with its gate).
func validateStatefulSet(ss *apps.StatefulSet, allowRecreate bool) kfield.ErrorList {
	return appsvalidation.ValidateStatefulSet(ss, appsvalidation.StatefulSetValidationOptions{AllowStatefulSetRecreateStrategy: allowRecreate},
		corevalidation.PodValidationOptions{})
}
