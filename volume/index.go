package volume

import (
	"sort"
	"strconv"
	"strings"

	"github.com/purectl/purectl/internal/field"
)

// Index answers many claim searches against one set of volumes quickly and
// remembers which volumes it handed out, so that binding many claims at once
// never gives one volume to two claims. It implements the PV controller's
// search (FindMatch without a node) with the same tie-break.
//
// It searches as every release does with the VolumeAttributesClass gate on
// (its default); with the gate off the controller refuses a claim that sets
// an attributes class instead of searching (BindClaims does), and for any
// other claim the search is the same.
//
// Build it with NewIndex; it keeps a reference to pvs, which must not change
// while the Index is in use. An Index is not safe for concurrent use.
type Index struct {
	pvs   []Volume
	taken []bool
	pos   []int32 // position of a free volume in its bucket
	// free holds the Available, unreserved, undeleted volumes by what a
	// claim must equal exactly (class, volume mode, attributes class), then
	// by access-mode set; each bucket sorted by (capacity, name, index).
	free map[groupKey]*[16]*bucket
	// reserved holds volumes whose claimRef names a claim.
	reserved map[refKey][]int32
}

type groupKey struct {
	class string
	mode  VolumeMode
	vac   string
}

type refKey struct{ ns, name string }

func volumeGroup(v *Volume) (groupKey, modeSet) {
	k := groupKey{class: VolumeClass(v), mode: normMode(v.Spec.VolumeMode)}
	if v.Spec.VolumeAttributesClassName != nil {
		k.vac = *v.Spec.VolumeAttributesClassName
	}
	return k, modesOf(v.Spec.AccessModes)
}

type bucket struct {
	idx []int32 // volume indexes in tie-break order
	nxt []int32 // union-find "next position not taken"; len(idx)+1 entries
}

// NewIndex indexes pvs (in O(n log n)).
func NewIndex(pvs []Volume) *Index {
	ix := &Index{pvs: pvs, taken: make([]bool, len(pvs)), pos: make([]int32, len(pvs)),
		free: make(map[groupKey]*[16]*bucket), reserved: make(map[refKey][]int32)}
	for i := range pvs {
		v := &pvs[i]
		if r := v.Spec.ClaimRef; r != nil {
			key := refKey{r.Namespace, r.Name}
			ix.reserved[key] = append(ix.reserved[key], int32(i))
			continue
		}
		if v.Status.Phase != VolumeAvailable || !v.DeletionTimestamp.IsZero() {
			continue
		}
		g, m := volumeGroup(v)
		sets := ix.free[g]
		if sets == nil {
			sets = new([16]*bucket)
			ix.free[g] = sets
		}
		if sets[m] == nil {
			sets[m] = &bucket{}
		}
		sets[m].idx = append(sets[m].idx, int32(i))
	}
	for _, sets := range ix.free {
		for _, b := range sets {
			if b == nil {
				continue
			}
			sort.Slice(b.idx, func(x, y int) bool {
				a, c := &pvs[b.idx[x]], &pvs[b.idx[y]]
				if d := a.Spec.Capacity.Cmp(c.Spec.Capacity); d != 0 {
					return d < 0
				}
				if a.Name != c.Name {
					return a.Name < c.Name
				}
				return b.idx[x] < b.idx[y]
			})
			b.nxt = make([]int32, len(b.idx)+1)
			for p := range b.nxt {
				b.nxt[p] = int32(p)
			}
			for p, j := range b.idx {
				ix.pos[j] = int32(p)
			}
		}
	}
	return ix
}

// next returns the first position >= p whose volume is not taken.
func (b *bucket) next(p int32) int32 {
	root := p
	for b.nxt[root] != root {
		root = b.nxt[root]
	}
	for b.nxt[p] != root {
		b.nxt[p], p = root, b.nxt[p]
	}
	return root
}

// Find returns the index in pvs of the volume the claim would bind to, or
// -1, skipping volumes already taken. delayed is the claim's
// WaitForFirstConsumer mode (only a pre-bound volume qualifies).
func (ix *Index) Find(claim *Claim, delayed bool) (index int, prebound bool) {
	k := newClaimKey(claim)
	c := ix.find(&k, delayed)
	return c.idx, c.prebound
}

func (ix *Index) find(k *claimKey, delayed bool) candidate {
	best := candidate{idx: -1}
	// The search with the VolumeAttributesClass gate on: with it off, a
	// claim without a class (the only kind the controller searches for
	// then) rejects exactly the volumes that set one here as well.
	opts := MatchOptions{DelayBinding: delayed}
	for _, j := range ix.reserved[refKey{k.ns, k.name}] {
		if ix.taken[j] {
			continue
		}
		why, pre, _ := k.check(&ix.pvs[j], &opts)
		if why != "" {
			continue
		}
		rank := setRank[modesOf(ix.pvs[j].Spec.AccessModes)]
		if better(ix.pvs, &best, int(j), rank, pre) {
			best = candidate{idx: int(j), rank: rank, prebound: pre}
		}
	}
	if delayed {
		return best
	}
	sets := ix.free[groupKey{class: k.class, mode: k.mode, vac: k.vac}]
	if sets == nil {
		return best
	}
	for m := modeSet(0); m < 16; m++ {
		b := sets[m]
		if b == nil || m&k.modes != k.modes {
			continue
		}
		rank := setRank[m]
		if best.idx >= 0 && rank > best.rank {
			continue
		}
		// First position with capacity >= request.
		lo := sort.Search(len(b.idx), func(p int) bool { return ix.pvs[b.idx[p]].Spec.Capacity.Cmp(k.req) >= 0 })
		for p := b.next(int32(lo)); int(p) < len(b.idx); p = b.next(p + 1) {
			j := int(b.idx[p])
			if k.sel != nil && !k.sel.Matches(ix.pvs[j].Labels) {
				continue
			}
			if better(ix.pvs, &best, j, rank, false) {
				best = candidate{idx: j, rank: rank}
			}
			break
		}
	}
	return best
}

// Take marks pvs[i] as handed out: later searches skip it.
func (ix *Index) Take(i int) {
	if i < 0 || i >= len(ix.pvs) || ix.taken[i] {
		return
	}
	ix.taken[i] = true
	v := &ix.pvs[i]
	if v.Spec.ClaimRef != nil || v.Status.Phase != VolumeAvailable || !v.DeletionTimestamp.IsZero() {
		return
	}
	g, m := volumeGroup(v)
	sets := ix.free[g]
	if sets == nil || sets[m] == nil {
		return
	}
	b := sets[m]
	if p := ix.pos[i]; int(p) < len(b.idx) && int(b.idx[p]) == i {
		b.nxt[p] = p + 1
	}
}

// boundVolume is v once a binding's volume writes are applied.
func boundVolume(v Volume, u *VolumeUpdate) Volume {
	if u.SetClaimRef {
		ref := u.ClaimRef
		v.Spec.ClaimRef = &ref
	}
	if u.AddBoundByController {
		ann := make(map[string]string, len(v.Annotations)+1)
		for k, x := range v.Annotations {
			ann[k] = x
		}
		ann[AnnBoundByController] = annotationValueYes
		v.Annotations = ann
	}
	if u.Phase != "" {
		v.Status.Phase = u.Phase
	}
	return v
}

// BindClaims decides for many claims at once what BindPVC decides for one,
// without giving a volume to two claims: claims that name their volume (or
// finished binding) are settled first, then the others in order of
// namespace, name and UID, each choosing among the volumes still free. The
// outcome therefore does not depend on the order of claims; results[i] is
// the decision for claims[i]. opts.Node and opts.Exclude are not used (this
// is the PV controller's path). A claim validation would reject is decided
// on all the same, with Result.Warnings set, as in BindPVC.
//
// A claim whose decision fails (where BindPVC errors: the controller's sync
// of that claim fails) takes no volume and does not stop the others, as the
// controller goes on to its next claim: results[i] is then what BindPVC
// returns with its error (the migrated-to annotation write, the warnings),
// and the error is a ClaimErrors naming each such claim. Only a release it
// cannot follow or a claim given twice (two of one namespace and name, which
// no cluster holds) fails the whole batch, with nil results.
func BindClaims(pvs []Volume, claims []Claim, opts Options) ([]Result, error) {
	if err := field.CheckRelease(opts.Release); err != nil {
		return nil, err
	}
	opts.Node, opts.Exclude = nil, nil
	ix := NewIndex(pvs)
	out := make([]Result, len(claims))
	order := make([]int, len(claims))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &claims[order[a]], &claims[order[b]]
		if x.Namespace != y.Namespace {
			return x.Namespace < y.Namespace
		}
		if x.Name != y.Name {
			return x.Name < y.Name
		}
		return x.UID < y.UID
	})
	// Two claims of one namespace and name are one object seen twice, which
	// a cluster never holds; deciding both could hand one volume to both.
	for k := 1; k < len(order); k++ {
		x, y := &claims[order[k-1]], &claims[order[k]]
		if x.Namespace == y.Namespace && x.Name == y.Name {
			later := max(order[k-1], order[k])
			return nil, field.ErrorList{field.Duplicate(field.NewPath("claims").Index(later).Child("name"), claims[later].Name)}.ToAggregate()
		}
	}
	var rest []int
	// bound holds, for each volume a claim of this batch was bound to, the
	// volume as that binding leaves it.
	var bound map[int][]Volume
	// byName finds a named volume; the first of two with one name wins,
	// as in BindPVC.
	var byName map[string]int
	for _, i := range order {
		c := &claims[i]
		if hasKey(c.Annotations, AnnBindCompleted) || c.Spec.VolumeName != "" {
			// Such a claim looks at its named volume only: decide on that
			// one volume (as an earlier claim of this batch left it, if one
			// took it, as the controller does once it sees its own write).
			if byName == nil {
				byName = make(map[string]int, len(pvs))
				for i := len(pvs) - 1; i >= 0; i-- {
					byName[pvs[i].Name] = i
				}
			}
			var one []Volume
			j, ok := byName[c.Spec.VolumeName]
			switch {
			case !ok || c.Spec.VolumeName == "":
			case bound[j] != nil:
				one = bound[j]
			default:
				one = pvs[j : j+1]
			}
			r, err := BindPVC(one, *c, opts)
			if err != nil {
				return nil, err
			}
			if r.Index == 0 && one != nil {
				r.Index = j
			}
			if r.Action == ActionBind {
				ix.Take(r.Index)
				if bound == nil {
					bound = map[int][]Volume{}
				}
				bound[r.Index] = []Volume{boundVolume(pvs[r.Index], &r.VolumeUpdate)}
			}
			out[i] = r
			continue
		}
		rest = append(rest, i)
	}
	var failed ClaimErrors
	for _, i := range rest {
		c := &claims[i]
		delayed, err := IsDelayBinding(c, opts.Classes)
		if err == nil {
			err = vacRefused(c, opts.Release, nonNil(pvs))
		}
		if err != nil {
			// What BindPVC returns for the claim alone.
			out[i] = Result{Index: -1}
			claimMigration(c, &out[i])
			out[i].Warnings = claimWarnings(c, opts.Release)
			failed = append(failed, &ClaimError{Index: i, Namespace: c.Namespace, Name: c.Name, Err: err})
			continue
		}
		k := newClaimKey(c)
		best := ix.find(&k, delayed)
		if best.idx >= 0 {
			reason := ReasonBestFit
			if best.prebound {
				reason = ReasonPreBound
			}
			out[i] = bindResult(pvs, best.idx, c, reason, best.prebound, opts.Release)
			claimMigration(c, &out[i])
			out[i].Warnings = claimWarnings(c, opts.Release)
			ix.Take(best.idx)
			continue
		}
		out[i] = noMatch(pvs, c, &opts, delayed)
		claimMigration(c, &out[i])
		out[i].Warnings = claimWarnings(c, opts.Release)
	}
	if len(failed) > 0 {
		sort.Slice(failed, func(a, b int) bool { return failed[a].Index < failed[b].Index })
		return out, failed
	}
	return out, nil
}

// ClaimError is the failed decision of one claim in BindClaims.
type ClaimError struct {
	// Index is the claim's position in the claims given to BindClaims.
	Index int
	// Namespace and Name name the claim.
	Namespace, Name string
	// Err is the error BindPVC returns for the claim.
	Err error
}

// Error names the claim and its error.
func (e *ClaimError) Error() string {
	msg := "unknown error"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return "claims[" + strconv.Itoa(e.Index) + "] (" + e.Namespace + "/" + e.Name + "): " + msg
}

// Unwrap returns the claim's own error, so errors.As finds its field errors.
func (e *ClaimError) Unwrap() error { return e.Err }

// ClaimErrors are the claims of a BindClaims batch whose decision failed,
// in the order of their Index.
type ClaimErrors []*ClaimError

// Error lists every claim's error.
func (e ClaimErrors) Error() string {
	var b strings.Builder
	for i, c := range e {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.Error())
	}
	return b.String()
}

// Unwrap returns each claim's error, for errors.Is and errors.As.
func (e ClaimErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, c := range e {
		out[i] = c
	}
	return out
}
