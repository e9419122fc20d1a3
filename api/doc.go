// Package api holds the Kubernetes API shapes that purectl's controller
// packages share: label selectors, node selectors, taints and tolerations,
// int-or-string values, and the field errors that validation returns.
//
// These are the types a caller builds as input or reads back from a result.
// They live in this public package so that their fields and documentation
// show in go doc and on pkg.go.dev; the matching, compiling and validating
// code around them stays inside the module. The controller packages
// (daemonset, statefulset, job, cronjob and volume) re-export these names as
// type aliases and constants, so daemonset.Taint and api.Taint are the same
// type: a value built with one name can be passed where the other is
// expected, and errors.As with a *daemonset.FieldError target finds an
// *api.FieldError. (statefulset and volume call LabelRequirement
// LabelSelectorRequirement, as Kubernetes does.)
//
// Each type mirrors its Kubernetes counterpart field for field, as far as
// purectl reads it: metav1.LabelSelector, corev1.NodeSelector, corev1.Taint,
// corev1.Toleration, intstr.IntOrString and field.Error. The semantics
// documented here, in particular what a nil or empty value means, are those
// of Kubernetes v1.34.
package api
