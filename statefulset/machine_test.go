package statefulset

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
)

// cluster is a tiny in-memory namespace: the set, its pods and claims, a
// clock. It applies plans the way the API server and kubelet would.
type cluster struct {
	set    Set
	pods   map[string]*Pod
	claims map[string]*Claim
	now    time.Time
	uid    int
	opts   Options
}

func newCluster(set Set) *cluster {
	return &cluster{set: set, pods: map[string]*Pod{}, claims: map[string]*Claim{}, now: t0}
}

func (c *cluster) podList() []Pod {
	var ps []Pod
	for _, p := range c.pods {
		ps = append(ps, *p)
	}
	slices.SortFunc(ps, func(a, b Pod) int { return cmpStr(a.Name, b.Name) })
	return ps
}

func (c *cluster) claimList() []Claim {
	var cs []Claim
	for _, cl := range c.claims {
		cs = append(cs, *cl)
	}
	slices.SortFunc(cs, func(a, b Claim) int { return cmpStr(a.Name, b.Name) })
	return cs
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (c *cluster) plan(t *rapid.T) Result {
	r, err := NextStatefulAction(c.set, c.podList(), c.claimList(), c.now, c.opts)
	if err != nil {
		t.Fatalf("valid set rejected: %v", err)
	}
	return r
}

// apply performs the plan's writes.
func (c *cluster) apply(r Result) {
	for _, a := range r.Actions {
		switch a.Type {
		case CreateClaim:
			c.uid++
			c.claims[a.Claim] = &Claim{Name: a.Claim, Namespace: "ns", UID: fmt.Sprint("c", c.uid), OwnerRefs: a.NewClaim.OwnerRefs}
		case UpdateClaim:
			c.claims[a.Claim].OwnerRefs = a.OwnerRefs
		case CreatePod:
			c.uid++
			labels := map[string]string{"app": "web"}
			for k, v := range a.NewPod.Labels {
				labels[k] = v
			}
			c.pods[a.Pod] = &Pod{Name: a.Pod, Namespace: "ns", UID: fmt.Sprint("p", c.uid), ControllerUID: c.set.UID,
				Labels: labels, Phase: PodPending, Volumes: a.NewPod.Volumes}
		case DeletePod:
			if p := c.pods[a.Pod]; p != nil {
				p.Deleting = true
			}
		case UpdatePod:
			// The labels are set over the pod's; the claim volumes replace
			// the pod's volumes of their names.
			p := c.pods[a.Pod]
			labels := map[string]string{}
			for k, v := range p.Labels {
				labels[k] = v
			}
			for k, v := range a.NewPod.Labels {
				labels[k] = v
			}
			p.Labels = labels
			vols := append([]Volume(nil), a.NewPod.Volumes...)
			for _, v := range p.Volumes {
				if !slices.ContainsFunc(a.NewPod.Volumes, func(n Volume) bool { return n.Name == v.Name }) {
					vols = append(vols, v)
				}
			}
			p.Volumes = vols
		}
	}
	if r.StatusChanged {
		c.set.Status = r.Status
	}
}

// settle lets the world move: terminating pods go, pending pods become
// ready, time passes.
func (c *cluster) settle() {
	c.now = c.now.Add(time.Minute)
	for name, p := range c.pods {
		switch {
		case p.Deleting:
			delete(c.pods, name)
		case p.Phase == PodPending:
			p.Phase, p.Ready, p.ReadySince = PodRunning, true, c.now
		}
	}
	// Garbage collection: a claim whose owners are all gone goes too.
	live := map[string]bool{c.set.UID: true}
	for _, p := range c.pods {
		live[p.UID] = true
	}
	for name, cl := range c.claims {
		if len(cl.OwnerRefs) == 0 {
			continue
		}
		alive := false
		for _, r := range cl.OwnerRefs {
			alive = alive || live[r.UID]
		}
		if !alive {
			delete(c.claims, name)
		}
	}
}

func (c *cluster) start() int32 {
	if c.set.Spec.Ordinals != nil {
		return c.set.Spec.Ordinals.Start
	}
	return 0
}

func (c *cluster) partition() int32 {
	if ru := c.set.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		return *ru.Partition
	}
	return 0
}

// checkPlan checks the invariants on one plan against the state it
// was computed from.
func (c *cluster) checkPlan(t *rapid.T, r Result) {
	monotonic := c.set.Spec.PodManagementPolicy != Parallel
	start, n := c.start(), *c.set.Spec.Replicas
	creates, scaleDowns, updates := 0, 0, 0
	for _, a := range r.Actions {
		if a.Reason == "" || a.Message == "" {
			t.Fatalf("action without reason: %+v", a)
		}
		switch {
		case a.Type == CreatePod:
			creates++
			if a.Ordinal < start || a.Ordinal >= start+n {
				t.Fatalf("created %s outside the range", a.Pod)
			}
			if _, ok := c.pods[a.Pod]; ok {
				t.Fatalf("created %s, which exists", a.Pod)
			}
			cur := c.set.Status.CurrentRevision
			if cur == "" {
				cur = c.set.UpdateRevision
			}
			if c.set.Spec.UpdateStrategy.Type != OnDelete && a.Ordinal-start < c.partition() && a.Revision != cur {
				t.Fatalf("recreated %s below the partition at %s, not the current revision %s", a.Pod, a.Revision, cur)
			}
			if monotonic {
				// OrderedReady: i+1 never exists before i is Running and Ready.
				for o := start; o < a.Ordinal; o++ {
					p := c.pods[PodName("web", o)]
					if p == nil || !runningReady(p) || p.Deleting {
						t.Fatalf("created %s while %s is not Running and Ready", a.Pod, PodName("web", o))
					}
				}
			}
		case a.Type == DeletePod && a.Reason == ReasonScaleDown:
			scaleDowns++
			if a.Ordinal >= start && a.Ordinal < start+n {
				t.Fatalf("scale-down deleted in-range pod %s", a.Pod)
			}
			if monotonic {
				// Highest first: no live condemned pod above it.
				for name, p := range c.pods {
					if _, o := ParseOrdinal(name); o > a.Ordinal && !p.Deleting {
						t.Fatalf("scale-down deleted %s before %s", a.Pod, name)
					}
				}
			}
		case a.Type == DeletePod && a.Reason == ReasonRollingUpdate:
			updates++
			if a.Ordinal-start < c.partition() {
				t.Fatalf("updated %s below the partition %d", a.Pod, c.partition())
			}
			if c.pods[a.Pod].Labels[RevisionLabel] == c.set.UpdateRevision {
				t.Fatalf("deleted %s, already at the update revision", a.Pod)
			}
		}
	}
	if monotonic && creates+scaleDowns > 1 {
		t.Fatalf("OrderedReady issued %d creations and %d scale-downs in one pass", creates, scaleDowns)
	}
	if updates > 1 && !c.opts.Release.Enabled(api.MaxUnavailableStatefulSet) {
		t.Fatalf("%d update deletions in one pass", updates)
	}
	if updates > 0 && (creates > 0 || scaleDowns > 0) && monotonic {
		t.Fatal("OrderedReady updated before scaling finished")
	}
	st := r.Status
	if st.ReadyReplicas > st.Replicas || st.AvailableReplicas > st.ReadyReplicas || st.UpdatedReplicas > st.Replicas {
		t.Fatalf("inconsistent status %+v", st)
	}
}

// checkConverged checks the state a quiet cluster reaches.
func (c *cluster) checkConverged(t *rapid.T) {
	start, n, part := c.start(), *c.set.Spec.Replicas, c.partition()
	if len(c.pods) != int(n) {
		t.Fatalf("%d pods, want %d: %v", len(c.pods), n, c.podList())
	}
	for o := start; o < start+n; o++ {
		p := c.pods[PodName("web", o)]
		if p == nil || !runningReady(p) {
			t.Fatalf("pod %d missing or not ready", o)
		}
		onDelete := c.set.Spec.UpdateStrategy.Type == OnDelete
		if !onDelete && o-start >= part && p.Labels[RevisionLabel] != c.set.UpdateRevision {
			t.Fatalf("pod %s at %s, want the update revision %s", p.Name, p.Labels[RevisionLabel], c.set.UpdateRevision)
		}
		for _, tmpl := range c.set.Spec.VolumeClaimTemplates {
			if c.claims[ClaimName(tmpl.Name, "web", o)] == nil {
				t.Fatalf("claim of %s missing", p.Name)
			}
		}
	}
	st := c.set.Status
	if int32(len(c.pods)) != st.Replicas || st.ReadyReplicas != n {
		t.Fatalf("status %+v for %d ready pods", st, n)
	}
	if c.set.Spec.UpdateStrategy.Type != OnDelete && part == 0 && st.CurrentRevision != c.set.UpdateRevision {
		t.Fatalf("update finished but currentRevision is %s", st.CurrentRevision)
	}
}

func TestStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := mkSet(rapid.Int32Range(0, 6).Draw(t, "replicas"), withTemplates("data"))
		if rapid.Bool().Draw(t, "parallel") {
			set.Spec.PodManagementPolicy = Parallel
		}
		if rapid.Bool().Draw(t, "start") {
			set.Spec.Ordinals = &Ordinals{Start: rapid.Int32Range(0, 3).Draw(t, "startOrdinal")}
		}
		switch rapid.IntRange(0, 2).Draw(t, "strategy") {
		case 0:
			set.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateStrategy{Partition: i32(0)}}
		case 1:
			set.Spec.UpdateStrategy = UpdateStrategy{Type: OnDelete}
		case 2:
			set.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateStrategy{
				Partition: i32(0), MaxUnavailable: &IntOrString{IntVal: rapid.Int32Range(1, 3).Draw(t, "maxUnavailable")}}}
		}
		opts := at(rapid.SampledFrom(releases).Draw(t, "release"))
		if rapid.Bool().Draw(t, "gate") {
			opts.Release.FeatureGates = map[api.Gate]bool{api.MaxUnavailableStatefulSet: true}
		}
		if rapid.Bool().Draw(t, "deleteOnScale") {
			set.Spec.PersistentVolumeClaimRetentionPolicy = &RetentionPolicy{WhenScaled: Delete, WhenDeleted: Delete}
		}
		c := newCluster(set)
		c.opts = opts
		revs := 1
		steps := rapid.IntRange(1, 40).Draw(t, "steps")
		for i := 0; i < steps; i++ {
			switch rapid.IntRange(0, 9).Draw(t, "event") {
			case 0, 1, 2: // a controller pass
				r := c.plan(t)
				c.checkPlan(t, r)
				c.apply(r)
			case 3:
				c.settle()
			case 4: // scale
				c.set.Spec.Replicas = i32(rapid.Int32Range(0, 6).Draw(t, "replicas"))
			case 5: // new template
				revs++
				c.set.UpdateRevision = fmt.Sprint("rev-", revs)
			case 6: // partition
				if ru := c.set.Spec.UpdateStrategy.RollingUpdate; ru != nil {
					ru.Partition = i32(rapid.Int32Range(0, 7).Draw(t, "partition"))
				}
			case 7: // a pod fails or turns unready
				if ps := c.podList(); len(ps) > 0 {
					p := c.pods[ps[rapid.IntRange(0, len(ps)-1).Draw(t, "victim")].Name]
					if rapid.Bool().Draw(t, "fail") {
						p.Phase, p.Ready = PodFailed, false
					} else {
						p.Ready = false
					}
				}
			case 8: // a pod is deleted by someone
				if ps := c.podList(); len(ps) > 0 {
					c.pods[ps[rapid.IntRange(0, len(ps)-1).Draw(t, "deleted")].Name].Deleting = true
				}
			case 9: // a not-ready pod recovers
				for _, p := range c.pods {
					if p.Phase == PodRunning && !p.Ready {
						p.Ready, p.ReadySince = true, c.now
						break
					}
				}
			}
		}
		// Quiet period: failed or unready pods recover or are replaced,
		// passes run, and the set must converge.
		for _, p := range c.pods {
			if p.Phase == PodRunning && !p.Ready {
				p.Ready, p.ReadySince = true, c.now
			}
		}
		if c.set.Spec.UpdateStrategy.Type == OnDelete {
			// OnDelete: pods move only when deleted; delete the outdated ones.
			for _, p := range c.pods {
				if p.Labels[RevisionLabel] != c.set.UpdateRevision {
					p.Deleting = true
				}
			}
		}
		for round := 0; round < 200; round++ {
			r := c.plan(t)
			c.checkPlan(t, r)
			if len(r.Actions) == 0 && r.Blocked == nil && !r.StatusChanged && !anyPending(c) {
				break
			}
			c.apply(r)
			c.settle()
		}
		r := c.plan(t)
		if len(r.Actions) != 0 || r.Blocked != nil {
			t.Fatalf("not converged: %v %+v", summary(r), r.Blocked)
		}
		c.checkConverged(t)
	})
}

func anyPending(c *cluster) bool {
	for _, p := range c.pods {
		if p.Deleting || p.Phase != PodRunning || !p.Ready {
			return true
		}
	}
	return false
}
