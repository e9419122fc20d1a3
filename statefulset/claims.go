package statefulset

// claimKey names a claim by its template (index) and ordinal.
type claimKey struct {
	tmpl int
	ord  int64
}

// claimIndex finds the claim of (template, ordinal) without building its
// name: in-range claims sit in one slice per template, indexed by slot; the
// rest in a map.
type claimIndex struct {
	start int64
	dense [][]*Claim
	extra map[claimKey]*Claim
}

// indexClaims reads each claim name as `<template>-<set>-<ordinal>`.
func indexClaims(set *Set, claims []Claim, n, start int64) claimIndex {
	tmpls := set.Spec.VolumeClaimTemplates
	ix := claimIndex{start: start}
	if len(tmpls) == 0 || len(claims) == 0 {
		return ix
	}
	// A set has a template or two: a scan finds a name sooner than a map
	// would hash it. The first template of a name wins, either way.
	var byName map[string]int
	if len(tmpls) > 8 {
		byName = make(map[string]int, len(tmpls))
		for t, tmpl := range tmpls {
			if _, dup := byName[tmpl.Name]; !dup {
				byName[tmpl.Name] = t
			}
		}
	}
	template := func(name string) (int, bool) {
		if byName != nil {
			t, ok := byName[name]
			return t, ok
		}
		for t := range tmpls {
			if tmpls[t].Name == name {
				return t, true
			}
		}
		return 0, false
	}
	if n <= 4*int64(len(claims))+4096 {
		ix.dense = make([][]*Claim, len(tmpls))
		for t := range ix.dense {
			ix.dense[t] = make([]*Claim, n)
		}
	}
	suffix := "-" + set.Name + "-"
	for i := range claims {
		c := &claims[i]
		if c.Namespace != "" && c.Namespace != set.Namespace {
			continue
		}
		// The ordinal is the trailing digit run; before it, "-<set>-".
		parent, ord, canonical := splitName(c.Name)
		if ord < 0 || !canonical || len(parent)+1 <= len(suffix) {
			continue
		}
		head := c.Name[:len(parent)+1]
		if head[len(head)-len(suffix):] != suffix {
			continue
		}
		t, ok := template(head[:len(head)-len(suffix)])
		if !ok {
			continue
		}
		o := int64(ord)
		if ix.dense != nil && o >= start && o < start+n {
			if cur := ix.dense[t][o-start]; cur == nil || preferredClaim(c, cur) {
				ix.dense[t][o-start] = c
			}
			continue
		}
		if ix.extra == nil {
			ix.extra = make(map[claimKey]*Claim)
		}
		k := claimKey{t, o}
		if cur := ix.extra[k]; cur == nil || preferredClaim(c, cur) {
			ix.extra[k] = c
		}
	}
	return ix
}

// preferredClaim picks one of two claims of the same name deterministically.
func preferredClaim(a, b *Claim) bool {
	if a.UID != b.UID {
		return a.UID < b.UID
	}
	if a.Deleting != b.Deleting {
		return a.Deleting
	}
	return len(a.OwnerRefs) < len(b.OwnerRefs)
}

// get returns the claim of template t for ordinal ord, or nil.
func (ix *claimIndex) get(t int, ord int64) *Claim {
	if ix.dense != nil {
		if s := ord - ix.start; s >= 0 && s < int64(len(ix.dense[t])) {
			return ix.dense[t][s]
		}
	}
	return ix.extra[claimKey{t, ord}]
}
