package daemonset

import (
	"strings"
	"testing"
	"time"

	"github.com/purectl/purectl/internal/field"
)

// Table tests for behaviours where an earlier version disagreed with the
// controller; each is named after the upstream function that decides it.

func TestUpdatedDesiredNodeCountsZeroAndZeroActsAsMaxUnavailableOne(t *testing.T) {
	for _, v := range []IntOrString{FromInt(0), FromString("0%")} {
		ds := testDS(func(ds *DaemonSet) {
			ds.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxUnavailable: &v, MaxSurge: &v}}
		})
		pods := []Pod{old(pod("p1", "n1", 3)), old(pod("p2", "n2", 2))}
		p, err := PlanDaemonSet(nodesN(2), pods, ds, t0, Options{})
		must.NoError(t, err)
		must.Equal(t, []string{"delete p1 RollingUpdate"}, summary(p))
		must.Equal(t, 1, p.Rollout.MaxUnavailable)
		must.Len(t, p.Warnings, 1)
		must.Equal(t, "spec.updateStrategy.rollingUpdate.maxUnavailable", p.Warnings[0].Field)
	}
}

func TestReplaceDaemonSetPodNodeNameNodeAffinityOnEveryCreate(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) {
		ds.Spec.Template.RequiredNodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{
			{MatchExpressions: []NodeSelectorRequirement{{Key: "zone", Operator: NodeOpExists}}},
			{MatchFields: []NodeSelectorRequirement{{Key: FieldMetadataName, Operator: NodeOpNotIn, Values: []string{"x"}}}},
		}}
	})
	nodes := []Node{{Name: "n1", Labels: map[string]string{"zone": "a"}}, {Name: "n2", Labels: map[string]string{"zone": "b"}}}
	p, err := PlanDaemonSet(nodes, nil, ds, t0, Options{})
	must.NoError(t, err)
	must.Len(t, p.Creates, 2)
	for _, c := range p.Creates {
		want := &NodeSelector{Terms: []NodeSelectorTerm{{MatchFields: []NodeSelectorRequirement{
			{Key: FieldMetadataName, Operator: NodeOpIn, Values: []string{c.Node}}}}}}
		must.Equal(t, want, c.RequiredNodeAffinity)
	}
	must.Len(t, ds.Spec.Template.RequiredNodeAffinity.Terms, 2) // the template is untouched
}

func TestCreatePodTemplateOmitsAnEmptyHash(t *testing.T) {
	p, err := PlanDaemonSet(nodesN(1), nil, testDS(func(ds *DaemonSet) { ds.Spec.CurrentHash = "" }), t0, Options{})
	must.NoError(t, err)
	must.Equal(t, map[string]string{"app": "d"}, p.NewPodLabels)
}

func TestUpdateDaemonSetRollsInTheSameSyncWhenWritesAreObserved(t *testing.T) {
	// n3 lacks a pod; n1 and n2 run old available pods. Informer-fed, the
	// create leaves the expectations unmet and the rolling update waits;
	// with writes observed it runs on the pods with the create applied, and
	// the new pod (not yet available) holds the one unit of maxUnavailable.
	pods := []Pod{old(pod("p1", "n1", 3)), old(pod("p2", "n2", 2))}
	p, err := PlanDaemonSet(nodesN(3), pods, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"create n3 MissingPod"}, summary(p))
	must.True(t, !p.Rollout.Evaluated)

	ds := testDS(func(ds *DaemonSet) { ds.WritesObserved = true })
	p, err = PlanDaemonSet(nodesN(3), pods, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"create n3 MissingPod"}, summary(p))
	must.True(t, p.Rollout.Evaluated)
	must.Equal(t, 1, p.Rollout.Unavailable)
	must.Equal(t, []string{"n3"}, holderNodes(p))

	// With maxUnavailable 2 one old pod goes in the same pass, and the
	// status counts the pods after both steps.
	ds.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxUnavailable: ptr(FromInt(2))}}
	p, err = PlanDaemonSet(nodesN(3), pods, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"create n3 MissingPod", "delete p1 RollingUpdate"}, summary(p))
	must.Equal(t, Status{ObservedGeneration: 3, DesiredNumberScheduled: 3, CurrentNumberScheduled: 3,
		NumberReady: 2, UpdatedNumberScheduled: 1, NumberAvailable: 2, NumberUnavailable: 1}, p.Status)
}

func TestObservedPassDoesNotReplaceThePodItJustCreated(t *testing.T) {
	// Without a current hash no pod carries a matching label, yet the pod
	// the reconcile creates is made from the current template: the rolling
	// update of the same pass must not surge a second pod onto its node.
	ds := testDS(func(ds *DaemonSet) {
		ds.WritesObserved = true
		ds.Spec.CurrentHash = ""
		ds.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{
			MaxUnavailable: ptr(FromInt(0)), MaxSurge: ptr(FromInt(1))}}
	})
	p, err := PlanDaemonSet(nodesN(2), nil, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"create n1 MissingPod", "create n2 MissingPod"}, summary(p))
	must.Equal(t, 2, p.Status.UpdatedNumberScheduled)
}

func TestUpdateDaemonSetObservedDeleteOfUnboundPodRemovesIt(t *testing.T) {
	// An unbound pod aimed at a vanished node is deleted at once by the API
	// server, so the rolling update no longer sees that node at all; a
	// bound duplicate only gets a deletion timestamp.
	ds := testDS(func(ds *DaemonSet) {
		ds.WritesObserved = true
		ds.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxUnavailable: ptr(FromInt(2))}}
	})
	pods := []Pod{unbound(old(pod("gone", "n9", 1))), old(pod("p1", "n1", 3)), old(pod("p2", "n2", 2))}
	p, err := PlanDaemonSet(nodesN(2), pods, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"delete p1 RollingUpdate", "delete p2 RollingUpdate", "delete gone NodeGone"}, summary(p))
}

func TestUpdateDaemonSetStatusRequeueAfterMinReadySeconds(t *testing.T) {
	// The controller asks again minReadySeconds after the pass; the exact
	// instant is when the pod has been ready for minReadySeconds.
	p0 := pod("p1", "n1", 0)
	p0.ReadySince = t0.Add(-10 * time.Second)
	ds := testDS(func(ds *DaemonSet) { ds.Spec.MinReadySeconds = 30 })
	p, err := PlanDaemonSet(nodesN(1), []Pod{p0}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, t0.Add(20*time.Second), p.RequeueAt)

	ds.RequeueAfterMinReady = true
	p, err = PlanDaemonSet(nodesN(1), []Pod{p0}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, t0.Add(30*time.Second), p.RequeueAt)
}

func TestPodsShouldBeOnNodeBackoffRequeuesAfterTheWholeDelay(t *testing.T) {
	failed := phase(pod("f", "n1", 1), PodFailed)
	ds := testDS(func(ds *DaemonSet) {
		ds.FailedPodBackoff = []NodeBackoff{{Node: "n1", Generation: 3, LastUpdate: t0.Add(-3 * time.Second), Delay: 4 * time.Second}}
	})
	p, err := PlanDaemonSet(nodesN(1), []Pod{failed}, ds, t0, Options{})
	must.NoError(t, err)
	must.Empty(t, summary(p))
	must.Equal(t, t0.Add(time.Second), p.RequeueAt)

	ds.RequeueAfterMinReady = true
	p, err = PlanDaemonSet(nodesN(1), []Pod{failed}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, t0.Add(4*time.Second), p.RequeueAt)
}

func TestUpdateDaemonSetUnknownStrategyTypeDoesNotRoll(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) { ds.Spec.UpdateStrategy.Type = "Recreate" })
	p, err := PlanDaemonSet(nodesN(1), []Pod{old(pod("p1", "n1", 3))}, ds, t0, Options{})
	must.NoError(t, err)
	must.Empty(t, summary(p))
	must.True(t, !p.Rollout.Evaluated)
	must.Len(t, p.Warnings, 1)
}

func TestUnavailableCountErrorBlocksTheRollingUpdate(t *testing.T) {
	ds := testDS(unavailable(FromString("ten")))
	p, err := PlanDaemonSet(nodesN(2), []Pod{old(pod("p1", "n1", 3))}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"create n2 MissingPod"}, summary(p)) // the reconcile still runs

	p, err = PlanDaemonSet(nodesN(1), []Pod{old(pod("p1", "n1", 3))}, ds, t0, Options{})
	must.NoError(t, err)
	must.Empty(t, summary(p))
	must.Contains(t, p.Rollout.Blocked, "maxUnavailable")
}

func TestSyncDaemonSetSelectingAllIsSkipped(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) { ds.Spec.Selector = &LabelSelector{} })
	p, err := PlanDaemonSet(nodesN(1), nil, ds, t0, Options{})
	must.NoError(t, err)
	must.NotEmpty(t, p.Skipped)
	must.Empty(t, p.Creates)
	must.NotEmpty(t, p.Warnings)
}

func TestSetDefaultsDaemonSet(t *testing.T) {
	got := Default(DaemonSet{}, Release{})
	one, zero, ten := FromInt(1), FromInt(0), int32(10)
	must.Equal(t, UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxUnavailable: &one, MaxSurge: &zero}}, got.Spec.UpdateStrategy)
	must.Equal(t, &ten, got.Spec.RevisionHistoryLimit)
	must.Equal(t, RestartAlways, got.Spec.Template.RestartPolicy)

	surge := FromString("20%")
	in := DaemonSet{Spec: Spec{UpdateStrategy: UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxSurge: &surge}}}}
	got = Default(in, Release{})
	must.Equal(t, &one, got.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable)
	must.Equal(t, &surge, got.Spec.UpdateStrategy.RollingUpdate.MaxSurge)
	must.True(t, in.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable == nil, "input untouched")

	got = Default(DaemonSet{Spec: Spec{UpdateStrategy: UpdateStrategy{Type: OnDelete}}}, Release{})
	must.True(t, got.Spec.UpdateStrategy.RollingUpdate == nil, "OnDelete gets no rollingUpdate")
}

func holderNodes(p Plan) []string {
	var out []string
	for _, h := range p.Rollout.Holders {
		out = append(out, h.Node)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestIsPodAvailableAtExactlyMinReadySeconds(t *testing.T) {
	// A pod ready for exactly minReadySeconds is available (the comparison
	// is <=, not strictly before).
	p0 := pod("p1", "n1", 0)
	p0.ReadySince = t0.Add(-30 * time.Second)
	ds := testDS(func(ds *DaemonSet) { ds.Spec.MinReadySeconds = 30 })
	p, err := PlanDaemonSet(nodesN(1), []Pod{p0}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, 1, p.Status.NumberAvailable)
	must.True(t, p.RequeueAt.IsZero())

	p, err = PlanDaemonSet(nodesN(1), []Pod{p0}, ds, t0.Add(-time.Nanosecond), Options{})
	must.NoError(t, err)
	must.Equal(t, 0, p.Status.NumberAvailable)
	must.Equal(t, t0, p.RequeueAt)
}

func TestPodsShouldBeOnNodeOwnedFailedPodBeforeAdoptedOrphan(t *testing.T) {
	// Two failed pods on one node: the backoff lets one go per pass, and the
	// controller reaches the pod it owns before the orphan it adopts.
	orphan := phase(pod("a-orphan", "n1", 9), PodFailed)
	orphan.ControllerUID = ""
	owned := phase(pod("b-owned", "n1", 1), PodFailed)
	p, err := PlanDaemonSet(nodesN(1), []Pod{orphan, owned}, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"delete b-owned FailedDaemonPod"}, summary(p))
	must.Equal(t, t0.Add(BackoffInitial), p.RequeueAt)
}

func TestValidateDaemonSetSpecPrintsLikeTheAPIServer(t *testing.T) {
	// The exact lines ValidateDaemonSetSpec prints, in its order: objects
	// as JSON, template labels at the template's own path, the pod-spec
	// checks before the DaemonSet's.
	ad, one := int64(0), FromInt(1)
	s := testDS().Spec
	s.Selector = &LabelSelector{}
	s.Template.Labels = map[string]string{"app": "bad value!"}
	s.Template.NodeName = "Bad_Name"
	s.Template.NodeSelector = map[string]string{"zone": "a"}
	s.Template.ActiveDeadlineSeconds = &ad
	s.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateParams{MaxUnavailable: &one, MaxSurge: &one}}
	var got []string
	for _, e := range field.AsList(Validate(s, Release{})) {
		got = append(got, e.Field+": "+string(e.Type)+": "+fmtValue(e))
	}
	must.Equal(t, []string{
		"spec.selector: Invalid value: {}",
		`spec.template.labels: Invalid value: "bad value!"`,
		`spec.template.spec.nodeName: Invalid value: "Bad_Name"`,
		"spec.template.spec.activeDeadlineSeconds: Invalid value: 0",
		"spec.template.spec.activeDeadlineSeconds: Forbidden: ",
		"spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1",
	}, got)

	s = testDS().Spec
	s.Template.Labels = map[string]string{"app": "x"}
	s.UpdateStrategy = UpdateStrategy{Type: "Recreate", RollingUpdate: &RollingUpdateParams{MaxSurge: ptr(FromString("25%"))}}
	must.Equal(t, "[spec.template.metadata.labels: Invalid value: {\"app\":\"x\"}: `selector` does not match template `labels`, "+
		`spec.updateStrategy: Unsupported value: {"Type":"Recreate","RollingUpdate":{"MaxUnavailable":0,"MaxSurge":"25%"}}: supported values: "RollingUpdate", "OnDelete"]`,
		Validate(s, Release{}).Error())
}

// fmtValue is an error's value as printed, without its detail.
func fmtValue(e *FieldError) string {
	b := e.Body()
	if e.Detail != "" {
		b = strings.TrimSuffix(b, ": "+e.Detail)
	}
	return strings.TrimPrefix(strings.TrimPrefix(b, string(e.Type)), ": ")
}
