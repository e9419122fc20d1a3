package statefulset

import (
	"reflect"
	"strconv"
	"testing"
	"time"
)

// fuzzInput builds a set, pods and claims from fuzzer-chosen numbers and
// bytes: every two bytes of podBytes make a pod (ordinal, state), every byte
// of claimBytes a claim.
func fuzzInput(replicas, start, partition int32, flags uint16, extraName string, podBytes, claimBytes []byte) (Set, []Pod, []Claim) {
	set := mkSet(replicas, withTemplates("data"))
	set.Spec.Ordinals = &Ordinals{Start: start}
	if flags&1 != 0 {
		set.Spec.PodManagementPolicy = Parallel
	}
	switch (flags >> 1) & 3 {
	case 1:
		set.Spec.UpdateStrategy.Type = OnDelete
	case 2, 3:
		mu := IntOrString{IntVal: int32(flags>>8)%4 + 1}
		if flags&(1<<12) != 0 {
			mu = IntOrString{IsString: true, StrVal: strconv.Itoa(int(flags>>8)%101) + "%"}
		}
		set.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate,
			RollingUpdate: &RollingUpdateStrategy{Partition: &partition, MaxUnavailable: &mu}}
	}
	if flags&(1<<4) != 0 {
		set.UpdateRevision = "rev-2"
	}
	if flags&(1<<5) != 0 {
		set.Spec.PersistentVolumeClaimRetentionPolicy = &RetentionPolicy{WhenDeleted: Delete, WhenScaled: Delete}
	}
	if flags&(1<<6) != 0 {
		set.Spec.MinReadySeconds = 30
	}
	if flags&(1<<7) != 0 {
		deletingSet(&set)
	}
	if flags&(1<<13) != 0 {
		limit := int32(flags>>14) - 1
		set.Spec.RevisionHistoryLimit = &limit
		set.Revisions = []Revision{{Name: "rev-0", Revision: 1}, {Name: "rev-1", Revision: 2}, {Name: "rev-x", Revision: 3}, {Name: "rev-2", Revision: 4}, {Name: "rev-y", Revision: 5}}
	}
	states := []string{ready, notReady, pending, failed, deleting}
	var pods []Pod
	seen := map[string]bool{}
	for i := 0; i+1 < len(podBytes) && len(pods) < 64; i += 2 {
		p := mkPod(int32(podBytes[i]%32), "rev-"+strconv.Itoa(int(podBytes[i+1]>>4)%3), states[int(podBytes[i+1]&7)%len(states)], "data")
		p.ReadySince = t0.Add(-time.Duration(podBytes[i+1]) * time.Second)
		if podBytes[i+1]&8 != 0 {
			p.ControllerUID = ""
		}
		if !seen[p.Name] {
			seen[p.Name] = true
			pods = append(pods, p)
		}
	}
	if extraName != "" && !seen[extraName] {
		p := mkPod(0, "rev-1", ready)
		p.Name = extraName
		pods = append(pods, p)
	}
	var claims []Claim
	for _, b := range claimBytes {
		if len(claims) >= 64 {
			break
		}
		c := claimOf("data", int32(b%32))
		switch b >> 5 {
		case 1:
			c.OwnerRefs = []OwnerRef{setRef}
		case 2:
			c.OwnerRefs = []OwnerRef{podRef(int32(b % 32))}
		case 3:
			c.Deleting = true
		case 4:
			c.OwnerRefs = []OwnerRef{{Kind: "Other", Name: "o", UID: "o", Controller: true}, setRef}
		}
		if !seen[c.Name] {
			seen[c.Name] = true
			claims = append(claims, c)
		}
	}
	return set, pods, claims
}

func FuzzNextStatefulAction(f *testing.F) {
	f.Add(int32(3), int32(0), int32(0), uint16(0), "", []byte{0, 0, 1, 0}, []byte{0})
	f.Add(int32(5), int32(0), int32(3), uint16(4|16), "web-07", []byte{0, 0, 1, 0, 2, 0, 3, 0, 4, 0}, []byte{1, 2, 34})
	f.Add(int32(2), int32(1), int32(0), uint16(1|32), "", []byte{0, 1, 3, 3, 7, 2}, []byte{96, 65})
	f.Add(int32(-1), int32(-5), int32(-2), uint16(0xffff), "x", []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, replicas, start, partition int32, flags uint16, extraName string, podBytes, claimBytes []byte) {
		// Keep each input quick: bound the range the set spans.
		replicas %= 600
		set, pods, claims := fuzzInput(replicas, start, partition, flags, extraName, podBytes, claimBytes)
		// Bits 3 and 15 pick the release; bit 3 on 1.34 also sets the
		// MaxUnavailableStatefulSet gate, as before releases were chosen.
		opts := at(releases[int(flags>>3&1)|int(flags>>14&2)])
		if flags&(1<<3) != 0 && opts.Release.Version == "1.34" {
			opts = on134
		}
		if (flags>>1)&3 == 3 && flags&(1<<15) != 0 {
			set.Spec.UpdateStrategy = UpdateStrategy{Type: Recreate}
		}
		r1, err1 := NextStatefulAction(set, pods, claims, t0, opts)
		r2, err2 := NextStatefulAction(set, pods, claims, t0, opts)
		if (err1 == nil) != (err2 == nil) || !reflect.DeepEqual(r1, r2) {
			t.Fatal("not deterministic")
		}
		if err1 != nil {
			if len(AsFieldErrors(err1)) == 0 {
				t.Fatalf("error without field errors: %v", err1)
			}
			return
		}
		for _, a := range r1.Actions {
			if a.Reason == "" || a.Message == "" {
				t.Fatalf("action without reason: %+v", a)
			}
		}
		st := r1.Status
		if st.ReadyReplicas > st.Replicas || st.AvailableReplicas > st.ReadyReplicas {
			t.Fatalf("status %+v", st)
		}
	})
}

func FuzzParseOrdinal(f *testing.F) {
	for _, s := range []string{"web-0", "web-007", "a-b-12", "-1", "web-", "web-99999999999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		parent, ord := ParseOrdinal(name)
		if ord < 0 {
			if parent != "" {
				t.Fatalf("ParseOrdinal(%q) = %q, %d", name, parent, ord)
			}
			return
		}
		// The name is the parent, a dash and a number with the ordinal's value.
		digits := name[len(parent)+1:]
		if name[:len(parent)] != parent || name[len(parent)] != '-' {
			t.Fatalf("ParseOrdinal(%q) = %q: not a prefix", name, parent)
		}
		if v, err := strconv.ParseInt(digits, 10, 64); err != nil || v != int64(ord) {
			t.Fatalf("ParseOrdinal(%q) ordinal %d, digits %q", name, ord, digits)
		}
		if canonicalSuffix(name) != (PodName(parent, ord) == name) {
			t.Fatalf("canonicalSuffix(%q) wrong", name)
		}
	})
}
