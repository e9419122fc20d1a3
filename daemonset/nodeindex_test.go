package daemonset

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

var (
	indexKeys   = []string{"zone", "k", "tier", "num", "kubernetes.io/os", "absent"}
	indexValues = []string{"a", "b", "linux", "1", "10", "-3", "x"}
)

func genIndexedNodes(t *rapid.T) []Node {
	nodes := genNodes(t)
	for i := range nodes {
		for _, k := range rapid.SliceOfNDistinct(rapid.SampledFrom(indexKeys[:5]), 0, 5, rapid.ID[string]).Draw(t, "keys") {
			nodes[i].Labels[k] = rapid.SampledFrom(indexValues).Draw(t, "value")
		}
		if rapid.IntRange(0, 5).Draw(t, "noLabels") == 0 {
			nodes[i].Labels = nil
		}
	}
	return nodes
}

func genNodeConstraints(t *rapid.T, ds *DaemonSet) {
	if rapid.Bool().Draw(t, "selector") {
		ds.Spec.Template.NodeSelector = map[string]string{}
		for _, k := range rapid.SliceOfNDistinct(rapid.SampledFrom(indexKeys), 1, 2, rapid.ID[string]).Draw(t, "selKeys") {
			ds.Spec.Template.NodeSelector[k] = rapid.SampledFrom(indexValues).Draw(t, "selValue")
		}
	}
	if rapid.Bool().Draw(t, "affinity") {
		var terms []NodeSelectorTerm
		for range rapid.IntRange(0, 2).Draw(t, "terms") {
			var term NodeSelectorTerm
			for range rapid.IntRange(0, 3).Draw(t, "exprs") {
				op := rapid.SampledFrom([]NodeSelectorOperator{NodeOpIn, NodeOpNotIn, NodeOpExists, NodeOpDoesNotExist, NodeOpGt, NodeOpLt}).Draw(t, "op")
				r := NodeSelectorRequirement{Key: rapid.SampledFrom(indexKeys).Draw(t, "affKey"), Operator: op}
				switch op {
				case NodeOpIn, NodeOpNotIn:
					r.Values = rapid.SliceOfN(rapid.SampledFrom(indexValues), 1, 2).Draw(t, "affValues")
				case NodeOpGt, NodeOpLt:
					r.Values = []string{rapid.SampledFrom([]string{"0", "5", "-10"}).Draw(t, "affNum")}
				}
				term.MatchExpressions = append(term.MatchExpressions, r)
			}
			if rapid.IntRange(0, 3).Draw(t, "fields") == 0 {
				term.MatchFields = []NodeSelectorRequirement{{Key: FieldMetadataName, Operator: NodeOpIn,
					Values: []string{rapid.SampledFrom(nodePool).Draw(t, "fieldNode")}}}
			}
			terms = append(terms, term)
		}
		ds.Spec.Template.RequiredNodeAffinity = &NodeSelector{Terms: terms}
	}
}

// TestNodeIndexPlansAlike: a pass over an index of the nodes gives the
// plan the nodes themselves give, for every selector, affinity, taint and
// pod mix, in both the informer-fed and the observed-writes mode.
func TestNodeIndexPlansAlike(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds := genDS(t)
		genNodeConstraints(t, &ds)
		ds.WritesObserved = rapid.Bool().Draw(t, "observed")
		nodes := genIndexedNodes(t)
		pods := genPods(t, &ds)
		opts := Options{Release: genRelease(t)}
		want, wantErr := PlanDaemonSet(nodes, pods, ds, t0, opts)

		n0 := cloneNodes(nodes)
		ix, err := IndexNodes(nodes)
		if err != nil {
			t.Fatalf("index: %v", err)
		}
		if d := cmp.Diff(n0, nodes); d != "" {
			t.Fatalf("indexing changed the nodes:\n%s", d)
		}
		opts.Nodes = ix
		got, gotErr := PlanDaemonSet(nil, pods, ds, t0, opts)
		if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
			t.Fatalf("errors differ: %v, indexed %v", wantErr, gotErr)
		}
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("the index changed the plan:\n%s", d)
		}
		for i := range nodes {
			if ix.Node(i).Name != nodes[i].Name {
				t.Fatalf("node %d is %s in the index", i, ix.Node(i).Name)
			}
		}
	})
}

func TestNodeIndexRefusals(t *testing.T) {
	// The same duplicate as PlanDaemonSet reports for the list.
	dup := []Node{{Name: "a"}, {Name: "b"}, {Name: "a"}}
	_, planErr := PlanDaemonSet(dup, nil, testDS(), t0, Options{})
	_, ixErr := IndexNodes(dup)
	var fe *FieldError
	must.True(t, errors.As(ixErr, &fe))
	must.Equal(t, "nodes[2].name", fe.Field)
	must.Equal(t, planErr.Error(), ixErr.Error())

	// Nodes as a list and as an index at once are a caller's mistake.
	ix, err := IndexNodes(nodesN(2))
	must.NoError(t, err)
	_, err = PlanDaemonSet(nodesN(2), nil, testDS(), t0, Options{Nodes: ix})
	must.True(t, errors.As(err, &fe))
	must.Equal(t, "nodes", fe.Field)
	must.Equal(t, 2, ix.Len())
}

func TestNodeIndexKeepsNodesAsBuilt(t *testing.T) {
	// The index answers for the nodes as they were: relabelling a node
	// afterwards does not change an indexed pass, only a new index does.
	nodes := nodesN(2)
	nodes[0].Labels = map[string]string{"zone": "a"}
	nodes[1].Labels = map[string]string{"zone": "b"}
	ds := testDS(func(ds *DaemonSet) { ds.Spec.Template.NodeSelector = map[string]string{"zone": "a"} })
	ix, err := IndexNodes(nodes)
	must.NoError(t, err)
	nodes[1].Labels = map[string]string{"zone": "a"}
	p, err := PlanDaemonSet(nil, nil, ds, t0, Options{Nodes: ix})
	must.NoError(t, err)
	must.Equal(t, []string{"create n1 MissingPod"}, summary(p))
	ix, err = IndexNodes(nodes)
	must.NoError(t, err)
	p, err = PlanDaemonSet(nil, nil, ds, t0, Options{Nodes: ix})
	must.NoError(t, err)
	must.Equal(t, []string{"create n1 MissingPod", "create n2 MissingPod"}, summary(p))
}

func TestNodeIndexAffinityKeysOfOneLength(t *testing.T) {
	// "zone" and "tier" are asked for node after node; each must find its
	// own label, not the other's.
	nodes := nodesN(3)
	nodes[0].Labels = map[string]string{"zone": "a", "tier": "web"}
	nodes[1].Labels = map[string]string{"zone": "web", "tier": "a"}
	nodes[2].Labels = map[string]string{"zone": "a", "tier": "db"}
	ds := testDS(func(ds *DaemonSet) {
		ds.Spec.Template.RequiredNodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{MatchExpressions: []NodeSelectorRequirement{
			{Key: "zone", Operator: NodeOpIn, Values: []string{"a"}},
			{Key: "tier", Operator: NodeOpIn, Values: []string{"web"}},
		}}}}
	})
	ix, err := IndexNodes(nodes)
	must.NoError(t, err)
	p, err := PlanDaemonSet(nil, nil, ds, t0, Options{Nodes: ix})
	must.NoError(t, err)
	must.Equal(t, []string{"create n1 MissingPod"}, summary(p))
}
