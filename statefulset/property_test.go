package statefulset

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
)

// genInput draws a messy but mostly valid input: pods of this and other
// sets, orphans, duplicates, every phase, claims with assorted owners.
func genInput(t *rapid.T) (Set, []Pod, []Claim, time.Time, Options) {
	opts := at(rapid.SampledFrom(releases).Draw(t, "release"))
	set := mkSet(rapid.Int32Range(0, 8).Draw(t, "replicas"))
	set.Spec.PodManagementPolicy = rapid.SampledFrom([]PodManagementPolicy{"", OrderedReady, Parallel}).Draw(t, "policy")
	if rapid.Bool().Draw(t, "start") {
		set.Spec.Ordinals = &Ordinals{Start: rapid.Int32Range(0, 4).Draw(t, "startOrdinal")}
	}
	set.Spec.MinReadySeconds = rapid.SampledFrom([]int32{0, 0, 5, 60}).Draw(t, "minReady")
	revs := []string{"rev-1", "rev-2", "rev-3"}
	set.UpdateRevision = rapid.SampledFrom(revs).Draw(t, "updateRevision")
	set.Status.CurrentRevision = rapid.SampledFrom(append(revs, "")).Draw(t, "currentRevision")
	switch rapid.IntRange(0, 3).Draw(t, "strategy") {
	case 1:
		set.Spec.UpdateStrategy.Type = OnDelete
	case 2:
		mu := IntOrString{IntVal: rapid.Int32Range(1, 4).Draw(t, "maxUnavailable")}
		set.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateStrategy{
			Partition: i32(rapid.Int32Range(0, 9).Draw(t, "partition")), MaxUnavailable: &mu}}
		opts.Release.FeatureGates = map[api.Gate]bool{api.MaxUnavailableStatefulSet: rapid.Bool().Draw(t, "gate")}
	case 3:
		set.Spec.UpdateStrategy.Type = Recreate
		if opts.Release.Version == "1.37" {
			opts.Release.FeatureGates = map[api.Gate]bool{api.StatefulSetRecreateStrategy: rapid.Bool().Draw(t, "recreateGate")}
		}
	}
	pols := []RetentionPolicyType{"", Retain, Delete}
	set.Spec.PersistentVolumeClaimRetentionPolicy = &RetentionPolicy{
		WhenDeleted: rapid.SampledFrom(pols).Draw(t, "whenDeleted"), WhenScaled: rapid.SampledFrom(pols).Draw(t, "whenScaled")}
	tmpls := []string{"data", "logs"}[:rapid.IntRange(0, 2).Draw(t, "templates")]
	withTemplates(tmpls...)(&set)
	if rapid.IntRange(0, 9).Draw(t, "deleting") == 0 {
		deletingSet(&set)
	}

	now := t0
	var pods []Pod
	seen := map[string]bool{}
	for i, k := 0, rapid.IntRange(0, 12).Draw(t, "pods"); i < k; i++ {
		ord := rapid.Int32Range(0, 12).Draw(t, "ord")
		p := mkPod(ord, rapid.SampledFrom(revs).Draw(t, "rev"),
			rapid.SampledFrom([]string{ready, ready, notReady, pending, failed, deleting}).Draw(t, "state"), tmpls...)
		p.ReadySince = now.Add(-time.Duration(rapid.IntRange(0, 120).Draw(t, "age")) * time.Second)
		switch rapid.IntRange(0, 9).Draw(t, "kind") {
		case 0:
			p.ControllerUID = ""
		case 1:
			p.ControllerUID = "other"
		case 2:
			p.Name = fmt.Sprintf("web-0%d", ord) // non-canonical
		case 3:
			delete(p.Labels, PodNameLabel)
		}
		if seen[p.Name] {
			continue // names are unique within a namespace
		}
		seen[p.Name] = true
		p.UID = "uid-" + p.Name
		pods = append(pods, p)
	}
	var claims []Claim
	for i, k := 0, rapid.IntRange(0, 8).Draw(t, "claims"); i < k && len(tmpls) > 0; i++ {
		ord := rapid.Int32Range(0, 12).Draw(t, "claimOrd")
		c := claimOf(rapid.SampledFrom(tmpls).Draw(t, "tmpl"), ord)
		if seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		switch rapid.IntRange(0, 5).Draw(t, "owner") {
		case 1:
			c.OwnerRefs = []OwnerRef{setRef}
		case 2:
			c.OwnerRefs = []OwnerRef{podRef(ord)}
		case 3:
			c.OwnerRefs = []OwnerRef{{Kind: "Pod", Name: PodName("web", ord), UID: "old"}}
		case 4:
			c.OwnerRefs = []OwnerRef{{Kind: "Thing", Name: "x", UID: "x", Controller: true}, setRef}
		case 5:
			c.Deleting = true
		}
		claims = append(claims, c)
	}
	return set, pods, claims, now, opts
}

func deepCopy(set Set, pods []Pod, claims []Claim) (Set, []Pod, []Claim) {
	s := set
	s.Spec.Replicas = i32(*set.Spec.Replicas)
	sel := *set.Spec.Selector
	sel.MatchLabels = map[string]string{}
	for k, v := range set.Spec.Selector.MatchLabels {
		sel.MatchLabels[k] = v
	}
	s.Spec.Selector = &sel
	ps := make([]Pod, len(pods))
	for i, p := range pods {
		q := p
		q.Labels = map[string]string{}
		for k, v := range p.Labels {
			q.Labels[k] = v
		}
		q.Volumes = append([]Volume(nil), p.Volumes...)
		ps[i] = q
	}
	cs := make([]Claim, len(claims))
	for i, c := range claims {
		d := c
		d.OwnerRefs = append([]OwnerRef(nil), c.OwnerRefs...)
		cs[i] = d
	}
	return s, ps, cs
}

func TestInputsUntouched(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set, pods, claims, now, opts := genInput(t)
		s2, p2, c2 := deepCopy(set, pods, claims)
		if _, err := NextStatefulAction(set, pods, claims, now, opts); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(s2, set, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("set modified:\n%s", d)
		}
		if d := cmp.Diff(p2, pods, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("pods modified:\n%s", d)
		}
		if d := cmp.Diff(c2, claims, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("claims modified:\n%s", d)
		}
	})
}

func TestInputOrderIrrelevant(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set, pods, claims, now, opts := genInput(t)
		want, err := NextStatefulAction(set, pods, claims, now, opts)
		if err != nil {
			t.Fatal(err)
		}
		pp := rapid.Permutation(pods).Draw(t, "podOrder")
		cp := rapid.Permutation(claims).Draw(t, "claimOrder")
		got, err := NextStatefulAction(set, pp, cp, now, opts)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("result depends on input order:\n%s", d)
		}
	})
}

// TestResultShape checks properties every result has: reasons on every
// action, consistent status, claims created before their pod, and the
// Blocked pod named.
func TestResultShape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set, pods, claims, now, opts := genInput(t)
		r, err := NextStatefulAction(set, pods, claims, now, opts)
		if err != nil {
			t.Fatal(err)
		}
		created := map[string]bool{}
		for _, a := range r.Actions {
			if a.Reason == "" || a.Message == "" {
				t.Fatalf("action without reason: %+v", a)
			}
			switch a.Type {
			case CreateClaim:
				created[a.Claim] = true
			case CreatePod:
				for _, v := range a.NewPod.Volumes {
					found := created[v.ClaimName]
					for _, c := range claims {
						found = found || c.Name == v.ClaimName
					}
					if !found {
						t.Fatalf("pod %s created before its claim %s", a.Pod, v.ClaimName)
					}
				}
			}
		}
		if !set.DeletionTimestamp.IsZero() && len(r.Actions) != 0 {
			t.Fatalf("actions for a set being deleted: %v", summary(r))
		}
		st := r.Status
		if st.ReadyReplicas > st.Replicas || st.AvailableReplicas > st.ReadyReplicas || st.UpdatedReplicas > st.Replicas {
			t.Fatalf("status %+v", st)
		}
		if b := r.Blocked; b != nil && (b.Reason == "" || b.Message == "") {
			t.Fatalf("blocked without reason: %+v", b)
		}
		if !r.RequeueAt.IsZero() && !r.RequeueAt.After(now) {
			t.Fatalf("RequeueAt %v not after now", r.RequeueAt)
		}
	})
}

// TestNeverPanics feeds arbitrary values, valid or not.
func TestNeverPanics(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := Set{
			Name: rapid.SampledFrom([]string{"", "web", "a-1", "x"}).Draw(t, "name"), UID: rapid.String().Draw(t, "uid"),
			UpdateRevision: rapid.String().Draw(t, "upd"),
		}
		set.Spec.Replicas = i32(rapid.Int32().Draw(t, "replicas"))
		set.Spec.Ordinals = &Ordinals{Start: rapid.Int32().Draw(t, "start")}
		set.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{}}
		set.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateStrategy{Partition: i32(rapid.Int32().Draw(t, "partition")),
			MaxUnavailable: &IntOrString{IsString: rapid.Bool().Draw(t, "pct"), IntVal: rapid.Int32().Draw(t, "mu"), StrVal: rapid.String().Draw(t, "mus")}}
		opts := at(rapid.SampledFrom(releases).Draw(t, "release"))
		opts.Release.FeatureGates = map[api.Gate]bool{api.MaxUnavailableStatefulSet: rapid.Bool().Draw(t, "gate")}
		set.Spec.UpdateStrategy.Type = rapid.SampledFrom([]UpdateStrategyType{"", RollingUpdate, OnDelete, Recreate, "x"}).Draw(t, "type")
		set.Spec.PodManagementPolicy = Parallel
		set.Spec.VolumeClaimTemplates = []ClaimTemplate{{Name: rapid.String().Draw(t, "tmpl")}}
		pods := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Pod {
			return Pod{Name: rapid.String().Draw(t, "pod"), ControllerUID: set.UID,
				Phase: PodPhase(rapid.SampledFrom([]string{"", "Running", "Failed", "Pending", "x"}).Draw(t, "phase")),
				Ready: rapid.Bool().Draw(t, "ready"), Deleting: rapid.Bool().Draw(t, "del")}
		}), 0, 6).Draw(t, "pods")
		claims := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Claim {
			return Claim{Name: rapid.String().Draw(t, "claim"), Deleting: rapid.Bool().Draw(t, "cdel")}
		}), 0, 4).Draw(t, "claims")
		_, _ = NextStatefulAction(set, pods, claims, t0, opts)
		_, _ = ParseOrdinal(rapid.String().Draw(t, "s"))
	})
}

func TestParseOrdinal(t *testing.T) {
	cases := []struct {
		in     string
		parent string
		ord    int32
	}{
		{"web-0", "web", 0}, {"web-12", "web", 12}, {"my-app-3", "my-app", 3}, {"web-1-2", "web-1", 2},
		{"web-007", "web", 7}, {"web", "", -1}, {"web-", "", -1}, {"web-x1", "", -1}, {"-5", "", 5},
		{"web-2147483647", "web", 2147483647}, {"web-2147483648", "", -1}, {"", "", -1}, {"5", "", -1},
	}
	for _, c := range cases {
		p, o := ParseOrdinal(c.in)
		if p != c.parent || o != c.ord {
			t.Errorf("ParseOrdinal(%q) = %q, %d; want %q, %d", c.in, p, o, c.parent, c.ord)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		set := rapid.StringMatching(`[a-z]([-a-z0-9]{0,20}[a-z0-9])?`).Draw(t, "set")
		ord := rapid.Int32Min(0).Draw(t, "ord")
		if p, o := ParseOrdinal(PodName(set, ord)); p != set || o != ord {
			t.Fatalf("round trip of %s: %q %d", PodName(set, ord), p, o)
		}
	})
}

func TestHugeReplicas(t *testing.T) {
	// Parallel with 2^31-1 replicas: creation is bounded per result and
	// the scan does not walk every slot.
	set := mkSet(1<<31-1, parallel)
	r, err := NextStatefulAction(set, readyPods(0, 3, "rev-1"), nil, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Actions) != maxPodCreates || r.Actions[0].Pod != "web-3" {
		t.Fatalf("%d actions, first %+v", len(r.Actions), r.Actions[0])
	}
	set = mkSet(1<<31-1, func(s *Set) { s.Spec.Ordinals = &Ordinals{Start: 1<<31 - 1} })
	if r, err = NextStatefulAction(set, nil, nil, t0, opts134); err != nil || len(r.Actions) != 1 {
		t.Fatalf("%v %v", err, summary(r))
	}
}

func TestIsClaimNameFor(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tmpl := rapid.StringMatching(`[a-z][-a-z0-9]{0,8}`).Draw(t, "tmpl")
		set := rapid.StringMatching(`[a-z][-a-z0-9]{0,8}`).Draw(t, "set")
		ord := rapid.Int32Min(0).Draw(t, "ord")
		other := rapid.Int32Min(0).Draw(t, "other")
		name := ClaimName(tmpl, set, ord)
		if !isClaimNameFor(name, tmpl, set, ord) {
			t.Fatalf("%s not recognised", name)
		}
		if other != ord && isClaimNameFor(name, tmpl, set, other) {
			t.Fatalf("%s recognised for ordinal %d", name, other)
		}
		if isClaimNameFor(name+"0", tmpl, set, ord) && ord != 0 {
			t.Fatalf("%s0 recognised", name)
		}
	})
	for _, bad := range []string{"data-web-01", "data-web-+1", "data-web-", "data-web-1x", "datax-web-1", "data-webx-1", "data-web-99999999999"} {
		if isClaimNameFor(bad, "data", "web", 1) {
			t.Errorf("%q taken as the claim of data, web, 1", bad)
		}
	}
}

// splitName agrees with ParseOrdinal, parentName and canonicalSuffix.
func TestSplitName(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.OneOf(rapid.String(), rapid.StringMatching(`[a-z-]{0,4}-?[0-9]{0,12}`)).Draw(t, "name")
		parent, ord, canonical := splitName(name)
		p2, o2 := ParseOrdinal(name)
		if ord != o2 || (o2 >= 0 && parent != p2) || parent != parentName(name) {
			t.Fatalf("splitName(%q) = %q %d, ParseOrdinal %q %d, parentName %q", name, parent, ord, p2, o2, parentName(name))
		}
		if parent != "" && canonical != canonicalSuffix(name) {
			t.Fatalf("splitName(%q) canonical %v", name, canonical)
		}
	})
}
