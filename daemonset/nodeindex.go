package daemonset

import (
	"maps"
	"slices"
	"unsafe"

	"github.com/purectl/purectl/internal/field"
)

// NodeIndex is a node list laid out for many passes: every node's labels
// as small numbers in one flat array, and the node names already hashed.
// Build it once per change of the nodes (IndexNodes) and give it to each
// DaemonSet's pass (Options.Nodes), as an autoscaler or a controller
// running dozens of DaemonSets over one fleet would.
//
// Why it exists: a pass reads a few labels of every node, and each label
// map of a large fleet lives somewhere else in memory, so at 100,000 nodes
// every read waits for main memory and the cost per node doubles. Read from
// the index, the same reads are a scan through consecutive memory and the
// cost per node stays what it is for a small cluster.
//
// The index is read-only once built and safe for concurrent passes. It
// holds the Node values (their names, labels and taints) as they were when
// it was built; a caller that changes a node afterwards builds a new index.
type NodeIndex struct {
	nodes  []Node
	start  []uint32  // node i's labels are labels[start[i]:start[i+1]]
	labels []labelID // per node, sorted by key
	keys   map[string]uint32
	values map[string]uint32
	valStr []string // the value of each value number
	byName nameTable
}

// labelID is one label as the numbers of its key and value.
type labelID struct{ key, val uint32 }

// IndexNodes builds the index of nodes. Two nodes of one name are refused,
// with the same error PlanDaemonSet gives for them.
func IndexNodes(nodes []Node) (*NodeIndex, error) {
	ix := &NodeIndex{
		nodes:  slices.Clone(nodes),
		start:  make([]uint32, len(nodes)+1),
		keys:   map[string]uint32{},
		values: map[string]uint32{},
		byName: newNameTable(len(nodes)),
	}
	total := 0
	for i := range nodes {
		total += len(nodes[i].Labels)
	}
	ix.labels = make([]labelID, 0, total)
	for i := range ix.nodes {
		n := &ix.nodes[i]
		if !ix.byName.insert(ix.nodes, i, nameHash(n.Name)) {
			return nil, field.ErrorList{field.Duplicate(field.NewPath("nodes").Index(i).Child("name"), n.Name)}.ToAggregate()
		}
		ix.addLabels(n.Labels)
		ix.start[i+1] = uint32(len(ix.labels))
	}
	return ix, nil
}

// addLabels appends one node's labels, as numbers sorted by key.
func (ix *NodeIndex) addLabels(labels map[string]string) {
	from := len(ix.labels)
	for k, v := range labels {
		ix.labels = append(ix.labels, labelID{ix.intern(ix.keys, k, false), ix.intern(ix.values, v, true)})
	}
	slices.SortFunc(ix.labels[from:], func(a, b labelID) int { return int(a.key) - int(b.key) })
}

func (ix *NodeIndex) intern(m map[string]uint32, s string, value bool) uint32 {
	if id, ok := m[s]; ok {
		return id
	}
	id := uint32(len(m))
	m[s] = id
	if value {
		ix.valStr = append(ix.valStr, s)
	}
	return id
}

// Update returns the index of the nodes after a change, leaving ix as it
// is (passes still planning over it are undisturbed): each node of upserts
// replaces the node of its name, in its place, or is added after the
// others, in the order given; the nodes named in deleted are dropped (a
// name not in the index is ignored). The result is the index IndexNodes
// would build from that list. It costs about a copy of the index's arrays
// plus the changed nodes' labels, instead of IndexNodes' pass over every
// label map of the fleet; when a change brings a label key or value the
// fleet has not used yet, the index's tables of them are copied too.
//
// Two nodes of one name in upserts, or a name both upserted and deleted,
// are refused with a field error naming upserts[i].name.
func (ix *NodeIndex) Update(upserts []Node, deleted []string) (*NodeIndex, error) {
	if ix == nil {
		ix, _ = IndexNodes(nil) // a nil index is an empty one
	}
	gone := make(map[string]bool, len(deleted))
	for _, name := range deleted {
		gone[name] = true
	}
	at := make(map[string]int, len(upserts)) // name -> position in upserts
	for i := range upserts {
		name := upserts[i].Name
		if _, dup := at[name]; dup {
			return nil, field.ErrorList{field.Duplicate(field.NewPath("upserts").Index(i).Child("name"), name)}.ToAggregate()
		}
		if gone[name] {
			return nil, field.ErrorList{field.Invalid(field.NewPath("upserts").Index(i).Child("name"), name, "is also deleted")}.ToAggregate()
		}
		at[name] = i
	}

	// The new list: kept and replaced nodes in their order, then the new.
	replaced := make([]bool, len(upserts))
	nodes := make([]Node, 0, len(ix.nodes)+len(upserts))
	from := make([]int32, 0, len(ix.nodes)+len(upserts)) // old position, or -1 for a node to index anew
	removed := false
	for i := range ix.nodes {
		name := ix.nodes[i].Name
		if gone[name] {
			removed = true
			continue
		}
		if k, ok := at[name]; ok {
			replaced[k] = true
			nodes = append(nodes, upserts[k])
			from = append(from, -1)
			continue
		}
		nodes = append(nodes, ix.nodes[i])
		from = append(from, int32(i))
	}
	for k := range upserts {
		if !replaced[k] {
			nodes = append(nodes, upserts[k])
			from = append(from, -1)
		}
	}

	out := &NodeIndex{
		nodes:  nodes,
		start:  make([]uint32, len(nodes)+1),
		keys:   ix.keys,
		values: ix.values,
		valStr: slices.Clip(ix.valStr), // an append copies, never writes into ix's array
	}
	// With no node gone, every kept or replaced node keeps its place and
	// its slot in the name table: a copy of the table takes the new names
	// while it stays at most three-quarters full.
	reuse := !removed && uint64(len(nodes)) <= ix.byName.size*3/4
	if reuse {
		out.byName = nameTable{slots: slices.Clone(ix.byName.slots), size: ix.byName.size}
	} else {
		out.byName = newNameTable(len(nodes))
	}
	// The key and value tables are shared with ix unless a changed node
	// brings a string they lack: then out gets copies of its own.
	newKey, newValue := false, false
	total := 0
	for i, f := range from {
		if f >= 0 {
			total += int(ix.start[f+1] - ix.start[f])
			continue
		}
		total += len(nodes[i].Labels)
		for k, v := range nodes[i].Labels {
			_, haveKey := ix.keys[k]
			_, haveValue := ix.values[v]
			newKey, newValue = newKey || !haveKey, newValue || !haveValue
		}
	}
	if newKey {
		out.keys = maps.Clone(ix.keys)
	}
	if newValue {
		out.values = maps.Clone(ix.values)
	}
	out.labels = make([]labelID, 0, total)
	for i := range nodes {
		if !reuse || i >= len(ix.nodes) {
			out.byName.insert(out.nodes, i, nameHash(nodes[i].Name)) // names are unique by construction
		}
		if f := from[i]; f >= 0 {
			out.labels = append(out.labels, ix.labels[ix.start[f]:ix.start[f+1]]...)
		} else {
			out.addLabels(nodes[i].Labels)
		}
		out.start[i+1] = uint32(len(out.labels))
	}
	return out, nil
}

// Len is the number of nodes.
func (ix *NodeIndex) Len() int { return len(ix.nodes) }

// Node returns the i-th node, as it was when the index was built. The
// caller must not change its labels or taints.
func (ix *NodeIndex) Node(i int) Node { return ix.nodes[i] }

// lookup finds key (by number) among node i's labels.
func (ix *NodeIndex) lookup(i int, key uint32) (val uint32, ok bool) {
	for _, l := range ix.labels[ix.start[i]:ix.start[i+1]] {
		if l.key >= key {
			return l.val, l.key == key
		}
	}
	return 0, false
}

// indexLabels reads one node's labels from the index for the node
// affinity matcher. The matcher asks for the same few keys node after
// node, so the numbers of the last keys asked are kept, found by the
// address of the key string, which the compiled matcher never changes.
type indexLabels struct {
	ix   *NodeIndex
	node int
	last [4]struct {
		p   *byte
		n   int
		id  uint32
		has bool
	}
	next int
}

func (l *indexLabels) Get(key string) (string, bool) {
	p := unsafe.StringData(key)
	id, has := uint32(0), false
	found := false
	for i := range l.last {
		if c := &l.last[i]; c.p == p && c.n == len(key) && c.p != nil {
			id, has, found = c.id, c.has, true
			break
		}
	}
	if !found {
		id, has = l.ix.keys[key]
		l.last[l.next] = struct {
			p   *byte
			n   int
			id  uint32
			has bool
		}{p, len(key), id, has}
		l.next = (l.next + 1) % len(l.last)
	}
	if !has {
		return "", false // no node has this key
	}
	v, ok := l.ix.lookup(l.node, id)
	if !ok {
		return "", false
	}
	return l.ix.valStr[v], true
}

// checkAllIndexed is checkAll reading the labels from ix.
func (c *checker) checkAllIndexed(ix *NodeIndex, flags []uint8) {
	const ok = 1 << 7 // passed the loops so far
	nodes := ix.nodes
	if len(c.selPairs) > 0 {
		// A pair whose key or value no node has matches no node.
		type pairID struct{ key, val uint32 }
		ids := make([]pairID, len(c.selPairs))
		possible := true
		for i, pr := range c.selPairs {
			k, okK := ix.keys[pr.k]
			v, okV := ix.values[pr.v]
			ids[i], possible = pairID{k, v}, possible && okK && okV
		}
		if possible {
		nodesLoop:
			for i := range nodes {
				for _, id := range ids {
					if v, has := ix.lookup(i, id.key); !has || v != id.val {
						continue nodesLoop
					}
				}
				flags[i] = ok
			}
		}
	} else {
		for i := range flags {
			flags[i] = ok
		}
	}
	if !c.affinity.MatchesAll() {
		l := &indexLabels{ix: ix}
		for i := range nodes {
			if flags[i] == ok {
				l.node = i
				if !c.affinity.MatchGetter(nodes[i].Name, l) {
					flags[i] = 0
				}
			}
		}
	}
	c.checkTaintsAll(nodes, flags)
}
