package sim_test

import (
	"fmt"
	"time"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// A StatefulSet of two replicas with one claim template of a
// WaitForFirstConsumer class: each pod's node is chosen first, its volume
// is provisioned there and bound, and only then does the pod start.
func ExampleWorld_Run_statefulSet() {
	wait := volume.WaitForFirstConsumer
	w := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Start: 5 * time.Second, Ready: 5 * time.Second},
		Nodes:          []daemonset.Node{{Name: "node-a", Labels: map[string]string{"kubernetes.io/hostname": "node-a"}}},
		StorageClasses: []volume.StorageClass{{Name: "local", Provisioner: "local.csi.example.com", VolumeBindingMode: &wait}},
		StatefulSets: []sim.StatefulSet{{
			Set: statefulset.Set{Name: "db", Namespace: "shop", UID: "u1", Generation: 1, UpdateRevision: "db-1",
				Spec: statefulset.Spec{Replicas: ptr.To(int32(2)),
					Selector:             &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
					Template:             statefulset.PodTemplate{Labels: map[string]string{"app": "db"}},
					VolumeClaimTemplates: []statefulset.ClaimTemplate{{Name: "data"}}}},
			ClaimSpecs: map[string]volume.ClaimSpec{"data": {AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
				Request: volume.MustParseQuantity("1Gi"), StorageClassName: ptr.To("local")}},
		}},
	}
	tl, err := w.Run(t0.Add(time.Hour), 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			fmt.Printf("+%-3v %-9s %-10s %s\n", p.At.Sub(t0), a.Verb, a.Target, a.Reason)
		}
	}
	fmt.Println("finished:", tl.Finished, "at", tl.End.Sub(t0))
	// Output:
	// +0s  create    data-db-0  ClaimMissing
	// +0s  create    db-0       PodMissing
	// +0s  schedule  node-a     Scheduled
	// +0s  provision pvc-00001  ExternalProvisioning
	// +0s  bind      pvc-00001  PreBound
	// +10s create    data-db-1  ClaimMissing
	// +10s create    db-1       PodMissing
	// +10s schedule  node-a     Scheduled
	// +10s provision pvc-00004  ExternalProvisioning
	// +10s bind      pvc-00004  PreBound
	// finished: true at 20s
}
