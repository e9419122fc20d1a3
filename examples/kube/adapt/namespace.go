package adapt

import (
	"reflect"

	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// DefaultNamespaceName is the namespace kubectl uses when neither the
// command line nor the kubeconfig context names one.
const DefaultNamespaceName = "default"

// ContextNamespace is the namespace kubectl works in for cfg: the current
// context's namespace, else "default" (also when cfg is nil or its current
// context is missing).
func ContextNamespace(cfg *clientcmdapi.Config) string {
	if cfg != nil {
		if ctx, ok := cfg.Contexts[cfg.CurrentContext]; ok && ctx != nil && ctx.Namespace != "" {
			return ctx.Namespace
		}
	}
	return DefaultNamespaceName
}

// ClusterScoped reports whether obj is of a kind without namespace among
// those purectl reads: Node, PersistentVolume, StorageClass (and
// Namespace itself).
func ClusterScoped(obj runtime.Object) bool {
	switch obj.(type) {
	case *v1.Node, *v1.PersistentVolume, *storagev1.StorageClass, *v1.Namespace:
		return true
	}
	return false
}

// DefaultNamespace gives obj the namespace namespace when it has none, as
// kubectl does with a manifest's objects: a namespaced object with an
// empty metadata.namespace comes back as a copy in namespace; an object
// that has a namespace, a cluster-scoped one (ClusterScoped) and one
// without object metadata come back as they are. obj is never modified.
func DefaultNamespace[T runtime.Object](obj T, namespace string) T {
	if v := reflect.ValueOf(obj); !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil() || ClusterScoped(obj) {
		return obj
	}
	m, err := meta.Accessor(obj)
	if err != nil || m.GetNamespace() != "" {
		return obj
	}
	out, ok := obj.DeepCopyObject().(T)
	if !ok {
		return obj
	}
	m, _ = meta.Accessor(out)
	m.SetNamespace(namespace)
	return out
}
