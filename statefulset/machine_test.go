package statefulset_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// The state machine drives the StatefulSet controller in package sim's
// world with the kubelets stopped (Lifecycle.Manual): pods start, fail,
// turn unready, are deleted and finish terminating only as drawn events,
// and the API server may lose writes or show creates late. The world's PV
// controller and provisioner bind the claims.

var machineStart = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

var machineReleases = []string{"1.34", "1.35", "1.36", "1.37"}

type machine struct {
	w *sim.World
	// hiddenUntil is, by pod name, the last pass that does not see the
	// pod's latest create (Faults.Lag).
	hiddenUntil map[string]int
}

func (m *machine) sts() *sim.StatefulSet { return &m.w.StatefulSets[0] }

// newMachine is a world with set "web" of revision rev-1 and one claim
// template, whose claims an Immediate class provisions at once.
func newMachine(replicas int32) *machine {
	now := volume.Immediate
	w := &sim.World{Now: machineStart, Lifecycle: sim.Lifecycle{Manual: true},
		StorageClasses: []volume.StorageClass{{Name: "fast", Provisioner: "fast.csi.example.com", VolumeBindingMode: &now}}}
	w.StatefulSets = []sim.StatefulSet{{Set: statefulset.Set{
		Name: "web", Namespace: "ns", UID: "set-uid", Generation: 1,
		Spec: statefulset.Spec{
			Replicas:             ptr.To(replicas),
			Selector:             &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template:             statefulset.PodTemplate{Labels: map[string]string{"app": "web"}},
			ServiceName:          "web",
			VolumeClaimTemplates: []statefulset.ClaimTemplate{{Name: "data"}},
		},
		Status:         statefulset.Status{CurrentRevision: "rev-1", UpdateRevision: "rev-1"},
		UpdateRevision: "rev-1",
	}, ClaimSpecs: map[string]volume.ClaimSpec{"data": {StorageClassName: ptr.To("fast"),
		AccessModes: []volume.AccessMode{volume.ReadWriteOnce}, Request: volume.MustParseQuantity("1Gi")}}}}
	return &machine{w: w, hiddenUntil: map[string]int{}}
}

func (m *machine) start() int32 {
	if o := m.sts().Spec.Ordinals; o != nil {
		return o.Start
	}
	return 0
}

func (m *machine) partition() int32 {
	if ru := m.sts().Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		return *ru.Partition
	}
	return 0
}

func runningReady(p *sim.Pod) bool { return p.Phase == sim.Running && p.Ready }

// pods are the world's pods by name.
func (m *machine) pods() map[string]sim.Pod {
	out := map[string]sim.Pod{}
	for _, p := range m.w.Pods {
		out[p.Name] = p
	}
	return out
}

func (m *machine) podNames() []string {
	var names []string
	for _, p := range m.w.Pods {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	return names
}

// view is what a pass is checked against: the spec and status it was
// planned from, and the pods before it, all and as the controller saw them.
type view struct {
	start, replicas, partition int32
	onDelete, monotonic        bool
	update                     string
	status                     statefulset.Status
	all, seen                  map[string]sim.Pod
}

func (m *machine) view() view {
	s := m.sts()
	v := view{start: m.start(), replicas: *s.Spec.Replicas, partition: m.partition(),
		onDelete: s.Spec.UpdateStrategy.Type == statefulset.OnDelete, monotonic: s.Spec.PodManagementPolicy != statefulset.Parallel,
		update: s.UpdateRevision, status: s.Status, all: m.pods(), seen: map[string]sim.Pod{}}
	for name, p := range v.all {
		if m.hiddenUntil[name] <= m.w.Passes { // the next pass is Passes+1
			v.seen[name] = p
		}
	}
	return v
}

// step runs one pass and checks the set's writes; it reports whether the
// pass wrote nothing for the set and left its status as it was, and whether
// the world then measured the set done.
func (m *machine) step(t *rapid.T) (quiet, done bool) {
	v := m.view()
	pass, err := m.w.Step()
	if err != nil {
		t.Fatalf("valid set rejected: %v", err)
	}
	var acts []sim.Action
	for _, a := range pass.Actions {
		if a.Object == "statefulset/ns/web" {
			acts = append(acts, a)
		}
	}
	m.checkPlan(t, v, acts)
	return len(acts) == 0 && reflect.DeepEqual(v.status, m.sts().Status), pass.StatefulSets[0].Done
}

// checkPlan checks the ordering, partition and budget invariants on one
// pass's writes against the state it was planned from.
func (m *machine) checkPlan(t *rapid.T, v view, acts []sim.Action) {
	creates, scaleDowns, updates := 0, 0, 0
	for _, a := range acts {
		if a.Reason == "" || a.Message == "" {
			t.Fatalf("action without reason: %+v", a)
		}
		parent, ord := statefulset.ParseOrdinal(a.Target)
		if parent != "web" {
			continue // a claim or a revision
		}
		switch {
		case a.Verb == "create":
			creates++
			if ord < v.start || ord >= v.start+v.replicas {
				t.Fatalf("created %s outside the range", a.Target)
			}
			if _, ok := v.seen[a.Target]; ok {
				t.Fatalf("created %s, which exists", a.Target)
			}
			if _, ok := v.all[a.Target]; ok && !a.Lost {
				t.Fatalf("the API server took a create of %s, which exists", a.Target)
			}
			cur := v.status.CurrentRevision
			if cur == "" {
				cur = v.update
			}
			if p, ok := m.pods()[a.Target]; ok && !a.Lost && !v.onDelete && ord-v.start < v.partition && p.Labels[statefulset.RevisionLabel] != cur {
				t.Fatalf("recreated %s below the partition at %s, not the current revision %s", a.Target, p.Labels[statefulset.RevisionLabel], cur)
			}
			if v.monotonic {
				// OrderedReady: i+1 never exists before i is Running and Ready.
				for o := v.start; o < ord; o++ {
					p, ok := v.seen[statefulset.PodName("web", o)]
					if !ok || !runningReady(&p) || !p.Deleted.IsZero() {
						t.Fatalf("created %s while %s is not Running and Ready", a.Target, statefulset.PodName("web", o))
					}
				}
			}
		case a.Verb == "delete" && a.Reason == string(statefulset.ReasonScaleDown):
			scaleDowns++
			if ord >= v.start && ord < v.start+v.replicas {
				t.Fatalf("scale-down deleted in-range pod %s", a.Target)
			}
			if v.monotonic {
				// Highest first: no live condemned pod above it.
				for name, p := range v.seen {
					if _, o := statefulset.ParseOrdinal(name); o > ord && p.Deleted.IsZero() {
						t.Fatalf("scale-down deleted %s before %s", a.Target, name)
					}
				}
			}
		case a.Verb == "delete" && a.Reason == string(statefulset.ReasonRollingUpdate):
			updates++
			if ord-v.start < v.partition {
				t.Fatalf("updated %s below the partition %d", a.Target, v.partition)
			}
			if v.seen[a.Target].Labels[statefulset.RevisionLabel] == v.update {
				t.Fatalf("deleted %s, already at the update revision", a.Target)
			}
		}
	}
	if v.monotonic && creates+scaleDowns > 1 {
		t.Fatalf("OrderedReady issued %d creations and %d scale-downs in one pass", creates, scaleDowns)
	}
	if updates > 1 && !m.sts().Options.Release.Enabled(api.MaxUnavailableStatefulSet) {
		t.Fatalf("%d update deletions in one pass", updates)
	}
	if updates > 0 && (creates > 0 || scaleDowns > 0) && v.monotonic {
		t.Fatal("OrderedReady updated before scaling finished")
	}
	st := m.sts().Status
	if st.ReadyReplicas > st.Replicas || st.AvailableReplicas > st.ReadyReplicas || st.UpdatedReplicas > st.Replicas {
		t.Fatalf("inconsistent status %+v", st)
	}
}

// settle lets the world move: terminating pods go, pending pods whose
// claims are bound become ready, time passes.
func (m *machine) settle() {
	m.w.Now = m.w.Now.Add(time.Minute)
	for _, name := range m.podNames() {
		p := m.pods()[name]
		switch {
		case !p.Deleted.IsZero():
			_ = m.w.FinishTermination("ns", name) // it is being deleted
		case p.Phase == sim.Pending:
			_ = m.w.SetPodReady("ns", name, true) // a pod whose claims are not bound yet waits
		}
	}
}

// anyPending: some pod is terminating or not Running and Ready.
func (m *machine) anyPending() bool {
	return slices.ContainsFunc(m.w.Pods, func(p sim.Pod) bool { return !p.Deleted.IsZero() || !runningReady(&p) })
}

// checkConverged checks the state a quiet world reaches.
func (m *machine) checkConverged(t *rapid.T) {
	s := m.sts()
	start, n, part := m.start(), *s.Spec.Replicas, m.partition()
	pods := m.pods()
	if len(pods) != int(n) {
		t.Fatalf("%d pods, want %d: %v", len(pods), n, m.podNames())
	}
	onDelete := s.Spec.UpdateStrategy.Type == statefulset.OnDelete
	for o := start; o < start+n; o++ {
		p, ok := pods[statefulset.PodName("web", o)]
		if !ok || !runningReady(&p) {
			t.Fatalf("pod %d missing or not ready", o)
		}
		if !onDelete && o-start >= part && p.Labels[statefulset.RevisionLabel] != s.UpdateRevision {
			t.Fatalf("pod %s at %s, want the update revision %s", p.Name, p.Labels[statefulset.RevisionLabel], s.UpdateRevision)
		}
		for _, tmpl := range s.Spec.VolumeClaimTemplates {
			name := statefulset.ClaimName(tmpl.Name, "web", o)
			if !slices.ContainsFunc(m.w.Claims, func(c sim.Claim) bool { return c.Name == name && c.Status.Phase == volume.ClaimBound }) {
				t.Fatalf("claim %s of %s missing or not bound", name, p.Name)
			}
		}
	}
	st := s.Status
	if int32(len(pods)) != st.Replicas || st.ReadyReplicas != n {
		t.Fatalf("status %+v for %d ready pods", st, n)
	}
	if !onDelete && part == 0 && st.CurrentRevision != s.UpdateRevision {
		t.Fatalf("update finished but currentRevision is %s", st.CurrentRevision)
	}
}

func TestStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(rapid.Int32Range(0, 6).Draw(t, "replicas"))
		w, s := m.w, m.sts()
		if rapid.Bool().Draw(t, "parallel") {
			s.Spec.PodManagementPolicy = statefulset.Parallel
		}
		if rapid.Bool().Draw(t, "start") {
			s.Spec.Ordinals = &statefulset.Ordinals{Start: rapid.Int32Range(0, 3).Draw(t, "startOrdinal")}
		}
		switch rapid.IntRange(0, 2).Draw(t, "strategy") {
		case 0:
			s.Spec.UpdateStrategy = statefulset.UpdateStrategy{Type: statefulset.RollingUpdate,
				RollingUpdate: &statefulset.RollingUpdateStrategy{Partition: ptr.To(int32(0))}}
		case 1:
			s.Spec.UpdateStrategy = statefulset.UpdateStrategy{Type: statefulset.OnDelete}
		case 2:
			s.Spec.UpdateStrategy = statefulset.UpdateStrategy{Type: statefulset.RollingUpdate, RollingUpdate: &statefulset.RollingUpdateStrategy{
				Partition: ptr.To(int32(0)), MaxUnavailable: &statefulset.IntOrString{IntVal: rapid.Int32Range(1, 3).Draw(t, "maxUnavailable")}}}
		}
		s.Options.Release.Version = rapid.SampledFrom(machineReleases).Draw(t, "release")
		if rapid.Bool().Draw(t, "gate") {
			s.Options.Release.FeatureGates = map[api.Gate]bool{api.MaxUnavailableStatefulSet: true}
		}
		if rapid.Bool().Draw(t, "deleteOnScale") {
			s.Spec.PersistentVolumeClaimRetentionPolicy = &statefulset.RetentionPolicy{WhenScaled: statefulset.Delete, WhenDeleted: statefulset.Delete}
		}
		w.Faults.Lag = func(wr sim.Write) int {
			m.hiddenUntil[wr.Target] = 0
			return 0
		}
		victim := func(label string) (string, bool) {
			names := m.podNames()
			if len(names) == 0 {
				return "", false
			}
			return names[rapid.IntRange(0, len(names)-1).Draw(t, label)], true
		}
		revs := 1
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for i := 0; i < steps; i++ {
			switch rapid.IntRange(0, 11).Draw(t, "event") {
			case 0, 1, 2: // a controller pass
				_, _ = m.step(t)
			case 3:
				m.settle()
			case 4: // scale
				s.Spec.Replicas = ptr.To(rapid.Int32Range(0, 6).Draw(t, "replicas"))
			case 5: // new template
				revs++
				s.UpdateRevision = fmt.Sprint("rev-", revs)
			case 6: // partition
				if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil {
					ru.Partition = ptr.To(rapid.Int32Range(0, 7).Draw(t, "partition"))
				}
			case 7: // a pod fails or turns unready
				if name, ok := victim("victim"); ok {
					if rapid.Bool().Draw(t, "fail") {
						_ = w.FailPod("ns", name, 1) // an ended pod stays as it is
					} else {
						_ = w.SetPodReady("ns", name, false) // as is a terminating one
					}
				}
			case 8: // a pod is deleted by someone
				if name, ok := victim("deleted"); ok {
					_ = w.DeletePod("ns", name) // a second delete changes nothing
				}
			case 9: // a not-ready pod recovers
				for _, p := range w.Pods {
					if p.Phase == sim.Running && !p.Ready && p.Deleted.IsZero() {
						if err := w.SetPodReady("ns", p.Name, true); err != nil {
							t.Fatal(err)
						}
						break
					}
				}
			case 10: // the API server refuses the next pass's pod writes
				next := w.Passes + 1
				w.Faults.Lose = func(wr sim.Write) bool { return wr.Pass == next }
			case 11: // the next pass's pod creates reach the cache late
				next, lag := w.Passes+1, rapid.IntRange(1, 3).Draw(t, "lag")
				w.Faults.Lag = func(wr sim.Write) int {
					m.hiddenUntil[wr.Target] = 0
					if wr.Pass == next {
						m.hiddenUntil[wr.Target] = wr.Pass + lag
						return lag
					}
					return 0
				}
			}
		}
		// Quiet period: failed or unready pods recover or are replaced,
		// passes run, and the set must converge.
		w.Faults.Lose = nil
		for _, p := range w.Pods {
			if p.Phase == sim.Running && !p.Ready && p.Deleted.IsZero() {
				if err := w.SetPodReady("ns", p.Name, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		if s.Spec.UpdateStrategy.Type == statefulset.OnDelete {
			// OnDelete: pods move only when deleted; delete the outdated ones.
			for _, p := range w.Pods {
				if p.Labels[statefulset.RevisionLabel] != s.UpdateRevision {
					_ = w.DeletePod("ns", p.Name) // unless already being deleted
				}
			}
		}
		for round := 0; round < 200; round++ {
			if quiet, _ := m.step(t); quiet && !m.anyPending() && w.Passes > m.lastHidden() {
				break
			}
			m.settle()
		}
		if quiet, done := m.step(t); !quiet || !done {
			t.Fatalf("not converged (quiet %v, done %v): %+v", quiet, done, w.StatefulSets[0].Status)
		}
		m.checkConverged(t)
	})
}

// lastHidden is the last pass that misses a pod create.
func (m *machine) lastHidden() int {
	last := 0
	for _, p := range m.hiddenUntil {
		last = max(last, p)
	}
	return last
}
