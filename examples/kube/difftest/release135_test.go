//go:build kube135 || kube136 || kube137

package difftest

import (
	v1 "k8s.io/api/core/v1"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/klog/v2"
	apivalidation "k8s.io/kubernetes/pkg/apis/core/validation"
)

// From v1.35 the helpers take a logger and the
// TaintTolerationComparisonOperators gate, and pod validation an option
// for it.

const comparisonOperatorsExist = true

func k8sToleratesTaint(tol *v1.Toleration, taint *v1.Taint, cmpOps bool) bool {
	return tol.ToleratesTaint(klog.Background(), taint, cmpOps)
}

func k8sUntolerated(ts []v1.Taint, tols []v1.Toleration, filter func(*v1.Taint) bool, cmpOps bool) bool {
	_, found := corev1helpers.FindMatchingUntoleratedTaint(klog.Background(), ts, tols, filter, cmpOps)
	return found
}

func podValidationOptions(cmpOps bool) apivalidation.PodValidationOptions {
	return apivalidation.PodValidationOptions{AllowTaintTolerationComparisonOperators: cmpOps}
}
