package sim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

var releases = []string{"1.34", "1.35", "1.36", "1.37"}

// storage is how the claims of a drawn world get their volumes.
type storage int

const (
	delayedProvisioning   storage = iota // WaitForFirstConsumer class, external provisioner
	immediateProvisioning                // Immediate class, external provisioner
	staticVolumes                        // no class: pre-made volumes, one per claim
	localVolumes                         // WaitForFirstConsumer, no provisioner: pre-made volumes pinned to nodes
	storageKinds                         // how many kinds there are
)

// statefulWorld is a world with nodes, a StatefulSet "db" of revision v1
// with the given claim templates, and the storage drawn.
func statefulWorld(nodes, replicas, templates int, st storage, life sim.Lifecycle) *sim.World {
	w := &sim.World{Now: t0, Lifecycle: life}
	for i := range nodes {
		name := fmt.Sprintf("node-%d", i)
		w.Nodes = append(w.Nodes, daemonset.Node{Name: name, Labels: map[string]string{"kubernetes.io/hostname": name}})
	}
	set := statefulset.Set{Name: "db", Namespace: "shop", UID: "sts-1", Generation: 1,
		Spec: statefulset.Spec{
			Replicas:    ptr.To(int32(replicas)),
			Selector:    &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
			Template:    statefulset.PodTemplate{Labels: map[string]string{"app": "db"}},
			ServiceName: "db",
		},
		UpdateRevision: "v1"}
	specs := map[string]volume.ClaimSpec{}
	for k := range templates {
		name := fmt.Sprintf("data%d", k)
		set.Spec.VolumeClaimTemplates = append(set.Spec.VolumeClaimTemplates, statefulset.ClaimTemplate{Name: name})
		spec := volume.ClaimSpec{AccessModes: []volume.AccessMode{volume.ReadWriteOnce}, Request: volume.MustParseQuantity("1Gi")}
		switch st {
		case delayedProvisioning:
			spec.StorageClassName = ptr.To("local")
		case immediateProvisioning:
			spec.StorageClassName = ptr.To("fast")
		case staticVolumes:
			spec.StorageClassName = ptr.To("")
		case localVolumes:
			spec.StorageClassName = ptr.To("local-static")
		}
		specs[name] = spec
	}
	w.StatefulSets = []sim.StatefulSet{{Set: set, ClaimSpecs: specs}}
	wait, now := volume.WaitForFirstConsumer, volume.Immediate
	w.StorageClasses = []volume.StorageClass{
		{Name: "local", Provisioner: "local.csi.example.com", VolumeBindingMode: &wait},
		{Name: "fast", Provisioner: "fast.csi.example.com", VolumeBindingMode: &now},
		{Name: "local-static", Provisioner: volume.NoProvisioner, VolumeBindingMode: &wait},
	}
	if st == localVolumes && nodes > 0 {
		// One volume per claim, pinned to nodes a pod's worth at a time,
		// so that a pod fits on a node only while it has that many free.
		for i := range replicas * templates {
			node := w.Nodes[(i/templates)%nodes].Name
			w.Volumes = append(w.Volumes, volume.Volume{Name: fmt.Sprintf("local-%02d", i),
				Spec: volume.VolumeSpec{Capacity: volume.MustParseQuantity("1Gi"), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
					StorageClassName: "local-static", ReclaimPolicy: volume.Retain,
					NodeAffinity: &volume.NodeSelector{Terms: []volume.NodeSelectorTerm{{MatchExpressions: []volume.NodeSelectorRequirement{
						{Key: "kubernetes.io/hostname", Operator: volume.NodeOpIn, Values: []string{node}}}}}},
					Source: volume.VolumeSource{Local: &volume.LocalSource{Path: fmt.Sprint("/mnt/disk", i)}}}})
		}
	}
	if st == staticVolumes {
		for i := range replicas * templates {
			w.Volumes = append(w.Volumes, volume.Volume{Name: fmt.Sprintf("pv-%02d", i),
				Spec: volume.VolumeSpec{Capacity: volume.MustParseQuantity("2Gi"), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
					ReclaimPolicy: volume.Retain, Source: volume.VolumeSource{NFS: &volume.NFSSource{Server: "nfs", Path: fmt.Sprint("/", i)}}}})
		}
	}
	return w
}

func drawLife(t *rapid.T) sim.Lifecycle {
	return sim.Lifecycle{
		Start:     time.Duration(rapid.IntRange(0, 30).Draw(t, "start")) * time.Second,
		Ready:     time.Duration(rapid.IntRange(0, 20).Draw(t, "ready")) * time.Second,
		Terminate: time.Duration(rapid.IntRange(0, 60).Draw(t, "terminate")) * time.Second,
		Provision: time.Duration(rapid.IntRange(0, 30).Draw(t, "provision")) * time.Second,
	}
}

// podCreates lists the pods the StatefulSet created, in order.
func podCreates(tl sim.Timeline) []string {
	var out []string
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			if a.Object == "statefulset/shop/db" && a.Verb == "create" && a.Reason != "" && strings.HasPrefix(a.Target, "db-") {
				out = append(out, a.Target)
			}
		}
	}
	return out
}

func ordinal(name string) int32 {
	_, o := statefulset.ParseOrdinal(name)
	return o
}

// checkClaimsBound fails unless every claim of the world is Bound, each to
// its own volume, and a volume that can be reached from some nodes only
// serves a pod on one of those nodes.
func checkClaimsBound(t *rapid.T, w *sim.World, wantClaims int) {
	if len(w.Claims) != wantClaims {
		t.Fatalf("%d claims, want %d", len(w.Claims), wantClaims)
	}
	used := map[string]string{}
	for _, c := range w.Claims {
		if c.Status.Phase != volume.ClaimBound || c.Spec.VolumeName == "" {
			t.Fatalf("claim %s is %s (volume %q)", c.Name, c.Status.Phase, c.Spec.VolumeName)
		}
		if other, ok := used[c.Spec.VolumeName]; ok {
			t.Fatalf("volume %s bound to claims %s and %s", c.Spec.VolumeName, other, c.Name)
		}
		used[c.Spec.VolumeName] = c.Name
		i := slices.IndexFunc(w.Volumes, func(v volume.Volume) bool { return v.Name == c.Spec.VolumeName })
		if i < 0 {
			t.Fatalf("claim %s bound to missing volume %s", c.Name, c.Spec.VolumeName)
		}
		v := w.Volumes[i]
		if r := v.Spec.ClaimRef; r == nil || r.Name != c.Name || r.UID != c.UID {
			t.Fatalf("volume %s claimRef %+v, claim %s", v.Name, r, c.Name)
		}
		if v.Spec.NodeAffinity == nil {
			continue
		}
		allowed := v.Spec.NodeAffinity.Terms[0].MatchExpressions[0].Values
		for _, p := range w.Pods {
			for _, pv := range p.Volumes {
				if pv.ClaimName == c.Name && !slices.Contains(allowed, p.Node) {
					t.Fatalf("pod %s on node %s uses volume %s reachable from %v only", p.Name, p.Node, v.Name, allowed)
				}
			}
		}
	}
}

// An OrderedReady scale-up (StatefulSet controller, monotonic pod
// management in updateStatefulSet): pods are created in ordinal order,
// never two of them not Ready at once, and every claim ends Bound, whether
// its volume is provisioned for the node the pod was scheduled to, bound at
// once, or taken from pre-made volumes.
func TestStatefulSetOrderedScaleUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		replicas := rapid.IntRange(1, 8).Draw(t, "replicas")
		templates := rapid.IntRange(0, 2).Draw(t, "templates")
		st := storage(rapid.IntRange(0, int(storageKinds)-1).Draw(t, "storage"))
		w := statefulWorld(rapid.IntRange(1, 4).Draw(t, "nodes"), replicas, templates, st, drawLife(t))
		w.StatefulSets[0].Spec.MinReadySeconds = int32(rapid.IntRange(0, 10).Draw(t, "minReady"))
		w.StatefulSets[0].Options.Release.Version = rapid.SampledFrom(releases).Draw(t, "release")
		tl, err := w.Run(t0.Add(24*time.Hour), 5000)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range tl.Passes {
			if s := p.StatefulSets[0]; s.NotReady > 1 {
				t.Fatalf("%d pods not Ready at +%v: %+v", s.NotReady, p.At.Sub(t0), s)
			}
		}
		creates := podCreates(tl)
		if len(creates) != replicas {
			t.Fatalf("created %v, want %d pods", creates, replicas)
		}
		for i, name := range creates {
			if ordinal(name) != int32(i) {
				t.Fatalf("pods created in the order %v", creates)
			}
		}
		if !tl.Finished {
			t.Fatalf("not finished (stuck %v): %+v", tl.Stuck, tl.Passes[len(tl.Passes)-1].StatefulSets[0])
		}
		checkClaimsBound(t, w, replicas*templates)
	})
}

// rolledOutSet runs a fresh set to the end at revision v1, then changes its
// template to v2 with the partition given.
func rolledOutSet(t *rapid.T, w *sim.World, partition int32) {
	tl, err := w.Run(t0.Add(24*time.Hour), 5000)
	if err != nil || !tl.Finished {
		t.Fatalf("initial rollout: finished %v, %v", tl.Finished, err)
	}
	s := &w.StatefulSets[0]
	s.Generation++
	s.UpdateRevision = "v2"
	s.Spec.UpdateStrategy = statefulset.UpdateStrategy{Type: statefulset.RollingUpdate,
		RollingUpdate: &statefulset.RollingUpdateStrategy{Partition: ptr.To(partition)}}
}

// A partitioned rolling update (updateStatefulSet's RollingUpdate branch):
// pods in slots below the partition are never deleted and stay at the old
// revision; the others are replaced one at a time, highest ordinal first;
// the update finishes; and the pods keep their claims.
func TestStatefulSetPartitionedRollingUpdate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		replicas := rapid.IntRange(1, 8).Draw(t, "replicas")
		templates := rapid.IntRange(0, 2).Draw(t, "templates")
		st := storage(rapid.IntRange(0, int(storageKinds)-1).Draw(t, "storage"))
		w := statefulWorld(rapid.IntRange(1, 4).Draw(t, "nodes"), replicas, templates, st, drawLife(t))
		w.StatefulSets[0].Options.Release.Version = rapid.SampledFrom(releases).Draw(t, "release")
		partition := int32(rapid.IntRange(0, replicas+1).Draw(t, "partition"))
		rolledOutSet(t, w, partition)
		claimsBefore := map[string]string{}
		for _, c := range w.Claims {
			claimsBefore[c.Name] = c.UID
		}
		tl, err := w.Run(t0.Add(48*time.Hour), 5000)
		if err != nil {
			t.Fatal(err)
		}
		var deleted []int32
		for _, p := range tl.Passes {
			if s := p.StatefulSets[0]; s.NotReady+s.Terminating > 1 {
				t.Fatalf("%d pods not Ready or terminating at %v: %+v", s.NotReady+s.Terminating, p.At, s)
			}
			for _, a := range p.Actions {
				if a.Object == "statefulset/shop/db" && a.Verb == "delete" && strings.HasPrefix(a.Target, "db-") {
					deleted = append(deleted, ordinal(a.Target))
				}
			}
		}
		var want []int32
		for o := int32(replicas) - 1; o >= partition; o-- {
			want = append(want, o)
		}
		if !slices.Equal(deleted, want) {
			t.Fatalf("deleted ordinals %v, want %v", deleted, want)
		}
		if !tl.Finished {
			t.Fatalf("not finished (stuck %v): %+v", tl.Stuck, tl.Passes[len(tl.Passes)-1].StatefulSets[0])
		}
		for _, p := range w.Pods {
			want := "v2"
			if ordinal(p.Name) < partition {
				want = "v1"
			}
			if got := p.Labels[statefulset.RevisionLabel]; got != want {
				t.Fatalf("pod %s at %s, want %s (partition %d)", p.Name, got, want, partition)
			}
		}
		for _, c := range w.Claims {
			if claimsBefore[c.Name] != c.UID {
				t.Fatalf("claim %s was replaced", c.Name)
			}
		}
		checkClaimsBound(t, w, replicas*templates)
	})
}

// A new template whose pods never get Ready: the update replaces the
// highest ordinal and waits there for good; the timeline says so.
func TestStatefulSetBrokenTemplateGetsStuck(t *testing.T) {
	w := statefulWorld(2, 4, 1, delayedProvisioning, sim.Lifecycle{Start: 5 * time.Second, Ready: 5 * time.Second, Terminate: 10 * time.Second})
	tl, err := w.Run(t0.Add(time.Hour), 1000)
	if err != nil || !tl.Finished {
		t.Fatalf("initial rollout: finished %v, %v", tl.Finished, err)
	}
	w.Lifecycle.NeverReady = func(p *sim.Pod) bool { return p.Labels[statefulset.RevisionLabel] == "v2" }
	w.StatefulSets[0].UpdateRevision = "v2"
	w.StatefulSets[0].Generation++
	tl, err = w.Run(t0.Add(2*time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	last := tl.Passes[len(tl.Passes)-1].StatefulSets[0]
	if !tl.Stuck || last.Updated != 1 || !strings.Contains(last.Blocked, "db-3 is Running but not Ready") {
		t.Fatalf("stuck %v, last %+v", tl.Stuck, last)
	}
}

// A StatefulSet pod whose claim has a WaitForFirstConsumer class stays
// Pending without a node: with no node in the world, the claim waits for
// its first consumer to be scheduled and the run is stuck on it.
func TestStatefulSetDelayedClaimWithoutNodesIsStuck(t *testing.T) {
	w := statefulWorld(0, 1, 1, delayedProvisioning, sim.Lifecycle{})
	tl, err := w.Run(t0.Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	last := tl.Passes[len(tl.Passes)-1].StatefulSets[0]
	if !tl.Stuck || last.Bound != 0 || last.Claims != 1 || !strings.Contains(last.Blocked, "claim data0-db-0") {
		t.Fatalf("stuck %v, last %+v", tl.Stuck, last)
	}
}

// whenScaled=Delete (StatefulSetAutoDeletePVC): scaling down gives the
// condemned pods' claims the pod as owner, so garbage collection removes
// them with the pod; the remaining claims stay.
func TestStatefulSetScaleDownDeletesClaims(t *testing.T) {
	w := statefulWorld(2, 3, 1, immediateProvisioning, sim.Lifecycle{Start: time.Second, Ready: time.Second, Terminate: 5 * time.Second})
	w.StatefulSets[0].Spec.PersistentVolumeClaimRetentionPolicy = &statefulset.RetentionPolicy{WhenScaled: statefulset.Delete}
	tl, err := w.Run(t0.Add(time.Hour), 1000)
	if err != nil || !tl.Finished {
		t.Fatalf("initial rollout: finished %v, %v", tl.Finished, err)
	}
	w.StatefulSets[0].Spec.Replicas = ptr.To(int32(1))
	w.StatefulSets[0].Generation++
	tl, err = w.Run(t0.Add(2*time.Hour), 1000)
	if err != nil || !tl.Finished {
		t.Fatalf("scale-down: finished %v, %v", tl.Finished, err)
	}
	var names []string
	for _, c := range w.Claims {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"data0-db-0"}) || len(w.Pods) != 1 || len(w.Volumes) != 1 {
		t.Fatalf("claims %v, %d pods, %d volumes", names, len(w.Pods), len(w.Volumes))
	}
}

// An OrderedReady scale-down (monotonic pod management, condemned pods):
// the highest ordinals go first, one at a time, each only once the one
// before it is gone; the claims stay (whenScaled=Retain).
func TestStatefulSetOrderedScaleDown(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		replicas := rapid.IntRange(1, 8).Draw(t, "replicas")
		target := rapid.IntRange(0, replicas).Draw(t, "target")
		w := statefulWorld(rapid.IntRange(1, 3).Draw(t, "nodes"), replicas, 1, storage(rapid.IntRange(0, int(storageKinds)-1).Draw(t, "storage")), drawLife(t))
		w.StatefulSets[0].Options.Release.Version = rapid.SampledFrom(releases).Draw(t, "release")
		tl, err := w.Run(t0.Add(24*time.Hour), 5000)
		if err != nil || !tl.Finished {
			t.Fatalf("scale-up: finished %v, %v", tl.Finished, err)
		}
		w.StatefulSets[0].Spec.Replicas = ptr.To(int32(target))
		w.StatefulSets[0].Generation++
		tl, err = w.Run(t0.Add(48*time.Hour), 5000)
		if err != nil || !tl.Finished {
			t.Fatalf("scale-down: finished %v, %v", tl.Finished, err)
		}
		var deleted []int32
		for _, p := range tl.Passes {
			if s := p.StatefulSets[0]; s.Terminating > 1 {
				t.Fatalf("%d pods terminating at once at %v", s.Terminating, p.At)
			}
			for _, a := range p.Actions {
				if a.Verb == "delete" && strings.HasPrefix(a.Target, "db-") {
					deleted = append(deleted, ordinal(a.Target))
				}
			}
		}
		var want []int32
		for o := int32(replicas) - 1; o >= int32(target); o-- {
			want = append(want, o)
		}
		if !slices.Equal(deleted, want) {
			t.Fatalf("deleted %v, want %v", deleted, want)
		}
		if len(w.Pods) != target || len(w.Claims) != replicas {
			t.Fatalf("%d pods, %d claims; want %d and %d", len(w.Pods), len(w.Claims), target, replicas)
		}
	})
}

// A 100-replica OrderedReady set from nothing, each pod with a claim
// provisioned for its node: about three passes per pod.
func BenchmarkStatefulSetScaleUp100(b *testing.B) {
	for b.Loop() {
		w := statefulWorld(10, 100, 1, delayedProvisioning, sim.Lifecycle{Start: time.Second, Ready: time.Second})
		tl, err := w.Run(t0.Add(24*time.Hour), 10000)
		if err != nil || !tl.Finished {
			b.Fatalf("finished %v, %v", tl.Finished, err)
		}
	}
}

// A rolling update with rollingUpdate.maxUnavailable (MaxUnavailableStatefulSet,
// on by default from 1.37; before, the budget is one pod): never more pods
// unavailable than the budget, and the update finishes at the new revision.
func TestStatefulSetRollingUpdateBudget(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		replicas := rapid.IntRange(1, 8).Draw(t, "replicas")
		budget := rapid.IntRange(1, 4).Draw(t, "maxUnavailable")
		release := rapid.SampledFrom(releases).Draw(t, "release")
		w := statefulWorld(rapid.IntRange(1, 3).Draw(t, "nodes"), replicas, 1, storage(rapid.IntRange(0, int(storageKinds)-1).Draw(t, "storage")), drawLife(t))
		s := &w.StatefulSets[0]
		s.Options.Release.Version = release
		if rapid.Bool().Draw(t, "parallel") {
			s.Spec.PodManagementPolicy = statefulset.Parallel
		}
		rolledOutSet(t, w, 0)
		mu := statefulset.IntOrString(daemonset.FromInt(int32(budget)))
		s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = &mu
		tl, err := w.Run(t0.Add(48*time.Hour), 5000)
		if err != nil {
			t.Fatal(err)
		}
		allowed := 1
		if release == "1.37" {
			allowed = budget
		}
		for _, p := range tl.Passes {
			if st := p.StatefulSets[0]; st.Replicas-st.Ready > allowed {
				t.Fatalf("%d of %d pods unavailable at +%v, budget %d (release %s): %+v", st.Replicas-st.Ready, st.Replicas, p.At.Sub(t0), allowed, release, st)
			}
		}
		if !tl.Finished {
			t.Fatalf("not finished (stuck %v): %+v", tl.Stuck, tl.Passes[len(tl.Passes)-1].StatefulSets[0])
		}
		for _, p := range w.Pods {
			if p.Labels[statefulset.RevisionLabel] != "v2" {
				t.Fatalf("pod %s left at %s", p.Name, p.Labels[statefulset.RevisionLabel])
			}
		}
	})
}

// Local volumes pinned to nodes (WaitForFirstConsumer, no provisioner): a
// pod goes to a node that still has a free volume, and when none is left
// the next pod stays Pending without a node and says why.
func TestStatefulSetLocalVolumesRunOut(t *testing.T) {
	w := statefulWorld(2, 3, 1, localVolumes, sim.Lifecycle{Start: time.Second, Ready: time.Second})
	w.Volumes = w.Volumes[:2] // local-00 on node-0, local-01 on node-1: room for two pods
	tl, err := w.Run(t0.Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	last := tl.Passes[len(tl.Passes)-1].StatefulSets[0]
	if !tl.Stuck || last.Ready != 2 || !strings.Contains(last.Blocked, "db-2 is Pending: no node fits its volumes") {
		t.Fatalf("stuck %v, last %+v", tl.Stuck, last)
	}
	nodes := map[string]string{}
	for _, p := range w.Pods {
		nodes[p.Name] = p.Node
	}
	if nodes["db-0"] == nodes["db-1"] || nodes["db-2"] != "" {
		t.Fatalf("pods on nodes %v", nodes)
	}
}

// A provisioner that takes 20s: the claim is Pending, and its pod waits,
// until the volume exists; the pod runs Lifecycle.Start after its claim is
// bound.
func TestStatefulSetWaitsForProvisioning(t *testing.T) {
	w := statefulWorld(1, 1, 1, delayedProvisioning, sim.Lifecycle{Start: 5 * time.Second, Ready: time.Second, Provision: 20 * time.Second})
	tl, err := w.Run(t0.Add(time.Hour), 100)
	if err != nil || !tl.Finished {
		t.Fatalf("finished %v, %v", tl.Finished, err)
	}
	var provisioned time.Duration = -1
	before := ""
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			if a.Verb == "provision" {
				provisioned = p.At.Sub(t0)
			}
		}
		if p.At.Sub(t0) < 20*time.Second {
			before = p.StatefulSets[0].Blocked
		}
	}
	if !strings.Contains(before, "claim data0-db-0 is not bound (waiting for a volume to be created") {
		t.Errorf("before the volume exists the set waits on %q", before)
	}
	if provisioned != 20*time.Second || tl.End.Sub(t0) != 26*time.Second || w.Pods[0].Running.Sub(t0) != 25*time.Second {
		t.Fatalf("provisioned at +%v, running at +%v, end +%v", provisioned, w.Pods[0].Running.Sub(t0), tl.End.Sub(t0))
	}
}

// Deleting a StatefulSet (foreground cascading deletion): its pods are
// deleted, then the set is removed; the claims stay under whenDeleted=Retain
// and go, with their provisioned volumes (reclaim policy Delete), under
// whenDeleted=Delete, which makes the set their owner.
func TestStatefulSetDeletion(t *testing.T) {
	for _, policy := range []statefulset.RetentionPolicyType{statefulset.Retain, statefulset.Delete} {
		w := statefulWorld(2, 3, 1, immediateProvisioning, sim.Lifecycle{Start: time.Second, Ready: time.Second, Terminate: 10 * time.Second})
		w.StatefulSets[0].Spec.PersistentVolumeClaimRetentionPolicy = &statefulset.RetentionPolicy{WhenDeleted: policy}
		tl, err := w.Run(t0.Add(time.Hour), 1000)
		if err != nil || !tl.Finished {
			t.Fatalf("%s: rollout finished %v, %v", policy, tl.Finished, err)
		}
		start := w.Now
		w.StatefulSets[0].DeletionTimestamp = start
		tl, err = w.Run(t0.Add(2*time.Hour), 1000)
		if err != nil || !tl.Finished {
			t.Fatalf("%s: deletion finished %v, %v", policy, tl.Finished, err)
		}
		if len(w.StatefulSets) != 0 || len(w.Pods) != 0 {
			t.Fatalf("%s: %d sets, %d pods left", policy, len(w.StatefulSets), len(w.Pods))
		}
		want := 3
		if policy == statefulset.Delete {
			want = 0
		}
		if len(w.Claims) != want || len(w.Volumes) != want {
			t.Fatalf("%s: %d claims and %d volumes left, want %d", policy, len(w.Claims), len(w.Volumes), want)
		}
		var removed time.Duration = -1
		for _, p := range tl.Passes {
			for _, a := range p.Actions {
				if a.Verb == "delete" && a.Target == "db" {
					removed = p.At.Sub(start)
				}
			}
		}
		if removed != 10*time.Second {
			t.Fatalf("%s: the set was removed at +%v, want once its pods finished terminating (+10s)", policy, removed)
		}
	}
}

// A Parallel scale-up: every pod and its claims are created in the first
// pass at once (slow-start batches of 1, 2, 4 … within the pass), in
// ordinal order, and every claim ends Bound.
func TestStatefulSetParallelScaleUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		replicas := rapid.IntRange(1, 12).Draw(t, "replicas")
		templates := rapid.IntRange(0, 2).Draw(t, "templates")
		w := statefulWorld(rapid.IntRange(1, 4).Draw(t, "nodes"), replicas, templates,
			storage(rapid.IntRange(0, int(storageKinds)-1).Draw(t, "storage")), drawLife(t))
		w.StatefulSets[0].Spec.PodManagementPolicy = statefulset.Parallel
		w.StatefulSets[0].Options.Release.Version = rapid.SampledFrom(releases).Draw(t, "release")
		tl, err := w.Run(t0.Add(24*time.Hour), 5000)
		if err != nil {
			t.Fatal(err)
		}
		first := 0
		for _, a := range tl.Passes[0].Actions {
			if a.Verb == "create" && strings.HasPrefix(a.Target, "db-") {
				first++
			}
		}
		creates := podCreates(tl)
		if first != replicas || len(creates) != replicas {
			t.Fatalf("%d pods created in the first pass, %d in all; want %d", first, len(creates), replicas)
		}
		for i, name := range creates {
			if ordinal(name) != int32(i) {
				t.Fatalf("pods created in the order %v", creates)
			}
		}
		if !tl.Finished {
			t.Fatalf("not finished (stuck %v): %+v", tl.Stuck, tl.Passes[len(tl.Passes)-1].StatefulSets[0])
		}
		checkClaimsBound(t, w, replicas*templates)
	})
}

// The same StatefulSet world gives the same timeline, volumes and
// scheduling included.
func TestStatefulSetRunIsDeterministic(t *testing.T) {
	run := func() (sim.Timeline, []sim.Pod, []sim.Claim, []volume.Volume) {
		w := statefulWorld(3, 6, 2, localVolumes, sim.Lifecycle{Start: 3 * time.Second, Ready: 2 * time.Second, Terminate: 5 * time.Second, Provision: time.Second})
		w.Volumes = append(w.Volumes, statefulWorld(3, 6, 2, staticVolumes, sim.Lifecycle{}).Volumes...)
		w.StatefulSets[0].Spec.PodManagementPolicy = statefulset.Parallel
		tl, err := w.Run(t0.Add(24*time.Hour), 10000)
		if err != nil || !tl.Finished {
			t.Fatalf("finished %v, %v", tl.Finished, err)
		}
		return tl, w.Pods, w.Claims, w.Volumes
	}
	tl1, pods1, claims1, pvs1 := run()
	for range 5 {
		tl2, pods2, claims2, pvs2 := run()
		if diff := cmp.Diff(tl1, tl2); diff != "" {
			t.Fatalf("timelines differ:\n%s", diff)
		}
		if diff := cmp.Diff(pods1, pods2, cmp.AllowUnexported(sim.Pod{})); diff != "" {
			t.Fatalf("pods differ:\n%s", diff)
		}
		if diff := cmp.Diff(claims1, claims2, cmp.AllowUnexported(sim.Claim{}), cmp.Comparer(func(a, b volume.Quantity) bool { return a.Cmp(b) == 0 })); diff != "" {
			t.Fatalf("claims differ:\n%s", diff)
		}
		if diff := cmp.Diff(pvs1, pvs2, cmp.Comparer(func(a, b volume.Quantity) bool { return a.Cmp(b) == 0 })); diff != "" {
			t.Fatalf("volumes differ:\n%s", diff)
		}
	}
}

// Kinds side by side in one namespace: a DaemonSet on every node, a
// StatefulSet with claims and an Indexed Job, each with its own selector;
// none takes the others' pods, and all of them finish.
func TestKindsSideBySide(t *testing.T) {
	w := statefulWorld(3, 3, 1, delayedProvisioning, sim.Lifecycle{Start: 2 * time.Second, Ready: time.Second, Run: 20 * time.Second})
	ds := rolledOut(3, daemonset.UpdateStrategy{}, 0, sim.Lifecycle{}).DaemonSets[0]
	ds.Namespace = "shop"
	w.DaemonSets = []sim.DaemonSet{ds}
	j := indexedJob(4, 2, 0)
	j.Namespace = "shop"
	w.Jobs = []sim.Job{j}
	tl, err := w.Run(t0.Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !tl.Finished {
		last := tl.Passes[len(tl.Passes)-1]
		t.Fatalf("not finished (stuck %v): %+v %+v %+v", tl.Stuck, last.DaemonSets, last.StatefulSets, last.Jobs)
	}
	kinds := map[string]int{}
	for _, p := range w.Pods {
		kinds[p.Kind]++
		switch p.Kind {
		case sim.KindStatefulSet:
			if p.Owner != "sts-1" {
				t.Errorf("pod %s owned by %q", p.Name, p.Owner)
			}
		case sim.KindDaemonSet:
			if p.Owner != "ds-1" {
				t.Errorf("pod %s owned by %q", p.Name, p.Owner)
			}
		}
	}
	if kinds[sim.KindDaemonSet] != 3 || kinds[sim.KindStatefulSet] != 3 || kinds[sim.KindJob] != 4 {
		t.Fatalf("pods by kind %v", kinds)
	}
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			if a.Verb == "adopt" || a.Verb == "release" && !strings.HasPrefix(a.Object, "job/") {
				t.Fatalf("%+v: a controller took or let go of a pod", a)
			}
		}
	}
}
