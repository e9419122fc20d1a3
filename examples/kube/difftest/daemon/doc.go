// Package daemon runs Kubernetes' own DaemonSet controller
// (k8s.io/kubernetes/pkg/controller/daemon, syncDaemonSet) beside
// purectl's daemonset.PlanDaemonSet over long random trajectories of a
// small cluster, and compares every pass. The package holds tests only.
package daemon
