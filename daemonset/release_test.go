package daemonset

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

func rel(v string, gates ...api.Gate) Release {
	r := Release{Version: v}
	for _, g := range gates {
		if r.FeatureGates == nil {
			r.FeatureGates = map[api.Gate]bool{}
		}
		r.FeatureGates[g] = true
	}
	return r
}

func relOff(v string, g api.Gate) Release {
	return Release{Version: v, FeatureGates: map[api.Gate]bool{g: false}}
}

// NodeShouldRunDaemonPod matches taints with FindMatchingUntoleratedTaint,
// which from v1.35 takes the TaintTolerationComparisonOperators gate: with
// it a Gt toleration keeps a pod on a node whose taint value is larger;
// without it (v1.34, and the default of v1.35 to v1.37) the toleration
// matches nothing.
func TestNodeShouldRunDaemonPodComparisonOperators(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) {
		ds.Spec.Template.Tolerations = []Toleration{
			{Key: "sla", Operator: api.TolerationOpGt, Value: "900", Effect: TaintEffectNoSchedule},
			{Key: "tier", Operator: api.TolerationOpLt, Value: "3"},
		}
	})
	high := Node{Name: "high", Taints: []Taint{{Key: "sla", Value: "950", Effect: TaintEffectNoSchedule}}}
	low := Node{Name: "low", Taints: []Taint{{Key: "sla", Value: "800", Effect: TaintEffectNoSchedule}}}
	tier := Node{Name: "tier", Taints: []Taint{{Key: "tier", Value: "2", Effect: TaintEffectNoExecute}}}
	cases := []struct {
		rel  Release
		node Node
		want Reason
	}{
		{rel("1.34"), high, ReasonUntoleratedNoSchedule},
		{rel("1.35"), high, ReasonUntoleratedNoSchedule},
		{rel("1.37"), high, ReasonUntoleratedNoSchedule},
		{rel("1.35", api.TaintTolerationComparisonOperators), high, ReasonEligible},
		{rel("1.36", api.TaintTolerationComparisonOperators), high, ReasonEligible},
		{rel("1.37", api.TaintTolerationComparisonOperators), high, ReasonEligible},
		{rel("1.37", api.TaintTolerationComparisonOperators), low, ReasonUntoleratedNoSchedule},
		{rel("1.34"), tier, ReasonUntoleratedNoExecute},
		{rel("1.36"), tier, ReasonUntoleratedNoExecute},
		{rel("1.36", api.TaintTolerationComparisonOperators), tier, ReasonEligible},
	}
	for _, c := range cases {
		name := c.rel.Version + "/" + c.node.Name
		if c.rel.Enabled(api.TaintTolerationComparisonOperators) {
			name += "/gate"
		}
		t.Run(name, func(t *testing.T) {
			opts := Options{Release: c.rel}
			e := ExplainNode(c.node, ds, opts)
			if e.Reason != c.want {
				t.Fatalf("ExplainNode: %s (%s), want %s", e.Reason, e.Message, c.want)
			}
			plan, err := PlanDaemonSet([]Node{c.node}, nil, ds, t0, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(plan.Creates) == 1; got != (c.want == ReasonEligible) {
				t.Fatalf("creates %v, want a create: %v", plan.Creates, c.want == ReasonEligible)
			}
			// NodeUpdateSyncs: a node without the DaemonSet's pod syncs
			// exactly when the pod should run there.
			if got := NodeUpdateSyncs(c.node, ds, nil, 0, opts); got != (c.want == ReasonEligible) {
				t.Fatalf("NodeUpdateSyncs %v", got)
			}
		})
	}
}

// ValidateTolerations (pkg/apis/core/validation) per release: Lt and Gt are
// an unsupported operator in v1.34 (two supported values named) and, with
// the gate off, from v1.35 (four named); with the gate the value must be a
// canonical integer.
func TestValidateTolerationOperatorsPerRelease(t *testing.T) {
	spec := testDS(func(ds *DaemonSet) {
		ds.Spec.Template.Tolerations = []Toleration{{Key: "sla", Operator: api.TolerationOpLt, Value: "01"}}
	}).Spec
	const p = "spec.template.spec.tolerations[0]"
	cases := []struct {
		rel  Release
		want []string
	}{
		{rel("1.34"), []string{p + `.operator: Unsupported value: "Lt": supported values: "Equal", "Exists"`}},
		{rel("1.35"), []string{p + `.operator: Unsupported value: "Lt": supported values: "Equal", "Exists", "Lt", "Gt"`}},
		{rel("1.37"), []string{p + `.operator: Unsupported value: "Lt": supported values: "Equal", "Exists", "Lt", "Gt"`}},
		{rel("1.35", api.TaintTolerationComparisonOperators), []string{p + `.value: Invalid value: "01": must be a valid decimal integer in canonical form`}},
		{rel("1.37", api.TaintTolerationComparisonOperators), []string{p + `.value: Invalid value: "01": must be a valid decimal integer in canonical form`}},
	}
	for _, c := range cases {
		var got []string
		for _, e := range field.AsList(Validate(spec, c.rel)) {
			got = append(got, e.Error())
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s gate %v (-want +got):\n%s", c.rel.Version, c.rel.Enabled(api.TaintTolerationComparisonOperators), d)
		}
		// The plan lists the same problems and acts all the same.
		plan, err := PlanDaemonSet(nodesN(1), nil, testDS(func(ds *DaemonSet) { ds.Spec = spec }), t0, Options{Release: c.rel})
		if err != nil || len(plan.Warnings) != len(c.want) || len(plan.Creates) != 1 {
			t.Errorf("%s: plan %v warnings %v creates %d", c.rel.Version, err, plan.Warnings, len(plan.Creates))
		}
	}
	spec.Template.Tolerations[0].Value = "-7"
	if err := Validate(spec, rel("1.36", api.TaintTolerationComparisonOperators)); err != nil {
		t.Errorf("a canonical Lt value with the gate: %v", err)
	}
}

// syncDaemonSet: while the controller's expectations are unmet (a create
// or delete of an earlier pass not yet seen) it only updates the status,
// without raising observedGeneration (updateDaemonSetStatus with
// updateObservedGen false), in every release; from v1.36, with
// StaleControllerConsistencyDaemonSet, a view that lacks a pod the
// controller created or adopted, or the status it wrote, stops the pass
// before anything (consistencyStore.EnsureReady).
func TestSyncDaemonSetUnobservedWritesPerRelease(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) { ds.Generation = 4 }) // observedGeneration 3
	pods := []Pod{pod("a", "n1", 5), {Name: "orphan", Namespace: "ns", Labels: map[string]string{"app": "d"}, NodeName: "n2",
		Phase: PodRunning, CreationTimestamp: t0.Add(-time.Minute)}}
	nodes := nodesN(3)
	type want struct{ skipped, statusOnly bool }
	full, statusOnly, skipped := want{}, want{statusOnly: true}, want{skipped: true}
	cases := []struct {
		name string
		u    Unobserved
		rel  Release
		want want
	}{
		{"observed 1.34", Unobserved{}, rel("1.34"), full},
		{"observed 1.37", Unobserved{}, rel("1.37"), full},
		{"creates 1.34", Unobserved{Creates: true}, rel("1.34"), statusOnly},
		{"creates 1.35", Unobserved{Creates: true}, rel("1.35"), statusOnly},
		{"creates 1.36", Unobserved{Creates: true}, rel("1.36"), skipped},
		{"creates 1.37", Unobserved{Creates: true}, rel("1.37"), skipped},
		{"creates 1.37 gate off", Unobserved{Creates: true}, relOff("1.37", api.StaleControllerConsistencyDaemonSet), statusOnly},
		{"deletes 1.35", Unobserved{Deletes: true}, rel("1.35"), statusOnly},
		{"deletes 1.36 (not tracked by resource version)", Unobserved{Deletes: true}, rel("1.36"), statusOnly},
		{"adoptions 1.35", Unobserved{Adoptions: true}, rel("1.35"), full},
		{"adoptions 1.36", Unobserved{Adoptions: true}, rel("1.36"), skipped},
		{"status 1.34", Unobserved{Status: true}, rel("1.34"), full},
		{"status 1.37", Unobserved{Status: true}, rel("1.37"), skipped},
		{"status 1.36 gate off", Unobserved{Status: true}, relOff("1.36", api.StaleControllerConsistencyDaemonSet), full},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := ds
			d.Unobserved = c.u
			plan, err := PlanDaemonSet(nodes, pods, d, t0, Options{Release: c.rel})
			if err != nil {
				t.Fatal(err)
			}
			switch c.want {
			case skipped:
				if !strings.Contains(plan.Skipped, "StaleControllerConsistencyDaemonSet") || plan.StatusOnly ||
					len(plan.Creates)+len(plan.Adopt) > 0 || plan.Status != (Status{}) {
					t.Fatalf("want a skipped pass, got %+v", plan)
				}
			case statusOnly:
				if !plan.StatusOnly || plan.Skipped != "" || len(plan.Creates)+len(plan.Deletes) > 0 || plan.Rollout.Evaluated {
					t.Fatalf("want a status-only pass, got %+v", plan)
				}
				if plan.Status.ObservedGeneration != 3 {
					t.Fatalf("status-only pass raised observedGeneration to %d", plan.Status.ObservedGeneration)
				}
				// Ownership is still reconciled (getNodesToDaemonPods claims
				// pods in the status update too).
				if len(plan.Adopt) != 1 || plan.Adopt[0].Pod != "orphan" {
					t.Fatalf("adoptions %v", plan.Adopt)
				}
			default:
				if plan.StatusOnly || plan.Skipped != "" || len(plan.Creates) != 1 || plan.Status.ObservedGeneration != 4 {
					t.Fatalf("want a full pass, got %+v", plan)
				}
			}
			if c.want != skipped && (plan.Status.DesiredNumberScheduled != 3 || plan.Status.CurrentNumberScheduled != 2) {
				t.Fatalf("status %+v", plan.Status)
			}
		})
	}
}

// The pod the controller creates carries the owner reference of
// metav1.NewControllerRef and the generateName of GetPodFromTemplate (the
// DaemonSet's name and a dash), and the revision labels; the deprecated
// template-generation annotation is read from Annotations when
// TemplateGeneration is empty.
func TestCreatedPodMetadata(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) {
		ds.Annotations = map[string]string{AnnotationTemplateGeneration: "07"}
		ds.Labels = map[string]string{"team": "infra"}
	})
	plan, err := PlanDaemonSet(nodesN(1), nil, ds, t0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := OwnerReference{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "ds", UID: testUID, Controller: true, BlockOwnerDeletion: true}
	if plan.NewPodOwner != want || plan.NewPodGenerateName != "ds-" {
		t.Fatalf("owner %+v generateName %q", plan.NewPodOwner, plan.NewPodGenerateName)
	}
	wantLabels := map[string]string{"app": "d", LabelRevisionHash: "new", LabelTemplateGeneration: "7"}
	if d := cmp.Diff(wantLabels, plan.NewPodLabels); d != "" {
		t.Fatalf("labels (-want +got):\n%s", d)
	}
	// TemplateGeneration, when set, wins over the annotation.
	ds.TemplateGeneration = "9"
	plan, _ = PlanDaemonSet(nodesN(1), nil, ds, t0, Options{})
	if plan.NewPodLabels[LabelTemplateGeneration] != "9" {
		t.Fatalf("labels %v", plan.NewPodLabels)
	}
	// Without creates there is no new pod to describe.
	plan, _ = PlanDaemonSet(nil, nil, ds, t0, Options{})
	if plan.NewPodOwner != (OwnerReference{}) || plan.NewPodGenerateName != "" {
		t.Fatalf("no creates, yet owner %+v", plan.NewPodOwner)
	}
}

// What the release changes: only Lt and Gt tolerations and a view that
// lacks the controller's writes make the releases decide differently; for
// every other input all four plan alike.
func TestReleasesAgreeOutsideTheirDifferences(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds := genDS(t)
		nodes, pods := genNodes(t), genPods(t, &ds)
		cmpTol := false
		for _, tol := range ds.Spec.Template.Tolerations {
			cmpTol = cmpTol || tol.Operator == api.TolerationOpLt || tol.Operator == api.TolerationOpGt
		}
		ds.Unobserved = genUnobserved(t)
		a, b := genRelease(t), genRelease(t)
		pa, err := PlanDaemonSet(nodes, pods, ds, t0, Options{Release: a})
		if err != nil {
			t.Fatal(err)
		}
		pb, err := PlanDaemonSet(nodes, pods, ds, t0, Options{Release: b})
		if err != nil {
			t.Fatal(err)
		}
		sameCmp := a.Enabled(api.TaintTolerationComparisonOperators) == b.Enabled(api.TaintTolerationComparisonOperators)
		sameStale := a.Enabled(api.StaleControllerConsistencyDaemonSet) == b.Enabled(api.StaleControllerConsistencyDaemonSet)
		u := ds.Unobserved
		tracked := u.Creates || u.Adoptions || u.Status
		if (sameCmp || !cmpTol) && (sameStale || !tracked) {
			// Warnings may still differ: v1.34 names fewer operators.
			pa.Warnings, pb.Warnings = nil, nil
			if d := cmp.Diff(pa, pb, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("%s and %s disagree:\n%s", a.Version, b.Version, d)
			}
		}
		// Where the consistency check holds the pass, nothing happens.
		for _, r := range []struct {
			rel  Release
			plan Plan
		}{{a, pa}, {b, pb}} {
			if held := tracked && r.rel.Enabled(api.StaleControllerConsistencyDaemonSet); held != strings.Contains(r.plan.Skipped, "StaleControllerConsistencyDaemonSet") {
				t.Fatalf("%s: held %v, skipped %q", r.rel.Version, held, r.plan.Skipped)
			}
			if r.plan.StatusOnly && (len(r.plan.Creates)+len(r.plan.Deletes) > 0 || r.plan.Status.ObservedGeneration != ds.ObservedGeneration) {
				t.Fatalf("%s: status-only plan acted: %+v", r.rel.Version, r.plan)
			}
		}
	})
}

// apimachinery v0.35 renamed IsQualifiedName to content.IsLabelKey, and its
// message for a key with two slashes says "a valid label key" where v0.34
// said "a qualified name"; every key Validate checks follows the release.
func TestValidateKeyWordingPerRelease(t *testing.T) {
	spec := testDS(func(ds *DaemonSet) {
		ds.Spec.Template.NodeSelector = map[string]string{"a/b/c": "x"}
		ds.Spec.Template.Tolerations = []Toleration{{Key: "d/e/f", Operator: TolerationOpExists}}
	}).Spec
	for _, c := range []struct {
		rel  string
		want string
	}{{"1.34", "a qualified name must consist"}, {"1.35", "a valid label key must consist"}, {"1.37", "a valid label key must consist"}} {
		errs := field.AsList(Validate(spec, rel(c.rel)))
		if len(errs) != 2 {
			t.Fatalf("%s: %v", c.rel, errs)
		}
		for _, e := range errs {
			if !strings.HasPrefix(e.Detail, c.want) {
				t.Errorf("%s: %s, want the detail to start %q", c.rel, e, c.want)
			}
		}
	}
}

// From 1.35 label keys and values are measured in bytes (apimachinery's
// content.IsLabelKey and IsLabelValue), in the template's labels, its
// nodeSelector, its required node affinity and its tolerations alike,
// while a nodeName checked as a DNS subdomain keeps "characters".
func TestValidateLengthWordingPerRelease(t *testing.T) {
	long := strings.Repeat("v", 64)
	spec := testDS(func(ds *DaemonSet) {
		ds.Spec.Template.NodeSelector = map[string]string{"disk": long}
		ds.Spec.Template.Tolerations = []Toleration{{Key: long, Operator: TolerationOpExists}}
		ds.Spec.Template.RequiredNodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{
			MatchExpressions: []NodeSelectorRequirement{{Key: "zone", Operator: NodeOpIn, Values: []string{long}}}}}}
		ds.Spec.Template.NodeName = strings.Repeat("n", 254)
	}).Spec
	for _, c := range []struct{ rel, unit string }{{"1.34", "characters"}, {"1.35", "bytes"}, {"1.37", "bytes"}} {
		errs := field.AsList(Validate(spec, rel(c.rel)))
		var got []string
		for _, e := range errs {
			if strings.Contains(e.Detail, "must be no more than") {
				got = append(got, e.Field+": "+e.Detail)
			}
		}
		want := []string{
			"spec.template.spec.nodeSelector: must be no more than 63 " + c.unit,
			"spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]: must be no more than 63 " + c.unit,
			"spec.template.spec.nodeName: must be no more than 253 characters",
			"spec.template.spec.tolerations[0].key: name part must be no more than 63 " + c.unit,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", c.rel, got, want)
		}
	}
}
