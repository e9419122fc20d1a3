package daemonset

import (
	"errors"
	"fmt"
	"slices"
	"sync"
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
		samePlan(t, "the index", want, wantErr, got, gotErr)
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

// genUpdate draws a change of nodes: some replaced (new labels and taints,
// sometimes with keys and values no node had), some added, some deleted
// (and a name the index never had).
func genUpdate(t *rapid.T, nodes []Node) (upserts []Node, deleted []string) {
	var names []string
	for _, n := range nodes {
		names = append(names, n.Name)
	}
	// Names from the whole pool the pods are drawn on, so that an added
	// node may already have pods aimed at it.
	pool := append(slices.Clone(nodePool), "m0")
	values := append(slices.Clone(indexValues), "y")
	for _, name := range rapid.SliceOfNDistinct(rapid.SampledFrom(pool), 0, 4, rapid.ID[string]).Draw(t, "upserts") {
		n := Node{Name: name, Taints: genTaints(t, "newTaints")}
		for _, k := range rapid.SliceOfNDistinct(rapid.SampledFrom(indexKeys), 0, 4, rapid.ID[string]).Draw(t, "newKeys") {
			if n.Labels == nil {
				n.Labels = map[string]string{}
			}
			n.Labels[k] = rapid.SampledFrom(values).Draw(t, "newValue")
		}
		upserts = append(upserts, n)
	}
	for _, name := range append(names, "ghost") {
		if !slices.ContainsFunc(upserts, func(n Node) bool { return n.Name == name }) && rapid.IntRange(0, 3).Draw(t, "delete") == 0 {
			deleted = append(deleted, name)
		}
	}
	return upserts, deleted
}

// applyUpdate is the node list Update documents: replaced nodes in place,
// deleted ones dropped, new ones after the rest.
func applyUpdate(nodes, upserts []Node, deleted []string) []Node {
	var out []Node
	used := map[string]bool{}
	for _, n := range nodes {
		if slices.Contains(deleted, n.Name) {
			continue
		}
		if i := slices.IndexFunc(upserts, func(u Node) bool { return u.Name == n.Name }); i >= 0 {
			out = append(out, upserts[i])
			used[n.Name] = true
			continue
		}
		out = append(out, n)
	}
	for _, u := range upserts {
		if !used[u.Name] {
			out = append(out, u)
		}
	}
	return out
}

// An updated index plans as an index built from the updated list, and as
// the list itself; the index it came from still plans as before.
func TestNodeIndexUpdatePlansAsARebuild(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds := genDS(t)
		genNodeConstraints(t, &ds)
		nodes := genIndexedNodes(t)
		pods := genPods(t, &ds)
		opts := Options{Release: genRelease(t)}
		ix, err := IndexNodes(nodes)
		if err != nil {
			t.Fatal(err)
		}
		opts.Nodes = ix
		before, beforeErr := PlanDaemonSet(nil, pods, ds, t0, opts)

		upserts, deleted := genUpdate(t, nodes)
		u0 := cloneNodes(upserts)
		ix2, err := ix.Update(upserts, deleted)
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		if d := cmp.Diff(u0, upserts); d != "" {
			t.Fatalf("the update changed its input:\n%s", d)
		}
		list := applyUpdate(nodes, upserts, deleted)
		if ix2.Len() != len(list) {
			t.Fatalf("%d nodes in the updated index, %d in the list", ix2.Len(), len(list))
		}
		for i := range list {
			if ix2.Node(i).Name != list[i].Name {
				t.Fatalf("node %d is %s in the updated index, %s in the list", i, ix2.Node(i).Name, list[i].Name)
			}
		}
		want, wantErr := PlanDaemonSet(list, pods, ds, t0, Options{Release: opts.Release})
		opts.Nodes = ix2
		got, gotErr := PlanDaemonSet(nil, pods, ds, t0, opts)
		samePlan(t, "the updated index", want, wantErr, got, gotErr)
		opts.Nodes = ix
		again, againErr := PlanDaemonSet(nil, pods, ds, t0, opts)
		samePlan(t, "the index after its update", before, beforeErr, again, againErr)
	})
}

// Two updates of one index, concurrently (under -race in CI), each with
// labels the index has never seen: neither disturbs the other or the base.
func TestNodeIndexUpdatesOfOneIndexAreIndependent(t *testing.T) {
	base := nodesN(50)
	for i := range base {
		base[i].Labels = map[string]string{"zone": fmt.Sprint("z", i%3)}
	}
	ix, err := IndexNodes(base)
	must.NoError(t, err)
	ds := func(zone string) DaemonSet {
		return testDS(func(ds *DaemonSet) { ds.Spec.Template.NodeSelector = map[string]string{"zone": zone} })
	}
	var wg sync.WaitGroup
	results := make([][]string, 4)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			zone := fmt.Sprint("new", g)
			var ups []Node
			for i := range 5 {
				ups = append(ups, Node{Name: fmt.Sprintf("g%d-%d", g, i), Labels: map[string]string{"zone": zone, fmt.Sprint("key", g): "v"}})
			}
			ix2, err := ix.Update(ups, nil)
			if err != nil {
				return
			}
			p, err := PlanDaemonSet(nil, nil, ds(zone), t0, Options{Nodes: ix2})
			if err == nil {
				results[g] = summary(p)
			}
		}()
	}
	wg.Wait()
	for g, got := range results {
		var want []string
		for i := range 5 {
			want = append(want, fmt.Sprintf("create g%d-%d MissingPod", g, i))
		}
		must.Equal(t, want, got)
	}
	p, err := PlanDaemonSet(nil, nil, ds("new0"), t0, Options{Nodes: ix})
	must.NoError(t, err)
	must.Empty(t, p.Creates)
	must.Equal(t, 50, ix.Len())
}

func TestNodeIndexUpdateOfNilIsOfAnEmptyIndex(t *testing.T) {
	var ix *NodeIndex
	up, err := ix.Update(nodesN(2), []string{"n9"})
	must.NoError(t, err)
	must.Equal(t, 2, up.Len())
	p, err := PlanDaemonSet(nil, nil, testDS(), t0, Options{Nodes: up})
	must.NoError(t, err)
	must.Equal(t, []string{"create n1 MissingPod", "create n2 MissingPod"}, summary(p))
}

func TestNodeIndexUpdateRefusals(t *testing.T) {
	ix, err := IndexNodes(nodesN(3))
	must.NoError(t, err)
	var fe *FieldError
	_, err = ix.Update([]Node{{Name: "x"}, {Name: "n1"}, {Name: "x"}}, nil)
	must.True(t, errors.As(err, &fe))
	must.Equal(t, "upserts[2].name", fe.Field)
	must.Equal(t, ErrorTypeDuplicate, fe.Type)
	_, err = ix.Update([]Node{{Name: "n1"}}, []string{"n2", "n1"})
	must.True(t, errors.As(err, &fe))
	must.Equal(t, "upserts[0].name", fe.Field)
	must.Equal(t, ErrorTypeInvalid, fe.Type)
}

// samePlan fails t unless the plan over the index (what) is the one over
// the node list, errors included.
func samePlan(t interface{ Fatalf(string, ...any) }, what string, want Plan, wantErr error, got Plan, gotErr error) {
	if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
		t.Fatalf("errors differ: %v, over %s %v", wantErr, what, gotErr)
	}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("%s plans otherwise (-want +got):\n%s", what, d)
	}
}
