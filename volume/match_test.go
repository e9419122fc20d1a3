package volume

import (
	"github.com/purectl/purectl/api"
	"testing"
)

// TestFindMatch covers the PV controller's search and the
// scheduler's. want is the chosen volume's name, "" for none.
func TestFindMatch(t *testing.T) {
	node := &Node{Name: "node-a", Labels: map[string]string{"zone": "a"}}
	zoneB := &NodeSelector{Terms: []NodeSelectorTerm{{MatchExpressions: []NodeSelectorRequirement{
		{Key: "zone", Operator: NodeOpIn, Values: []string{"b"}}}}}}
	zoneA := &NodeSelector{Terms: []NodeSelectorTerm{{MatchExpressions: []NodeSelectorRequirement{
		{Key: "zone", Operator: NodeOpIn, Values: []string{"a"}}}}}}
	withAffinity := func(s *NodeSelector) volOpt { return func(v *Volume) { v.Spec.NodeAffinity = s } }
	vac := func(s string) volOpt { return func(v *Volume) { v.Spec.VolumeAttributesClassName = &s } }
	cvac := func(s string) claimOpt { return func(c *Claim) { c.Spec.VolumeAttributesClassName = &s } }
	cases := []struct {
		name  string
		pvs   []Volume
		claim Claim
		opts  MatchOptions
		want  string
	}{
		{"smallest fitting capacity wins",
			[]Volume{pv("big", "10Gi"), pv("small", "2Gi"), pv("mid", "5Gi")}, pvc("c", "1Gi"), MatchOptions{}, "small"},
		{"too small volumes are skipped",
			[]Volume{pv("tiny", "500Mi"), pv("ok", "1Gi")}, pvc("c", "1Gi"), MatchOptions{}, "ok"},
		{"1G does not satisfy 1Gi",
			[]Volume{pv("dec", "1G")}, pvc("c", "1Gi"), MatchOptions{}, ""},
		{"800E does not satisfy 950E (beyond int64)",
			[]Volume{pv("huge", "800E")}, pvc("c", "950E"), MatchOptions{}, ""},
		{"950E satisfies 800E",
			[]Volume{pv("huge", "950E")}, pvc("c", "800E"), MatchOptions{}, "huge"},
		{"fewer modes beats smaller size",
			[]Volume{pv("rwo-rox-2", "2Gi", modes(ReadWriteOnce, ReadOnlyMany)), pv("rwo-100", "100Gi")},
			pvc("c", "1Gi"), MatchOptions{}, "rwo-100"},
		{"modes must be a superset of the request",
			[]Volume{pv("rwo", "1Gi"), pv("rwx", "5Gi", modes(ReadWriteMany))},
			pvc("c", "1Gi", cmodes(ReadWriteMany)), MatchOptions{}, "rwx"},
		{"request order irrelevant",
			[]Volume{pv("both", "1Gi", modes(ReadOnlyMany, ReadWriteOnce))},
			pvc("c", "1Gi", cmodes(ReadOnlyMany, ReadWriteOnce)), MatchOptions{}, "both"},
		{"tie-break: equal-size sets by canonical list, {RWO,ROX} before {RWO,RWX}",
			[]Volume{pv("rwo-rwx", "1Gi", modes(ReadWriteMany, ReadWriteOnce)), pv("rwo-rox", "5Gi", modes(ReadOnlyMany, ReadWriteOnce))},
			pvc("c", "1Gi"), MatchOptions{}, "rwo-rox"},
		{"RWOP does not imply RWO",
			[]Volume{pv("rwop", "1Gi", modes(ReadWriteOncePod))}, pvc("c", "1Gi"), MatchOptions{}, ""},
		{"duplicate modes are harmless",
			[]Volume{pv("dup", "1Gi", modes(ReadWriteOnce, ReadWriteOnce))}, pvc("c", "1Gi"), MatchOptions{}, "dup"},
		{"tie-break on equal capacity by name",
			[]Volume{pv("b", "1Gi"), pv("a", "1Gi")}, pvc("c", "1Gi"), MatchOptions{}, "a"},
		{"volume claimed by another claim is skipped",
			[]Volume{pv("taken", "1Gi", claimRef("default", "other", "u"), phase(VolumeBound)), pv("free", "2Gi")},
			pvc("c", "1Gi"), MatchOptions{}, "free"},
		{"claimRef with another UID of the same name is taken",
			[]Volume{pv("old", "1Gi", claimRef("default", "c", "old-uid"), phase(VolumeReleased))},
			pvc("c", "1Gi"), MatchOptions{}, ""},
		{"pre-bound volume wins over a smaller one in the same set",
			[]Volume{pv("free", "1Gi"), pv("mine", "5Gi", claimRef("default", "c", ""))},
			pvc("c", "1Gi"), MatchOptions{}, "mine"},
		{"pre-bound ignores phase, class and selector",
			[]Volume{pv("mine", "5Gi", claimRef("default", "c", "uid-c"), phase(VolumeReleased), class("gold"), vlabels("x", "y"))},
			pvc("c", "1Gi", csel(&LabelSelector{MatchLabels: map[string]string{"app": "db"}})), MatchOptions{}, "mine"},
		{"pre-binding loses to a fitting volume with fewer modes",
			[]Volume{pv("mine", "1Gi", modes(ReadWriteOnce, ReadWriteMany), claimRef("default", "c", "")), pv("plain", "50Gi")},
			pvc("c", "1Gi"), MatchOptions{}, "plain"},
		{"pre-bound volume too small is not found",
			[]Volume{pv("mine", "1Gi", claimRef("default", "c", ""))}, pvc("c", "2Gi"), MatchOptions{}, ""},
		{"volumeMode must match, unset is Filesystem",
			[]Volume{pv("block", "1Gi", vmode(Block)), pv("fs", "2Gi", vmode(Filesystem)), pv("unset", "3Gi")},
			pvc("c", "1Gi"), MatchOptions{}, "fs"},
		{"Block claim binds only Block volumes",
			[]Volume{pv("fs", "1Gi"), pv("block", "2Gi", vmode(Block))},
			pvc("c", "1Gi", func(c *Claim) { c.Spec.VolumeMode = Block }), MatchOptions{}, "block"},
		{"volumeMode applies to pre-bound volumes too",
			[]Volume{pv("mine", "1Gi", vmode(Block), claimRef("default", "c", ""))}, pvc("c", "1Gi"), MatchOptions{}, ""},
		{"volume attributes class must be equal",
			[]Volume{pv("gold-vac", "1Gi", vac("gold")), pv("none", "2Gi")}, pvc("c", "1Gi"), MatchOptions{}, "none"},
		{"claim with a class binds only that class",
			[]Volume{pv("none", "1Gi"), pv("gold-vac", "2Gi", vac("gold"))}, pvc("c", "1Gi", cvac("gold")), MatchOptions{}, "gold-vac"},
		{"unset equals empty",
			[]Volume{pv("none", "1Gi")}, pvc("c", "1Gi", cvac("")), MatchOptions{}, "none"},
		{"[VolumeAttributesClass=false] volumes with a class are skipped",
			[]Volume{pv("gold-vac", "1Gi", vac("gold")), pv("none", "2Gi")}, pvc("c", "1Gi"),
			MatchOptions{Release: Release{Version: "1.35", FeatureGates: map[api.Gate]bool{api.VolumeAttributesClass: false}}}, "none"},
		{"[VolumeAttributesClass=false] a claim with a class matches nothing",
			[]Volume{pv("gold-vac", "1Gi", vac("gold")), pv("none", "2Gi")}, pvc("c", "1Gi", cvac("gold")),
			MatchOptions{Release: Release{Version: "1.34", FeatureGates: map[api.Gate]bool{api.VolumeAttributesClass: false}}}, ""},
		{"volumes being deleted are skipped, even pre-bound",
			[]Volume{pv("gone", "1Gi", deleting()), pv("mine", "1Gi", deleting(), claimRef("default", "c", ""))},
			pvc("c", "1Gi"), MatchOptions{}, ""},
		{"delayed binding without node only takes pre-bound volumes",
			[]Volume{pv("free", "1Gi")}, pvc("c", "1Gi"), MatchOptions{DelayBinding: true}, ""},
		{"delayed binding still takes a pre-bound volume",
			[]Volume{pv("free", "1Gi"), pv("mine", "2Gi", claimRef("default", "c", ""))}, pvc("c", "1Gi"), MatchOptions{DelayBinding: true}, "mine"},
		{"only Available volumes, not Pending, Released, Failed or unset",
			[]Volume{pv("p", "1Gi", phase(VolumePending)), pv("r", "1Gi", phase(VolumeReleased)), pv("f", "1Gi", phase(VolumeFailed)),
				pv("e", "1Gi", phase("")), pv("a", "9Gi")}, pvc("c", "1Gi"), MatchOptions{}, "a"},
		{"selector matchLabels and expressions",
			[]Volume{pv("fast", "1Gi", vlabels("tier", "fast")), pv("slow", "2Gi", vlabels("tier", "slow", "zone", "a"))},
			pvc("c", "1Gi", csel(&LabelSelector{MatchLabels: map[string]string{"tier": "slow"},
				MatchExpressions: []LabelSelectorRequirement{{Key: "zone", Operator: LabelOpIn, Values: []string{"a"}}}})),
			MatchOptions{}, "slow"},
		{"empty selector matches every volume",
			[]Volume{pv("any", "1Gi")}, pvc("c", "1Gi", csel(&LabelSelector{})), MatchOptions{}, "any"},
		{"gold claim never binds a class-less volume",
			[]Volume{pv("none", "1Gi")}, pvc("c", "1Gi", cclass("gold")), MatchOptions{}, ""},
		{"class-less claim never binds a gold volume",
			[]Volume{pv("gold", "1Gi", class("gold"))}, pvc("c", "1Gi"), MatchOptions{}, ""},
		{"empty class claim binds class-less volume",
			[]Volume{pv("none", "1Gi")}, pvc("c", "1Gi", cclass("")), MatchOptions{}, "none"},
		{"beta annotation on the claim wins over spec",
			[]Volume{pv("gold", "1Gi", class("gold")), pv("silver", "1Gi", class("silver"))},
			pvc("c", "1Gi", cclass("silver"), cannot(AnnBetaStorageClass, "gold")), MatchOptions{}, "gold"},
		{"beta annotation on the volume wins over spec",
			[]Volume{pv("v", "1Gi", class("silver"), vannot(AnnBetaStorageClass, "gold"))},
			pvc("c", "1Gi", cclass("gold")), MatchOptions{}, "v"},
		{"empty beta annotation on the claim means no class",
			[]Volume{pv("none", "1Gi"), pv("gold", "1Gi", class("gold"))},
			pvc("c", "1Gi", cclass("gold"), cannot(AnnBetaStorageClass, "")), MatchOptions{}, "none"},
		{"scheduler: one flat list, smallest fit wins over fewer modes",
			[]Volume{pv("rwo-100", "100Gi"), pv("rwo-rox-2", "2Gi", modes(ReadWriteOnce, ReadOnlyMany))},
			pvc("c", "1Gi"), MatchOptions{Node: node}, "rwo-rox-2"},
		{"scheduler: node affinity must accept the node",
			[]Volume{pv("b", "1Gi", withAffinity(zoneB)), pv("a", "2Gi", withAffinity(zoneA))},
			pvc("c", "1Gi"), MatchOptions{Node: node}, "a"},
		{"scheduler: pre-bound volume rejecting the node makes it infeasible",
			[]Volume{pv("mine", "1Gi", withAffinity(zoneB), claimRef("default", "c", "")), pv("a", "1Gi")},
			pvc("c", "1Gi"), MatchOptions{Node: node}, ""},
		{"scheduler: excluded volumes are skipped",
			[]Volume{pv("x", "1Gi"), pv("y", "2Gi")}, pvc("c", "1Gi"), MatchOptions{Node: node, Exclude: map[string]bool{"x": true}}, "y"},
		{"scheduler: only the claim's class is listed, even pre-bound",
			[]Volume{pv("mine", "1Gi", class("gold"), claimRef("default", "c", ""))}, pvc("c", "1Gi"), MatchOptions{Node: node}, ""},
		{"scheduler: delayed binding does not apply with a node",
			[]Volume{pv("free", "1Gi")}, pvc("c", "1Gi"), MatchOptions{Node: node, DelayBinding: true}, "free"},
		{"scheduler: a pre-bound volume is taken without checking access modes",
			[]Volume{pv("mine", "1Gi", modes(ReadOnlyMany), claimRef("default", "c", ""))}, pvc("c", "1Gi"), MatchOptions{Node: node}, "mine"},
		{"scheduler: unbound volumes need every requested mode",
			[]Volume{pv("rox", "1Gi", modes(ReadOnlyMany)), pv("rwo", "2Gi")}, pvc("c", "1Gi"), MatchOptions{Node: node}, "rwo"},
		{"controller: a pre-bound volume lacking a mode is not found",
			[]Volume{pv("mine", "1Gi", modes(ReadOnlyMany), claimRef("default", "c", ""))}, pvc("c", "1Gi"), MatchOptions{}, ""},
		{"controller path ignores node affinity",
			[]Volume{pv("b", "1Gi", withAffinity(zoneB))}, pvc("c", "1Gi"), MatchOptions{}, "b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			i, _ := FindMatch(c.pvs, &c.claim, c.opts)
			got := ""
			if i >= 0 {
				got = c.pvs[i].Name
			}
			if got != c.want {
				t.Errorf("FindMatch chose %q, want %q", got, c.want)
				for _, r := range Explain(c.pvs, &c.claim, c.opts) {
					t.Logf("  %s: %s (%s)", r.Volume, r.Reason, r.Message)
				}
			}
		})
	}
}

// TestExplain: each volume is reported with the first rule that rejects it,
// in Kubernetes' order.
func TestExplain(t *testing.T) {
	pvs := []Volume{
		pv("small", "1Gi"),
		pv("taken", "10Gi", claimRef("default", "other", "u")),
		pv("released", "10Gi", phase(VolumeReleased)),
		pv("gold", "10Gi", class("gold")),
		pv("rox", "10Gi", modes(ReadOnlyMany)),
		pv("block", "10Gi", vmode(Block)),
		pv("dying", "10Gi", deleting()),
		pv("labelled", "10Gi", vlabels("tier", "fast")),
		pv("best", "5Gi", vlabels("tier", "slow")),
		pv("second", "8Gi", vlabels("tier", "slow")),
	}
	claim := pvc("c", "2Gi", csel(&LabelSelector{MatchLabels: map[string]string{"tier": "slow"}}))
	want := map[string]Reason{
		"small": RejectTooSmall, "taken": RejectClaimedByOther, "released": RejectPhase, "gold": RejectSelector,
		"rox": RejectAccessModes, "block": RejectVolumeMode, "dying": RejectDeleting, "labelled": RejectSelector,
		"best": Chosen, "second": RejectNotBest,
	}
	got := Explain(pvs, &claim, MatchOptions{})
	if len(got) != len(pvs) {
		t.Fatalf("Explain returned %d entries, want %d", len(got), len(pvs))
	}
	for i, r := range got {
		if r.Index != i || r.Volume != pvs[i].Name {
			t.Errorf("entry %d is %s/%d, want it in input order", i, r.Volume, r.Index)
		}
		if r.Reason != want[r.Volume] {
			t.Errorf("%s: reason %s, want %s", r.Volume, r.Reason, want[r.Volume])
		}
		if r.Message == "" {
			t.Errorf("%s: empty message", r.Volume)
		}
	}
	// A gold volume with matching labels is rejected for its class.
	claim2 := pvc("c", "2Gi")
	if r := Explain([]Volume{pv("gold", "10Gi", class("gold"))}, &claim2, MatchOptions{}); r[0].Reason != RejectStorageClass {
		t.Errorf("class mismatch reported as %s", r[0].Reason)
	}
	if r := Explain([]Volume{pv("free", "10Gi")}, &claim2, MatchOptions{DelayBinding: true}); r[0].Reason != RejectDelayedBinding {
		t.Errorf("delayed binding reported as %s", r[0].Reason)
	}
}
