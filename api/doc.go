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
// corev1.Toleration, intstr.IntOrString and field.Error. What a nil or
// empty value means is the same in every supported release; where a
// release added something (a toleration operator, say) the field's doc
// names the release and the gate.
//
// Release is the other shared input: the Kubernetes release (1.34 to 1.37)
// whose controllers, validation and defaults a call follows, with the
// feature gates of that release and single-gate overrides as
// --feature-gates takes them. The zero Release is the newest.
package api
