//go:build !kube135 && !kube136 && !kube137

package difftest

import (
	v1 "k8s.io/api/core/v1"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	apivalidation "k8s.io/kubernetes/pkg/apis/core/validation"
)

// v1.34 has no comparison operators: its helpers take no gate, and Lt and
// Gt tolerate nothing.

const comparisonOperatorsExist = false

func k8sToleratesTaint(tol *v1.Toleration, taint *v1.Taint, _ bool) bool {
	return tol.ToleratesTaint(taint)
}

func k8sUntolerated(ts []v1.Taint, tols []v1.Toleration, filter func(*v1.Taint) bool, _ bool) bool {
	_, found := corev1helpers.FindMatchingUntoleratedTaint(ts, tols, filter)
	return found
}

func podValidationOptions(bool) apivalidation.PodValidationOptions {
	return apivalidation.PodValidationOptions{}
}
