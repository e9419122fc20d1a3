package statefulset

import (
	"testing"

	"pgregory.net/rapid"
)

// claimUpToDateByHelpers is isClaimOwnerUpToDate written the way upstream
// writes it, one helper walk per question; claimUpToDate answers in one
// walk and must agree on every claim (both end in ownersAsWanted, which
// the table tests pin).
func claimUpToDateByHelpers(p *planner, c *Claim, pod, podUID string, inRange bool) bool {
	setUID := p.set.UID
	if staleRef(c, "apps/v1", "StatefulSet", p.set.Name, setUID) || staleRef(c, "v1", "Pod", pod, podUID) {
		return true
	}
	if p.unexpectedController(c, pod, podUID) {
		return !hasOwner(c, setUID) && !hasOwner(c, podUID)
	}
	for _, r := range c.OwnerRefs {
		if (r.UID == setUID || r.UID == podUID) && !r.Controller {
			return false
		}
	}
	return p.ownersAsWanted(hasOwner(c, setUID), hasOwner(c, podUID), inRange)
}

func TestClaimUpToDateAgreesWithTheUpstreamHelpers(t *testing.T) {
	policies := []RetentionPolicyType{Retain, Delete, "Sometimes"}
	rapid.Check(t, func(t *rapid.T) {
		set := &Set{}
		set.Name = rapid.SampledFrom([]string{"web", "db"}).Draw(t, "set")
		set.UID = rapid.SampledFrom([]string{"uid-set", "uid-old", ""}).Draw(t, "setUID")
		p := &planner{set: set,
			whenDel:   rapid.SampledFrom(policies).Draw(t, "whenDeleted"),
			whenScale: rapid.SampledFrom(policies).Draw(t, "whenScaled")}
		pod := rapid.SampledFrom([]string{"web-0", "db-0", "web"}).Draw(t, "pod")
		podUID := rapid.SampledFrom([]string{"uid-pod", "uid-set", "uid-old", ""}).Draw(t, "podUID")
		// References mostly to our set and pod, with the right or a wrong
		// UID, so that every branch is met often.
		kinds := [][2]string{{"apps/v1", "StatefulSet"}, {"v1", "Pod"}, {"v1", "StatefulSet"}, {"apps/v1", "Pod"}, {"batch/v1", "Job"}}
		refs := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) OwnerRef {
			k := rapid.SampledFrom(kinds).Draw(t, "kind")
			return OwnerRef{
				APIVersion: k[0], Kind: k[1],
				Name:       rapid.SampledFrom([]string{set.Name, pod, "other"}).Draw(t, "name"),
				UID:        rapid.SampledFrom([]string{set.UID, podUID, "uid-old"}).Draw(t, "uid"),
				Controller: rapid.Bool().Draw(t, "controller"),
			}
		}), 0, 4).Draw(t, "refs")
		c := &Claim{Name: "data-" + pod, OwnerRefs: refs}
		inRange := rapid.Bool().Draw(t, "inRange")
		if got, want := p.claimUpToDate(c, pod, podUID, inRange), claimUpToDateByHelpers(p, c, pod, podUID, inRange); got != want {
			t.Fatalf("claimUpToDate = %v, the upstream helpers say %v", got, want)
		}
	})
}
