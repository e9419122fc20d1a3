package daemonset

import (
	"hash/maphash"
	"slices"
)

// seed keys the node-name table. It is fixed for the life of the process and
// only decides where names land in the table, never what a plan says.
var seed = maphash.MakeSeed()

// nameTable maps node names to their index in the node list: open
// addressing over one slice, with part of the hash kept next to the index so
// that most probes never touch the name. It holds 1.5 slots per node (a
// multiply-shift spreads hashes over any size, so the table need not round
// up to a power of two): a third of a Go map's memory, which matters once
// the table no longer fits in the processor's caches.
type nameTable struct {
	slots []uint64 // hash<<32 | index+1; 0 is empty
	size  uint64
}

func newNameTable(n int) nameTable {
	size := max(8, n+n/2+1)
	return nameTable{slots: make([]uint64, size), size: uint64(size)}
}

// home is the first slot to probe for hash h; the tag is h's high half.
func (t *nameTable) home(h uint64) uint64 { return uint64(uint32(h)) * t.size >> 32 }

// nameHash is the hash a name is filed under.
func nameHash(name string) uint64 { return maphash.String(seed, name) }

// insert adds nodes[i], whose name hashes to h; it reports false if the
// name is already there.
func (t *nameTable) insert(nodes []Node, i int, h uint64) bool {
	tag := h >> 32 << 32
	for s := t.home(h); ; {
		v := t.slots[s]
		if v == 0 {
			t.slots[s] = tag | uint64(i+1)
			return true
		}
		if v&^0xffffffff == tag && nodes[v&0xffffffff-1].Name == nodes[i].Name {
			return false
		}
		if s++; s == t.size {
			s = 0
		}
	}
}

// lookup returns the index of the node called name, whose hash is h, or -1.
func (t *nameTable) lookup(nodes []Node, name string, h uint64) int32 {
	tag := h >> 32 << 32
	for s := t.home(h); ; {
		v := t.slots[s]
		if v == 0 {
			return -1
		}
		if v&^0xffffffff == tag && nodes[v&0xffffffff-1].Name == name {
			return int32(v&0xffffffff - 1)
		}
		if s++; s == t.size {
			s = 0
		}
	}
}

// bounded keeps the BurstReplicas smallest actions of a pass and counts
// them all: a pass with thousands of creates issues only the first
// BurstReplicas by node name, and memory stays proportional to what is
// issued. The heap holds indexes into acts, so sifting moves no pointers.
type bounded struct {
	cmp   func(a, b act) int
	acts  []act
	heap  []int32 // max-heap of indexes into acts
	total int
}

func (b *bounded) less(i, j int32) bool { return b.cmp(b.acts[i], b.acts[j]) < 0 }

func (b *bounded) add(a act) {
	b.total++
	if len(b.acts) < BurstReplicas {
		b.acts = append(b.acts, a)
		b.heap = append(b.heap, int32(len(b.acts)-1))
		for i := len(b.heap) - 1; i > 0; {
			parent := (i - 1) / 2
			if !b.less(b.heap[parent], b.heap[i]) {
				break
			}
			b.heap[i], b.heap[parent] = b.heap[parent], b.heap[i]
			i = parent
		}
		return
	}
	if b.cmp(a, b.acts[b.heap[0]]) >= 0 {
		return
	}
	b.acts[b.heap[0]] = a
	h := b.heap
	for i := 0; ; {
		l, r, big := 2*i+1, 2*i+2, i
		if l < len(h) && b.less(h[big], h[l]) {
			big = l
		}
		if r < len(h) && b.less(h[big], h[r]) {
			big = r
		}
		if big == i {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// sorted returns the kept actions in order.
func (b *bounded) sorted() []act {
	slices.SortFunc(b.acts, b.cmp)
	return b.acts
}

// reset forgets everything collected.
func (b *bounded) reset() { b.acts, b.heap, b.total = nil, nil, 0 }
