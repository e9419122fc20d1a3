//go:build kube136 || kube137

package daemon

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/controller/daemon"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

// recordPodWrite records in the controller's consistency store (v1.36 on,
// StaleControllerConsistencyDaemonSet) a pod write of ds at resource
// version rv, as its pod control's OnWrite does after a create or an
// adoption.
func recordPodWrite(dsc *daemon.DaemonSetsController, ds *appsv1.DaemonSet, rv string) {
	// Named by its method rather than by its package, which older releases
	// lack (go mod tidy reads every build tag's imports).
	store := reach.Get(dsc, "consistencyStore").(interface {
		WroteAt(owner types.NamespacedName, ownerUID types.UID, resource schema.GroupResource, rv string)
	})
	store.WroteAt(types.NamespacedName{Namespace: ds.Namespace, Name: ds.Name}, ds.UID, schema.GroupResource{Resource: "pods"}, rv)
}
