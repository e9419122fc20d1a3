package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

func init() { register(20, "StatefulSet: ordered identities and their claims", statefulSetChapter) }

// showSet prints the set's pods (revision, node, claim → volume) and status.
func showSet(w io.Writer, world *sim.World) {
	pods := slices.Clone(world.Pods)
	sort.Slice(pods, func(i, j int) bool { return pods[i].Index < pods[j].Index })
	for _, p := range pods {
		claim := p.Volumes[0].ClaimName
		pv := ""
		if k := slices.IndexFunc(world.Claims, func(c sim.Claim) bool { return c.Name == claim }); k >= 0 {
			pv = world.Claims[k].Spec.VolumeName
		}
		fmt.Fprintf(w, "    %-5s %-6s on %-7s %s → %s\n", p.Name, p.Labels[statefulset.RevisionLabel], p.Node, claim, pv)
	}
	st := world.StatefulSets[0].Status
	fmt.Fprintf(w, "  status: replicas=%d ready=%d current=%d updated=%d currentRevision=%s updateRevision=%s\n",
		st.Replicas, st.ReadyReplicas, st.CurrentReplicas, st.UpdatedReplicas, st.CurrentRevision, st.UpdateRevision)
}

// podsOnly hides claim and scheduling writes.
func podsOnly(a sim.Action) bool {
	return strings.HasPrefix(a.Object, "statefulset/") && strings.HasPrefix(a.Target, "db-")
}

func statefulSetChapter(w io.Writer) error {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	wait := volume.WaitForFirstConsumer
	world := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Start: 5 * time.Second, Ready: 5 * time.Second, Terminate: 10 * time.Second},
		Nodes: []daemonset.Node{
			{Name: "node-1", Labels: map[string]string{"kubernetes.io/hostname": "node-1"}},
			{Name: "node-2", Labels: map[string]string{"kubernetes.io/hostname": "node-2"}}},
		StorageClasses: []volume.StorageClass{{Name: "local", Provisioner: "local.csi.example.com", VolumeBindingMode: &wait}},
	}
	world.StatefulSets = []sim.StatefulSet{{
		Set: statefulset.Set{Name: "db", Namespace: "shop", UID: "sts-1", Generation: 1,
			Spec: statefulset.Spec{
				Replicas:             ptr.To(int32(3)),
				Selector:             &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
				Template:             statefulset.PodTemplate{Labels: map[string]string{"app": "db"}},
				ServiceName:          "db",
				VolumeClaimTemplates: []statefulset.ClaimTemplate{{Name: "data"}},
			},
			UpdateRevision: "db-v1"},
		ClaimSpecs: map[string]volume.ClaimSpec{"data": {AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
			Request: volume.MustParseQuantity("10Gi"), StorageClassName: ptr.To("local")}},
	}}
	set := &world.StatefulSets[0]

	fmt.Fprintln(w, "StatefulSet db, 3 replicas, OrderedReady, one claim template \"data\" of a WaitForFirstConsumer")
	fmt.Fprintln(w, "class on two nodes; pods run 5s after they can start and are Ready 5s later. Each pass creates")
	fmt.Fprintln(w, "the lowest missing ordinal, its claim first; the scheduler picks the pod's node, the volume is")
	fmt.Fprintln(w, "provisioned there and bound, and only a Ready pod lets the next ordinal start:")
	if _, err := run(w, world, t0, time.Hour, noEvents); err != nil {
		return err
	}
	showSet(w, world)

	fmt.Fprintln(w, "\nScale to 5: db-3, then db-4.")
	set.Spec.Replicas = ptr.To(int32(5))
	set.Generation++
	if _, err := run(w, world, t0, time.Hour, podsOnly); err != nil {
		return err
	}
	showSet(w, world)

	fmt.Fprintln(w, "\nNew template db-v2 with rollingUpdate.partition=3: only slots 3 and 4 move, highest first,")
	fmt.Fprintln(w, "each deleted, then recreated with its name and claim once it is gone.")
	set.Generation++
	set.UpdateRevision = "db-v2"
	set.Spec.UpdateStrategy = statefulset.UpdateStrategy{Type: statefulset.RollingUpdate,
		RollingUpdate: &statefulset.RollingUpdateStrategy{Partition: ptr.To(int32(3))}}
	if _, err := run(w, world, t0, time.Hour, podsOnly); err != nil {
		return err
	}
	showSet(w, world)

	fmt.Fprintln(w, "\nSomeone deletes pod db-0: it comes back with the same name, node and claim,")
	fmt.Fprintln(w, "at the current revision because slot 0 is below the partition.")
	k := slices.IndexFunc(world.Claims, func(c sim.Claim) bool { return c.Name == "data-db-0" })
	before := world.Claims[k].UID
	for i := range world.Pods {
		if world.Pods[i].Name == "db-0" {
			world.Pods[i].Deleted = world.Now
		}
	}
	if _, err := run(w, world, t0, time.Hour, podsOnly); err != nil {
		return err
	}
	showSet(w, world)
	k = slices.IndexFunc(world.Claims, func(c sim.Claim) bool { return c.Name == "data-db-0" })
	fmt.Fprintf(w, "  claim data-db-0 reused: %v\n", k >= 0 && world.Claims[k].UID == before)

	fmt.Fprintln(w, "\nDelete the StatefulSet (foreground): the controller only reports status, garbage collection")
	fmt.Fprintln(w, "deletes the pods and then the set, and the claims stay (persistentVolumeClaimRetentionPolicy")
	fmt.Fprintln(w, "whenDeleted=Retain gives them no owner).")
	set.DeletionTimestamp = world.Now
	if _, err := run(w, world, t0, time.Hour, func(a sim.Action) bool { return a.Verb == "delete" && a.Target == "db" }); err != nil {
		return err
	}
	var claims []string
	for _, c := range world.Claims {
		claims = append(claims, c.Name+"("+string(c.Status.Phase)+")")
	}
	fmt.Fprintf(w, "  pods left: %d; claims kept: %s\n", len(world.Pods), strings.Join(claims, " "))
	return nil
}
