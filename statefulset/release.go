package statefulset

import "github.com/purectl/purectl/api"

// Release names the Kubernetes release to follow, and optionally single
// feature gates to override; the zero value is the newest supported release
// (api.Newest). See api.Release.
type Release = api.Release

// Options are NextStatefulAction's settings that are not observed state.
type Options struct {
	// Release is the Kubernetes release whose StatefulSet controller to follow.
	Release Release
	// Wrote and Read model the controller's guard against its own stale
	// cache (gate StaleControllerConsistencyStatefulSet, beta and on from
	// 1.36). Wrote holds, per resource (ResourcePods, ResourceClaims,
	// ResourceStatefulSets), the resourceVersion returned by the newest
	// write earlier passes made for this set (pod and claim creates and
	// updates, adoptions and releases, status writes; not deletes) since
	// the last pass that ran; Read holds the resourceVersion each list of
	// the observation passed in was taken at. Where the gate is on and a
	// written version is newer than the one read, the pass is skipped
	// (Blocked ReasonStaleObservation, no action, no status). Versions that
	// are not decimal numbers, and resources missing from either map, do
	// not hold a pass back, as in Kubernetes. Both nil: never stale.
	Wrote, Read map[string]string
}

// The resources Options.Wrote and Options.Read are keyed by.
const (
	ResourcePods         = "pods"
	ResourceClaims       = "persistentvolumeclaims"
	ResourceStatefulSets = "statefulsets"
)

// stale reports the first resource (in sorted order) whose written version
// is newer than the one read, when the release guards against it.
func stale(opts *Options) (string, bool) {
	if len(opts.Wrote) == 0 || !opts.Release.Enabled(api.StaleControllerConsistencyStatefulSet) {
		return "", false
	}
	for _, r := range []string{ResourceClaims, ResourcePods, ResourceStatefulSets} {
		w, ok := opts.Wrote[r]
		rd := opts.Read[r]
		if !ok || !wellFormedVersion(w) || !wellFormedVersion(rd) {
			continue
		}
		if len(w) > len(rd) || len(w) == len(rd) && w > rd {
			return r, true
		}
	}
	return "", false
}

// wellFormedVersion is a resourceVersion Kubernetes can compare: decimal
// digits without a leading zero.
func wellFormedVersion(s string) bool {
	if s == "" || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
