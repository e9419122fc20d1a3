package statefulsetdiff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/statefulset"
)

// Inputs converts c with the adapters for NextStatefulAction. The update
// revision's name is an input of purectl (the caller finds or creates the
// ControllerRevision); updateRevision is the name the real controller found
// or created for the same template in the same pass, and listed the
// revisions it listed (Set.Revisions is the controller's list, not every
// object in the namespace).
func Inputs(c Cluster, listed []*appsv1.ControllerRevision, updateRevision string) (statefulset.Set, []statefulset.Pod, []statefulset.Claim) {
	set := adapt.StatefulSet(c.Set, listed)
	if set.Revisions == nil {
		set.Revisions = []statefulset.Revision{}
	}
	set.UpdateRevision = updateRevision
	pods := make([]statefulset.Pod, len(c.Pods))
	for i, p := range c.Pods {
		pods[i] = adapt.StatefulPod(p)
	}
	claims := make([]statefulset.Claim, len(c.Claims))
	for i, pvc := range c.Claims {
		claims[i] = adapt.StatefulClaim(pvc)
	}
	return set, pods, claims
}

// PurectlWrites turns the actions of res into Writes, building each object
// with the adapters from the observed objects of c.
func PurectlWrites(c Cluster, res statefulset.Result) ([]Write, error) {
	var out []Write
	created := map[string]*v1.Pod{}
	for _, a := range res.Actions {
		switch a.Type {
		case statefulset.CreatePod:
			pod := adapt.StatefulPodFromRevision(c.Set, c.Revisions, a)
			created[pod.Name] = pod
			out = append(out, PodCreate(pod))
		case statefulset.CreateClaim:
			out = append(out, ClaimCreate(adapt.StatefulClaimFor(c.Set, a)))
		case statefulset.UpdatePod:
			// Under Parallel a pod created in the pass may be updated in it.
			pod := created[a.Pod]
			if i := slices.IndexFunc(c.Pods, func(p *v1.Pod) bool { return p.Name == a.Pod }); i >= 0 {
				pod = c.Pods[i]
			}
			if pod == nil {
				return nil, fmt.Errorf("UpdatePod of unknown pod %s", a.Pod)
			}
			out = append(out, PodUpdate(adapt.StatefulPodUpdate(pod, a)))
		case statefulset.UpdateClaim:
			i := slices.IndexFunc(c.Claims, func(p *v1.PersistentVolumeClaim) bool { return p.Name == a.Claim })
			if i < 0 {
				return nil, fmt.Errorf("UpdateClaim of unknown claim %s", a.Claim)
			}
			out = append(out, ClaimUpdate(adapt.StatefulClaimUpdate(c.Claims[i], a)))
		case statefulset.DeletePod:
			out = append(out, Write{Op: "delete", Kind: "Pod", Name: a.Pod})
		case statefulset.AdoptPod:
			out = append(out, Write{Op: "adopt", Kind: "Pod", Name: a.Pod,
				Body: canonical(map[string]any{"kind": "StatefulSet", "name": c.Set.Name, "uid": string(c.Set.UID)})})
		case statefulset.ReleasePod:
			out = append(out, Write{Op: "release", Kind: "Pod", Name: a.Pod})
		case statefulset.DeleteRevision:
			out = append(out, Write{Op: "delete", Kind: "ControllerRevision", Name: a.Revision})
		default:
			return nil, fmt.Errorf("unknown action %s", a.Type)
		}
	}
	return out, nil
}

// ordinalOf is the ordinal a write concerns: the pod's, or a claim's
// (its name ends in -<set>-<ordinal>); -1 for revisions.
func ordinalOf(w Write) int {
	if w.Kind == "ControllerRevision" {
		return -1
	}
	i := strings.LastIndexByte(w.Name, '-')
	if i < 0 {
		return -1
	}
	n, err := strconv.Atoi(w.Name[i+1:])
	if err != nil {
		return -1
	}
	return n
}

// Normalise puts writes into the form compared. Every normalisation undoes
// an order the controller leaves to chance, and nothing else:
//
//   - The adoptions and releases that open a pass are sorted by pod name:
//     ClaimPods walks the pods in informer-index order, which is a Go map's,
//     and each patch touches a different pod.
//   - A run of claim creations for one pod is sorted by claim name:
//     createPersistentVolumeClaims ranges over a map of the pod's claims.
//   - Under Parallel (parallel=true) the pod and claim writes are sorted by
//     ordinal, keeping each ordinal's own writes in the order issued: the
//     controller issues each slow-start batch's replicas, and each batch of
//     condemned pods, from concurrent goroutines, so only the order within
//     one pod's goroutine is defined. Revision deletions, which follow the
//     pod work sequentially, stay last.
func Normalise(ws []Write, parallel bool) []Write {
	ws = slices.Clone(ws)
	k := 0
	for k < len(ws) && (ws[k].Op == "adopt" || ws[k].Op == "release") {
		k++
	}
	slices.SortStableFunc(ws[:k], func(a, b Write) int { return strings.Compare(a.Name, b.Name) })
	if parallel {
		rest := ws[k:]
		slices.SortStableFunc(rest, func(a, b Write) int {
			ra, rb := a.Kind == "ControllerRevision", b.Kind == "ControllerRevision"
			if ra != rb {
				if ra {
					return 1
				}
				return -1
			}
			if ra {
				return 0
			}
			return ordinalOf(a) - ordinalOf(b)
		})
	}
	for i := k; i < len(ws); {
		j := i
		for j < len(ws) && ws[j].Op == "create" && ws[j].Kind == "PersistentVolumeClaim" && ordinalOf(ws[j]) == ordinalOf(ws[i]) {
			j++
		}
		if j > i+1 {
			slices.SortFunc(ws[i:j], func(a, b Write) int { return strings.Compare(a.Name, b.Name) })
		}
		i = max(j, i+1)
	}
	return ws
}

// ConflictEvents are the claims named by the ConflictingController warnings
// among events, sorted.
func ConflictEvents(events []string) []string {
	var out []string
	for _, e := range events {
		if !strings.HasPrefix(e, "Warning ConflictingController ") {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(e, "Warning ConflictingController "))
		if len(f) >= 2 {
			out = append(out, f[1])
		}
	}
	slices.Sort(out)
	return out
}

// EventsOf are the events of the given reason, "Type Reason Message", in
// the order recorded.
func EventsOf(events []string, reason string) []string {
	var out []string
	for _, e := range events {
		if f := strings.Fields(e); len(f) >= 2 && f[1] == reason {
			out = append(out, e)
		}
	}
	return out
}

// StatusOf converts a purectl status for comparison with the one written.
func StatusOf(ss *appsv1.StatefulSet, s statefulset.Status) appsv1.StatefulSetStatus {
	return adapt.StatefulSetStatus(ss, s)
}

// Now is the clock the controller reads (metav1.Now), for callers that
// align the state they build with it.
func Now() time.Time { return time.Now() }
