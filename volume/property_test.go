package volume

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/labels"
	"pgregory.net/rapid"
)

var (
	genSizes   = []string{"500Mi", "1G", "1Gi", "1500m", "2Gi", "5Gi", "10Gi", "800E", "950E"}
	genModes   = []AccessMode{ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod}
	genClasses = []string{"", "gold", "slow"}
	genPhases  = []VolumePhase{VolumeAvailable, VolumeAvailable, VolumeAvailable, VolumeBound, VolumeReleased, VolumePending, ""}
	genClaims  = []string{"a", "b", "c", "d"}
)

func drawModes(t *rapid.T, label string) []AccessMode {
	if rapid.IntRange(0, 5).Draw(t, label+"-rwop") == 0 {
		return []AccessMode{ReadWriteOncePod}
	}
	n := rapid.IntRange(1, 3).Draw(t, label+"-n")
	var out []AccessMode
	for i := 0; i < n; i++ {
		out = append(out, genModes[rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("%s-%d", label, i))])
	}
	return out
}

func drawVolume(t *rapid.T, i int) Volume {
	l := fmt.Sprintf("pv%d", i)
	v := pv(fmt.Sprintf("pv-%02d", i), rapid.SampledFrom(genSizes).Draw(t, l+"size"))
	v.Spec.AccessModes = drawModes(t, l+"modes")
	v.Spec.StorageClassName = rapid.SampledFrom(genClasses).Draw(t, l+"class")
	v.Status.Phase = rapid.SampledFrom(genPhases).Draw(t, l+"phase")
	switch rapid.IntRange(0, 4).Draw(t, l+"ref") {
	case 0:
		v.Spec.ClaimRef = &ObjectReference{Namespace: "default", Name: rapid.SampledFrom(genClaims).Draw(t, l+"refname")}
	case 1:
		n := rapid.SampledFrom(genClaims).Draw(t, l+"refname")
		uid := "uid-" + n
		if rapid.Bool().Draw(t, l+"olduid") {
			uid = "old"
		}
		v.Spec.ClaimRef = &ObjectReference{Namespace: "default", Name: n, UID: uid}
	}
	if rapid.IntRange(0, 5).Draw(t, l+"block") == 0 {
		v.Spec.VolumeMode = Block
	}
	if rapid.IntRange(0, 8).Draw(t, l+"del") == 0 {
		v.DeletionTimestamp = time.Unix(5, 0)
	}
	if rapid.Bool().Draw(t, l+"labels") {
		v.Labels = map[string]string{"tier": rapid.SampledFrom([]string{"fast", "slow"}).Draw(t, l+"tier")}
	}
	if rapid.IntRange(0, 6).Draw(t, l+"vac") == 0 {
		v.Spec.VolumeAttributesClassName = strp("gold")
	}
	if rapid.IntRange(0, 6).Draw(t, l+"beta") == 0 {
		v.Annotations = map[string]string{AnnBetaStorageClass: rapid.SampledFrom(genClasses).Draw(t, l+"betaclass")}
	}
	return v
}

func drawVolumes(t *rapid.T) []Volume {
	n := rapid.IntRange(0, 12).Draw(t, "nvolumes")
	pvs := make([]Volume, n)
	for i := range pvs {
		pvs[i] = drawVolume(t, i)
	}
	return pvs
}

func drawClaim(t *rapid.T, name string) Claim {
	l := "claim-" + name
	c := pvc(name, rapid.SampledFrom([]string{"1", "500Mi", "1Gi", "2", "3Gi", "900E"}).Draw(t, l+"size"))
	c.Spec.AccessModes = drawModes(t, l+"modes")
	switch rapid.IntRange(0, 2).Draw(t, l+"class") {
	case 1:
		c.Spec.StorageClassName = strp(rapid.SampledFrom(genClasses).Draw(t, l+"classname"))
	case 2:
		c.Annotations = map[string]string{AnnBetaStorageClass: rapid.SampledFrom(genClasses).Draw(t, l+"betaclass")}
	}
	if rapid.IntRange(0, 3).Draw(t, l+"sel") == 0 {
		c.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{"tier": rapid.SampledFrom([]string{"fast", "slow"}).Draw(t, l+"tier")}}
	}
	if rapid.IntRange(0, 5).Draw(t, l+"block") == 0 {
		c.Spec.VolumeMode = Block
	}
	if rapid.IntRange(0, 6).Draw(t, l+"vac") == 0 {
		c.Spec.VolumeAttributesClassName = strp("gold")
	}
	return c
}

// drawRelease is one of the supported releases at random, on 1.34 and 1.35
// sometimes with the VolumeAttributesClass gate turned off.
func drawRelease(t *rapid.T) Release {
	r := Release{Version: rapid.SampledFrom([]string{"1.34", "1.35", "1.36", "1.37"}).Draw(t, "release")}
	if !r.AtLeast("1.36") && rapid.IntRange(0, 3).Draw(t, "vac-off") == 0 {
		r.FeatureGates = map[api.Gate]bool{api.VolumeAttributesClass: false}
	}
	return r
}

func name(pvs []Volume, i int) string {
	if i < 0 {
		return ""
	}
	return pvs[i].Name
}

// oracle is the brute-force reading of the controller's search with the documented tie-break:
// every volume that passes the ordered checks, best by (set rank, pre-bound,
// capacity, name).
func oracle(pvs []Volume, c *Claim, o MatchOptions) string {
	k := newClaimKey(c)
	best, bestRank, bestPre := -1, uint8(0), false
	blocked := false
	for j := range pvs {
		why, pre, blocks := k.check(&pvs[j], &o)
		if why != "" && !blocks {
			continue
		}
		rank := setRank[modesOf(pvs[j].Spec.AccessModes)]
		if o.Node != nil {
			rank = 0
		}
		take := best < 0 || rank < bestRank || rank == bestRank && pre && !bestPre
		if !take && rank == bestRank && pre == bestPre {
			d := pvs[j].Spec.Capacity.Cmp(pvs[best].Spec.Capacity)
			take = d < 0 || d == 0 && pvs[j].Name < pvs[best].Name
		}
		if take {
			best, bestRank, bestPre, blocked = j, rank, pre, blocks
		}
	}
	if blocked {
		return ""
	}
	return name(pvs, best)
}

// Properties of the search: the choice is what the ordered rules and the
// tie-break give (nothing excluded is bound, no claim below its request),
// independent of input order, and the Index agrees with FindMatch.
func TestFindMatchProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pvs := drawVolumes(t)
		c := drawClaim(t, rapid.SampledFrom(genClaims).Draw(t, "claim"))
		o := MatchOptions{DelayBinding: rapid.IntRange(0, 4).Draw(t, "delay") == 0, Release: drawRelease(t)}
		if rapid.Bool().Draw(t, "sched") {
			o.Node = &Node{Name: "n1"}
		}
		got, _ := FindMatch(pvs, &c, o)
		if want := oracle(pvs, &c, o); name(pvs, got) != want {
			t.Fatalf("FindMatch chose %q, oracle %q", name(pvs, got), want)
		}
		if got >= 0 {
			v := &pvs[got]
			if v.Spec.Capacity.Cmp(c.Spec.Request) < 0 {
				t.Fatalf("volume %s (%s) below the request %s", v.Name, v.Spec.Capacity, c.Spec.Request)
			}
			k := newClaimKey(&c)
			if why, _, _ := k.check(v, &o); why != "" {
				t.Fatalf("volume %s chosen although %s", v.Name, why)
			}
		}
		// Input order does not matter.
		perm := rapid.Permutation(pvs).Draw(t, "perm")
		if p, _ := FindMatch(perm, &c, o); name(perm, p) != name(pvs, got) {
			t.Fatalf("permuted input chose %q, original %q", name(perm, p), name(pvs, got))
		}
		// The index gives the same answer on the controller path (it
		// searches with the VolumeAttributesClass gate on, which only
		// differs for a claim the controller refuses with the gate off).
		if o.Node == nil && (vacEnabled(o.Release) || newClaimKey(&c).vac == "") {
			if i, _ := NewIndex(pvs).Find(&c, o.DelayBinding); name(pvs, i) != name(pvs, got) {
				t.Fatalf("Index chose %q, FindMatch %q", name(pvs, i), name(pvs, got))
			}
		}
	})
}

// Properties of binding many claims at once: no volume goes to two claims,
// no claim is bound below its request, the outcome does not depend on the
// order of claims or volumes, and the inputs are untouched.
func TestBindClaimsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pvs := drawVolumes(t)
		var claims []Claim
		for _, n := range genClaims {
			if rapid.Bool().Draw(t, "has-"+n) {
				c := drawClaim(t, n)
				if rapid.IntRange(0, 4).Draw(t, "named-"+n) == 0 && len(pvs) > 0 {
					c.Spec.VolumeName = pvs[rapid.IntRange(0, len(pvs)-1).Draw(t, "vn-"+n)].Name
				}
				claims = append(claims, c)
			}
		}
		pvsBefore, claimsBefore := copyVolumes(pvs), copyClaims(claims)
		rel := drawRelease(t)
		res, err := BindClaims(pvs, claims, Options{Release: rel})
		// Only the controller's refusal of an attributes class with the
		// gate off fails a claim of these; it fails that claim alone.
		var want []int
		for i := range claims {
			if claims[i].Spec.VolumeName == "" && vacRefused(&claims[i], rel, nonNil(pvs)) != nil {
				want = append(want, i)
			}
		}
		var failed ClaimErrors
		if err != nil && !errors.As(err, &failed) {
			t.Fatalf("BindClaims failed the batch: %v", err)
		}
		var got []int
		for _, f := range failed {
			got = append(got, f.Index)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("failed claims (-want +got):\n%s", diff)
		}
		if len(res) != len(claims) {
			t.Fatalf("%d results for %d claims", len(res), len(claims))
		}
		if len(failed) > 0 {
			// A failed claim's result is BindPVC's for it, and the others
			// are decided as if it were not in the batch.
			var others []Claim
			var where []int
			for i := range claims {
				if slices.Contains(got, i) {
					alone, aloneErr := BindPVC(pvs, claims[i], Options{Release: rel})
					if f := failed[slices.Index(got, i)]; aloneErr == nil || f.Err.Error() != aloneErr.Error() || f.Name != claims[i].Name {
						t.Fatalf("claim %d: BindPVC error %v, BindClaims %v", i, aloneErr, f)
					}
					if diff := cmp.Diff(alone, res[i], cmp.AllowUnexported(Quantity{}, qext{})); diff != "" {
						t.Fatalf("failed claim %d: result differs from BindPVC's:\n%s", i, diff)
					}
					continue
				}
				others, where = append(others, claims[i]), append(where, i)
			}
			rest, restErr := BindClaims(pvs, others, Options{Release: rel})
			if restErr != nil {
				t.Fatal(restErr)
			}
			for k, i := range where {
				if diff := cmp.Diff(rest[k], res[i], cmp.AllowUnexported(Quantity{}, qext{})); diff != "" {
					t.Fatalf("claim %d: a failed neighbour changed its result:\n%s", i, diff)
				}
			}
		}
		if diff := cmp.Diff(pvsBefore, pvs, cmp.AllowUnexported(Quantity{}, qext{})); diff != "" {
			t.Fatalf("volumes modified:\n%s", diff)
		}
		if diff := cmp.Diff(claimsBefore, claims, cmp.AllowUnexported(Quantity{}, qext{})); diff != "" {
			t.Fatalf("claims modified:\n%s", diff)
		}
		byVolume := map[string]string{}
		chosen := map[string]string{}
		for i, r := range res {
			if r.Action != ActionBind {
				continue
			}
			if prev, ok := byVolume[r.Volume]; ok {
				t.Fatalf("volume %s given to %s and %s", r.Volume, prev, claims[i].Name)
			}
			byVolume[r.Volume] = claims[i].Name
			chosen[claims[i].Name] = r.Volume
			v := &pvs[r.Index]
			// a claim naming a volume already reserved for it is bound
			// without a size check, as Kubernetes does; every other
			// binding respects the request.
			if r.Reason == ReasonVolumeNamed && r.PreBound {
				continue
			}
			if v.Spec.Capacity.CeilBytes().Cmp(claims[i].Spec.Request.CeilBytes()) < 0 {
				t.Fatalf("claim %s (%s) bound to %s (%s)", claims[i].Name, claims[i].Spec.Request, v.Name, v.Spec.Capacity)
			}
			if r.Reason == ReasonBestFit {
				k := newClaimKey(&claims[i])
				if why, _, _ := k.check(v, &MatchOptions{Release: rel}); why != "" {
					t.Fatalf("volume %s bound to %s although %s", v.Name, claims[i].Name, why)
				}
			}
		}
		// Same outcome with both inputs permuted.
		pp := rapid.Permutation(pvs).Draw(t, "pvperm")
		cp := rapid.Permutation(claims).Draw(t, "claimperm")
		res2, err2 := BindClaims(pp, cp, Options{Release: rel})
		if (err2 == nil) != (err == nil) {
			t.Fatalf("permuted: error %v, original %v", err2, err)
		}
		chosen2 := map[string]string{}
		for i, r := range res2 {
			if r.Action == ActionBind {
				chosen2[cp[i].Name] = r.Volume
			}
		}
		if diff := cmp.Diff(chosen, chosen2); diff != "" {
			t.Fatalf("order changed the bindings:\n%s", diff)
		}
	})
}

// The allocation-free validity pre-check agrees with full validation.
func TestClaimLooksValidAgrees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := drawClaim(t, rapid.SampledFrom([]string{"a", "", "B"}).Draw(t, "name"))
		if rapid.Bool().Draw(t, "weird") {
			c.Spec.AccessModes = append(c.Spec.AccessModes, AccessMode(rapid.SampledFrom([]string{"ReadWriteOnce", "X", "ReadWriteOncePod"}).Draw(t, "m")))
			c.Spec.StorageClassName = strp(rapid.SampledFrom([]string{"", "ok", "Bad", "-x"}).Draw(t, "cls"))
			c.Spec.Request = MustParseQuantity(rapid.SampledFrom([]string{"0", "-1", "1", "1n"}).Draw(t, "req"))
			c.Spec.Selector = &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{
				Key:      rapid.SampledFrom([]string{"a", "-a", "x/y", ""}).Draw(t, "key"),
				Operator: rapid.SampledFrom([]LabelOperator{LabelOpIn, LabelOpExists, "Gt"}).Draw(t, "op"),
				Values:   rapid.SliceOfN(rapid.SampledFrom([]string{"v", "-v"}), 0, 2).Draw(t, "vals")}}}
		}
		if rapid.Bool().Draw(t, "badvac") {
			c.Spec.VolumeAttributesClassName = strp(rapid.SampledFrom([]string{"", "ok", "Bad"}).Draw(t, "vacname"))
		}
		vac := rapid.Bool().Draw(t, "vac")
		if got, want := claimLooksValid(&c, vac), len(validateClaim(&c, vac, labels.Words{})) == 0; got != want {
			t.Fatalf("claimLooksValid = %v, full validation ok = %v: %v", got, want, validateClaim(&c, vac, labels.Words{}).ToAggregate())
		}
	})
}

func copyVolumes(in []Volume) []Volume {
	if in == nil {
		return nil
	}
	out := make([]Volume, len(in))
	for i, v := range in {
		v.Labels = copyMap(v.Labels)
		v.Annotations = copyMap(v.Annotations)
		v.Spec.AccessModes = append([]AccessMode(nil), v.Spec.AccessModes...)
		if v.Spec.ClaimRef != nil {
			r := *v.Spec.ClaimRef
			v.Spec.ClaimRef = &r
		}
		if v.Spec.VolumeAttributesClassName != nil {
			v.Spec.VolumeAttributesClassName = strp(*v.Spec.VolumeAttributesClassName)
		}
		v.Finalizers = append([]string(nil), v.Finalizers...)
		if s := v.Spec.NodeAffinity; s != nil {
			c := NodeSelector{}
			for _, term := range s.Terms {
				var nt NodeSelectorTerm
				for _, r := range term.MatchExpressions {
					r.Values = append([]string(nil), r.Values...)
					nt.MatchExpressions = append(nt.MatchExpressions, r)
				}
				c.Terms = append(c.Terms, nt)
			}
			v.Spec.NodeAffinity = &c
		}
		src := &v.Spec.Source
		if src.NFS != nil {
			x := *src.NFS
			src.NFS = &x
		}
		if src.HostPath != nil {
			x := *src.HostPath
			if x.Type != nil {
				tp := *x.Type
				x.Type = &tp
			}
			src.HostPath = &x
		}
		if src.CSI != nil {
			x := *src.CSI
			src.CSI = &x
		}
		if src.Local != nil {
			x := *src.Local
			src.Local = &x
		}
		out[i] = v
	}
	return out
}

func copyClaims(in []Claim) []Claim {
	if in == nil {
		return nil
	}
	out := make([]Claim, len(in))
	for i, c := range in {
		c.Annotations = copyMap(c.Annotations)
		c.Spec.AccessModes = append([]AccessMode(nil), c.Spec.AccessModes...)
		if c.Spec.StorageClassName != nil {
			c.Spec.StorageClassName = strp(*c.Spec.StorageClassName)
		}
		if c.Spec.Selector != nil {
			s := *c.Spec.Selector
			s.MatchLabels = copyMap(s.MatchLabels)
			var exprs []LabelSelectorRequirement
			for _, r := range s.MatchExpressions {
				r.Values = append([]string(nil), r.Values...)
				exprs = append(exprs, r)
			}
			s.MatchExpressions = exprs
			c.Spec.Selector = &s
		}
		if c.Spec.VolumeAttributesClassName != nil {
			c.Spec.VolumeAttributesClassName = strp(*c.Spec.VolumeAttributesClassName)
		}
		out[i] = c
	}
	return out
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// No entry point panics on odd inputs, and none modifies its inputs.
func TestNeverPanicsAndInputsUntouched(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := &decoder{b: rapid.SliceOfN(rapid.Byte(), 0, 200).Draw(t, "bytes")}
		pvs := make([]Volume, int(d.byte()%6))
		for i := range pvs {
			pvs[i] = d.volume(i)
		}
		claims := []Claim{d.claim(), d.claim()}
		opts := Options{Classes: d.classes(), Release: fuzzRelease(d)}
		if d.byte()%2 == 0 {
			opts.Node = &Node{Name: "n1", Labels: map[string]string{"zone": "a"}}
		}
		pods := []Pod{{Namespace: "default", Name: "p", NodeName: d.pick("", "n1"), Claims: []string{d.pick("c", "d")}}}
		pvsBefore, claimsBefore := copyVolumes(pvs), copyClaims(claims)
		_, _ = BindPVC(pvs, claims[0], opts)
		_, _ = BindClaims(pvs, claims, opts)
		_, _ = SchedulePod(pvs, claims, opts)
		FindMatch(pvs, &claims[0], MatchOptions{Node: opts.Node, Release: opts.Release})
		Explain(pvs, &claims[1], MatchOptions{Node: opts.Node, Release: opts.Release})
		for i := range pvs {
			var c *Claim
			if d.byte()%2 == 0 {
				c = &claims[0]
			}
			_, _ = SyncVolume(pvs[i], c, pods, opts.Release)
			VolumeProtection(pvs[i])
			_ = ValidateVolume(&pvs[i], opts.Release)
		}
		_, _ = ClaimProtection(claims[0], pods, time.Unix(9, 0), opts.Release)
		_ = ValidateClaim(&claims[1], opts.Release)
		DefaultClaim(claims[1], opts.Release)
		for i := range pvs {
			DefaultVolume(pvs[i], opts.Release)
		}
		PodAccess(claims[0].Name, claims[0].Spec.AccessModes, pods[0], pods)
		if diff := cmp.Diff(pvsBefore, pvs, cmp.AllowUnexported(Quantity{}, qext{})); diff != "" {
			t.Fatalf("volumes modified:\n%s", diff)
		}
		if diff := cmp.Diff(claimsBefore, claims, cmp.AllowUnexported(Quantity{}, qext{})); diff != "" {
			t.Fatalf("claims modified:\n%s", diff)
		}
	})
}
