//go:build kube135

package daemon

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/kubernetes/pkg/controller/daemon"
)

// recordPodWrite is a no-op before v1.36: the controller keeps no record
// of the resource versions it wrote.
func recordPodWrite(*daemon.DaemonSetsController, *appsv1.DaemonSet, string) {}
