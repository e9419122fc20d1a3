package daemonset

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// reader turns fuzz bytes into small choices; past the end it reads zeros.
type reader struct {
	b []byte
	i int
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) pick(n int) int { return int(r.byte()) % n }

func (r *reader) str(pool ...string) string { return pool[r.pick(len(pool))] }

func (r *reader) intstr() *IntOrString {
	switch r.pick(4) {
	case 0:
		return nil
	case 1:
		v := FromInt(int32(int8(r.byte())))
		return &v
	case 2:
		v := FromString(r.str("0%", "1%", "50%", "100%", "101%", "x", "-5%", "%", "3"))
		return &v
	}
	v := FromInt(int32(r.byte()) << 24)
	return &v
}

func fuzzInput(data []byte) ([]Node, []Pod, DaemonSet, time.Time) {
	r := &reader{b: data}
	names := []string{"a", "b", "c", "", "d", "Bad_Name"}
	keys := []string{"zone", "k", TaintNodeNotReady, TaintNodeUnschedulable, TaintNodeNetworkUnavailable, "", "bad key"}
	effects := []TaintEffect{TaintEffectNoSchedule, TaintEffectNoExecute, TaintEffectPreferNoSchedule, "", "Odd"}
	now := t0.Add(time.Duration(int8(r.byte())) * time.Second)

	var nodes []Node
	for n := r.pick(6); n > 0; n-- {
		nd := Node{Name: r.str(names...), Labels: map[string]string{r.str(keys...): r.str("a", "b", "7", "")}}
		for k := r.pick(3); k > 0; k-- {
			nd.Taints = append(nd.Taints, Taint{Key: r.str(keys...), Value: r.str("", "v"), Effect: effects[r.pick(len(effects))]})
		}
		nodes = append(nodes, nd)
	}
	ds := testDS()
	if r.pick(16) == 0 {
		ds.DeletionTimestamp = now
	}
	ds.Spec.MinReadySeconds = int32(int8(r.byte()))
	ds.Spec.CurrentHash = r.str("new", "old", "")
	ds.TemplateGeneration = r.str("", "1", "2")
	switch r.pick(4) {
	case 0:
		ds.Spec.UpdateStrategy.Type = OnDelete
	case 1:
		ds.Spec.UpdateStrategy.Type = "Weird"
	}
	if r.pick(2) == 0 {
		ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: r.intstr(), MaxSurge: r.intstr()}
	}
	switch r.pick(5) {
	case 0:
		ds.Spec.Selector = nil
	case 1:
		ds.Spec.Selector = &LabelSelector{}
	case 2:
		ds.Spec.Selector.MatchExpressions = []LabelRequirement{{Key: r.str(keys...), Operator: LabelOperator(r.str("In", "NotIn", "Exists", "DoesNotExist", "Bogus")), Values: []string{r.str("a", "")}}}
	}
	if r.pick(2) == 0 {
		ds.Spec.Template.NodeSelector = map[string]string{r.str(keys...): r.str("a", "b")}
	}
	if r.pick(2) == 0 {
		ds.Spec.Template.RequiredNodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{
			MatchExpressions: []NodeSelectorRequirement{{Key: r.str(keys...), Operator: NodeSelectorOperator(r.str("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "X")), Values: []string{r.str("a", "5", "-3")}}},
			MatchFields:      []NodeSelectorRequirement{{Key: r.str(FieldMetadataName, "x"), Operator: NodeSelectorOperator(r.str("In", "NotIn", "Gt")), Values: []string{r.str(names...)}}},
		}}}
	}
	if r.pick(2) == 0 {
		ds.Spec.Template.Tolerations = []Toleration{{Key: r.str(keys...), Operator: TolerationOperator(r.str("", "Equal", "Exists", "Lt")), Value: r.str("", "v"), Effect: effects[r.pick(len(effects))]}}
	}
	ds.Spec.Template.HostNetwork = r.pick(2) == 0
	ds.Spec.Template.NodeName = r.str("", "", "a", "Bad_Name")
	for k := r.pick(3); k > 0; k-- {
		ds.FailedPodBackoff = append(ds.FailedPodBackoff, NodeBackoff{Node: r.str(names...), Generation: int64(r.pick(4)),
			LastUpdate: now.Add(-time.Duration(r.byte()) * time.Second), Delay: time.Duration(int8(r.byte())) * time.Hour})
	}

	var pods []Pod
	for n := r.pick(10); n > 0; n-- {
		p := Pod{
			Name: fmt.Sprintf("p%d", r.pick(8)), Namespace: r.str("", "ns", "other"),
			Labels:        map[string]string{"app": r.str("d", "x"), LabelRevisionHash: r.str("new", "old", ""), LabelTemplateGeneration: r.str("1", "2")},
			ControllerUID: r.str(testUID, "", "other"), NodeName: r.str(names...),
			Phase: PodPhase(r.str("Running", "Pending", "Failed", "Succeeded", "")), Ready: r.pick(2) == 0,
			ReadySince:        now.Add(-time.Duration(int8(r.byte())) * time.Second),
			CreationTimestamp: now.Add(-time.Duration(r.pick(4)) * time.Second),
			Deleting:          r.pick(4) == 0,
		}
		if r.pick(3) == 0 {
			p.RequiredNodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{MatchFields: []NodeSelectorRequirement{
				{Key: FieldMetadataName, Operator: NodeOpIn, Values: []string{r.str(names...), "z"}[:1+r.pick(2)]}}}}}
		}
		pods = append(pods, p)
	}
	return nodes, pods, ds, now
}

// FuzzPlanDaemonSet: no input panics; a valid one gives a well-formed,
// sorted plan and the same answer twice.
func FuzzPlanDaemonSet(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x03\x02\x01\x00\x05\x02\x01\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"))
	f.Add([]byte("daemonset rolling update with surge and taints"))
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, pods, ds, now := fuzzInput(data)
		for _, n := range nodes {
			e := ExplainNode(n, ds, Options{})
			if e.Reason == "" || e.Message == "" || (e.ShouldRun && !e.ShouldContinueRunning) {
				t.Fatalf("bad explanation %+v", e)
			}
		}
		_ = Validate(ds.Spec, Release{})
		_ = Default(ds, Release{})
		if len(nodes) > 1 {
			_ = NodeChanged(nodes[0], nodes[1])
			_ = NodeUpdateSyncs(nodes[0], ds, pods, len(data)%2, Options{})
		}
		var revs []Revision
		for i, p := range pods {
			revs = append(revs, Revision{Name: p.Name, Revision: int64(i % 3), Hash: p.Labels[LabelRevisionHash]})
		}
		_ = HistoryToDelete(revs, pods, ds)
		// The observed-writes and coarse-requeue variants must hold the
		// same contract.
		if len(data) > 0 {
			ds.WritesObserved = data[0]&1 != 0
			ds.RequeueAfterMinReady = data[0]&2 != 0
		}
		plan, err := PlanDaemonSet(nodes, pods, ds, now, Options{})
		if err != nil {
			return
		}
		again, _ := PlanDaemonSet(nodes, pods, ds, now, Options{})
		// The same pass over an index of the nodes.
		if ix, err := IndexNodes(nodes); err != nil {
			if plan.Skipped == "" { // only a pass that never reads the nodes accepts these
				t.Fatalf("the nodes planned but do not index: %v", err)
			}
		} else if indexed, err := PlanDaemonSet(nil, pods, ds, now, Options{Nodes: ix}); err != nil || !reflect.DeepEqual(plan, indexed) {
			t.Fatalf("indexed pass differs (%v):\n%+v\n%+v", err, plan, indexed)
		} else {
			// And over an index of the first half, updated with the rest.
			h := len(nodes) / 2
			half, err := IndexNodes(nodes[:h])
			if err != nil {
				t.Fatalf("half the nodes do not index: %v", err)
			}
			if full, err := half.Update(nodes[h:], nil); err != nil {
				t.Fatalf("the rest does not update the index: %v", err)
			} else if updated, err := PlanDaemonSet(nil, pods, ds, now, Options{Nodes: full}); err != nil || !reflect.DeepEqual(plan, updated) {
				t.Fatalf("pass over the updated index differs (%v):\n%+v\n%+v", err, plan, updated)
			}
		}
		// Compared by value: the plan holds pointers (warnings, the created
		// pods' node affinity), whose addresses differ between calls.
		if !reflect.DeepEqual(plan, again) {
			t.Fatalf("not deterministic:\n%+v\n%+v", plan, again)
		}
		for i := 1; i < len(plan.Creates); i++ {
			if plan.Creates[i-1].Node >= plan.Creates[i].Node {
				t.Fatalf("creates unsorted %v", plan.Creates)
			}
		}
		for i := 1; i < len(plan.Deletes); i++ {
			a, b := plan.Deletes[i-1], plan.Deletes[i]
			if a.Node > b.Node || a.Node == b.Node && a.Pod >= b.Pod {
				t.Fatalf("deletes unsorted %v", plan.Deletes)
			}
		}
		s := plan.Status
		if s.NumberAvailable > s.NumberReady || s.CurrentNumberScheduled > s.DesiredNumberScheduled || s.DesiredNumberScheduled > len(nodes) {
			t.Fatalf("inconsistent status %+v", s)
		}
	})
}
