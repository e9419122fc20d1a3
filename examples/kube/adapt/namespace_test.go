package adapt

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubectl's namespace: the current context's, else "default"
// (clientcmd's DirectClientConfig.Namespace).
func TestContextNamespace(t *testing.T) {
	cfg := &clientcmdapi.Config{CurrentContext: "dev", Contexts: map[string]*clientcmdapi.Context{
		"dev":  {Namespace: "team-a"},
		"bare": {},
	}}
	if got := ContextNamespace(cfg); got != "team-a" {
		t.Errorf("context dev: %q", got)
	}
	cfg.CurrentContext = "bare"
	if got := ContextNamespace(cfg); got != "default" {
		t.Errorf("context without namespace: %q", got)
	}
	cfg.CurrentContext = "missing"
	if got := ContextNamespace(cfg); got != "default" {
		t.Errorf("missing context: %q", got)
	}
	if got := ContextNamespace(nil); got != "default" {
		t.Errorf("no kubeconfig: %q", got)
	}
}

// A namespaced object without namespace comes back as a copy in the
// caller's namespace; one with a namespace and the cluster-scoped kinds
// come back as they are, and nothing passed in is modified.
func TestDefaultNamespace(t *testing.T) {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "ds"}}
	got := DefaultNamespace(ds, "team-a")
	if got.Namespace != "team-a" || ds.Namespace != "" || got == ds {
		t.Fatalf("DaemonSet: got %q, input now %q", got.Namespace, ds.Namespace)
	}
	for _, obj := range []interface {
		GetNamespace() string
	}{
		DefaultNamespace(&batchv1.Job{}, "team-a"), DefaultNamespace(&batchv1.CronJob{}, "team-a"),
		DefaultNamespace(&appsv1.StatefulSet{}, "team-a"), DefaultNamespace(&v1.Pod{}, "team-a"),
		DefaultNamespace(&v1.PersistentVolumeClaim{}, "team-a"), DefaultNamespace(&appsv1.ControllerRevision{}, "team-a"),
	} {
		if obj.GetNamespace() != "team-a" {
			t.Errorf("%T: namespace %q", obj, obj.GetNamespace())
		}
	}
	prod := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "j", Namespace: "prod"}}
	if got := DefaultNamespace(prod, "team-a"); got.Namespace != "prod" {
		t.Errorf("an object's own namespace was replaced: %q", got.Namespace)
	}
	node, pv, sc := &v1.Node{}, &v1.PersistentVolume{}, &storagev1.StorageClass{}
	if DefaultNamespace(node, "team-a").Namespace != "" || DefaultNamespace(pv, "team-a").Namespace != "" ||
		DefaultNamespace(sc, "team-a").Namespace != "" {
		t.Error("a cluster-scoped object got a namespace")
	}
	if !ClusterScoped(node) || !ClusterScoped(pv) || !ClusterScoped(sc) || ClusterScoped(ds) {
		t.Error("ClusterScoped")
	}
	var none *appsv1.DaemonSet
	if DefaultNamespace(none, "team-a") != nil {
		t.Error("a nil object came back non-nil")
	}
}
