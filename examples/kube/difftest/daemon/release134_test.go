//go:build !kube135 && !kube136 && !kube137

package daemon

import (
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/kubernetes/pkg/controller/daemon"
)

// nodeShouldRun is the controller's NodeShouldRunDaemonPod (v1.34 takes no
// logger).
func nodeShouldRun(n *v1.Node, ds *appsv1.DaemonSet) (bool, bool) {
	return daemon.NodeShouldRunDaemonPod(n, ds)
}

// recordPodWrite is a no-op before v1.36: the controller keeps no record
// of the resource versions it wrote.
func recordPodWrite(*daemon.DaemonSetsController, *appsv1.DaemonSet, string) {}
