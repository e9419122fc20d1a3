package adapt_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/client-go/tools/record"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
)

// A client-go caller plans a DaemonSet it read from the API server (here
// built in place, without namespace, as a manifest often is): the objects
// go in through adapt, the plan comes back as the pods to create, the
// status to write and the events to record.
func Example() {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	labels := map[string]string{"app": "agent"}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", UID: "ds-uid", Generation: 1},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: v1.PodSpec{Containers: []v1.Container{{Name: "agent", Image: "agent:1"}}}},
		},
	}
	// kubectl's namespace: the kubeconfig context's, else "default".
	ds = adapt.DefaultNamespace(ds, adapt.ContextNamespace(nil))
	nodes := []*v1.Node{
		{ObjectMeta: metav1.ObjectMeta{Name: "node-a"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "node-b"}},
	}

	in := daemonset.Default(adapt.DaemonSet(ds), daemonset.Release{})
	plan, err := daemonset.PlanDaemonSet(adapt.Nodes(nodes), nil, in, now, daemonset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range plan.Creates {
		pod := adapt.DaemonPodFor(ds, &plan, c)
		term := pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0]
		fmt.Printf("create %s* in %s on %v, owned by %s\n", pod.GenerateName, pod.Namespace, term.MatchFields[0].Values, pod.OwnerReferences[0].Kind)
	}
	st := adapt.DaemonSetStatus(ds, plan.Status)
	fmt.Println("status: desired", st.DesiredNumberScheduled, "observedGeneration", st.ObservedGeneration)

	rec := record.NewFakeRecorder(10)
	adapt.RecordEvents(rec, ds, adapt.DaemonSetEvents(ds, &plan, now))
	close(rec.Events)
	for e := range rec.Events {
		fmt.Println("event:", e)
	}
	// Output:
	// create agent-* in default on [node-a], owned by DaemonSet
	// create agent-* in default on [node-b], owned by DaemonSet
	// status: desired 2 observedGeneration 1
	// event: Normal MissingPod node node-a should run a pod of daemonset agent and has none
	// event: Normal MissingPod node node-b should run a pod of daemonset agent and has none
}

// Objects of a manifest without namespace land in the kubeconfig
// context's namespace, as kubectl apply puts them; a PersistentVolume is
// cluster-scoped and stays without one.
func ExampleDefaultNamespace() {
	cfg := &clientcmdapi.Config{CurrentContext: "dev",
		Contexts: map[string]*clientcmdapi.Context{"dev": {Namespace: "team-a"}}}
	ns := adapt.ContextNamespace(cfg)
	claim := adapt.DefaultNamespace(&v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data"}}, ns)
	pv := adapt.DefaultNamespace(&v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-1"}}, ns)
	fmt.Printf("claim %q, volume %q\n", claim.Namespace, pv.Namespace)
	// Output: claim "team-a", volume ""
}
