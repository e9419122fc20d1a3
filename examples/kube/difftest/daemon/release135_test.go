//go:build kube135 || kube136 || kube137

package daemon

import (
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/daemon"
)

// nodeShouldRun is the controller's NodeShouldRunDaemonPod (from v1.35 with
// a logger).
func nodeShouldRun(n *v1.Node, ds *appsv1.DaemonSet) (bool, bool) {
	return daemon.NodeShouldRunDaemonPod(klog.Background(), n, ds)
}
