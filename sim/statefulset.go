package sim

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// Pod owner kinds. A Job pod runs to completion; the others run until they
// are deleted. A pod with no Kind is a Job pod when it has no Target, as
// pods the world made before kinds were recorded.
const (
	KindDaemonSet   = "DaemonSet"
	KindStatefulSet = "StatefulSet"
	KindJob         = "Job"
)

// StatefulSet is a StatefulSet in the world. Each pass hands
// NextStatefulAction the set, its namespace's pods and claims, and keeps
// the status it returns.
type StatefulSet struct {
	statefulset.Set
	// ClaimSpecs are the specs of spec.volumeClaimTemplates by template
	// name: the storage class, request and access modes of every claim
	// made from the template. A template without one gets a claim of
	// ReadWriteOnce, 1Gi and no class set (the default class applies).
	ClaimSpecs map[string]volume.ClaimSpec
	// Options are passed to every NextStatefulAction call.
	Options statefulset.Options
	requeue time.Time
	blocked string // the last pass's Blocked message
}

// StatefulSetState is a StatefulSet as the world sees it after a pass,
// measured from the world's pods and claims.
type StatefulSetState struct {
	Name string
	// Replicas is spec.replicas; Pods the set's live pods (not being
	// deleted); Ready those Running and Ready; NotReady the live pods that
	// are not Ready (Pending ones included); Terminating those being
	// deleted.
	Replicas, Pods, Ready, NotReady, Terminating int
	// Available is the Ready pods that have been Ready for
	// minReadySeconds; Updated the live pods at the update revision.
	Available, Updated int
	// Claims is the set's claims; Bound those bound to a volume.
	Claims, Bound int
	// Ordinals are the ordinals of the live pods, ascending.
	Ordinals []int32
	// CurrentRevision is status.currentRevision after the pass.
	CurrentRevision string
	// Done is every ordinal of the set running one Ready pod at the
	// revision the strategy wants there (the update revision from the
	// partition up under RollingUpdate), no other pod of the set, and every
	// claim of the set Bound.
	Done bool
	// Blocked, when the set is not done, says what it waits on.
	Blocked string
}

// Claim is a PersistentVolumeClaim in the world: the claim and its owner
// references (claim retention).
type Claim struct {
	volume.Claim
	OwnerRefs []statefulset.OwnerRef
	// why is the message of the PV controller's last decision on it.
	why string
}

// statefulPods converts the world's pods of a namespace.
func (w *World) statefulPods(ns string) []statefulset.Pod {
	var out []statefulset.Pod
	for i := range w.Pods {
		p := &w.Pods[i]
		if p.Namespace != ns || w.hidden(p) {
			continue
		}
		sp := statefulset.Pod{Name: p.Name, Namespace: p.Namespace, UID: p.UID, ControllerUID: p.Owner,
			Labels: p.Labels, Phase: statefulset.PodPhase(p.Phase), Ready: p.Ready, ReadySince: p.ReadySince,
			Deleting: !p.Deleted.IsZero(), Volumes: p.Volumes}
		out = append(out, sp)
	}
	return out
}

func (w *World) statefulClaims(ns string) []statefulset.Claim {
	var out []statefulset.Claim
	for i := range w.Claims {
		c := &w.Claims[i]
		if c.Namespace != ns {
			continue
		}
		out = append(out, statefulset.Claim{Name: c.Name, Namespace: c.Namespace, UID: c.UID,
			Deleting: !c.DeletionTimestamp.IsZero(), OwnerRefs: c.OwnerRefs})
	}
	return out
}

// stepStatefulSet runs one pass for StatefulSet i and reports whether the
// set is gone: one being deleted (Set.DeletionTimestamp) gets only its
// status from the controller while garbage collection deletes its pods,
// and it is removed once they are gone, as foreground cascading deletion
// goes (its claims then follow when whenDeleted=Delete made the set their
// owner).
func (w *World) stepStatefulSet(i int, pass *Pass) (bool, error) {
	s := &w.StatefulSets[i]
	if s.UID == "" {
		s.UID = w.nextName("statefulset-uid-")
	}
	// The world's API server stores the object defaulted, as apps/v1 does.
	set := statefulset.Default(s.Set, s.Options.Release)
	res, err := statefulset.NextStatefulAction(set, w.statefulPods(s.Namespace), w.statefulClaims(s.Namespace), w.Now, s.Options)
	if err != nil {
		return false, fmt.Errorf("statefulset %s/%s: %w", s.Namespace, s.Name, err)
	}
	object := "statefulset/" + s.Namespace + "/" + s.Name
	for _, a := range res.Actions {
		target := a.Pod
		lost := false
		switch a.Type {
		case statefulset.CreateClaim:
			target = a.Claim
			nc := a.NewClaim
			spec, ok := s.ClaimSpecs[nc.Template]
			if !ok {
				spec = volume.ClaimSpec{AccessModes: []volume.AccessMode{volume.ReadWriteOnce}, Request: volume.MustParseQuantity("1Gi")}
			}
			spec.AccessModes = slices.Clone(spec.AccessModes)
			c := volume.DefaultClaim(volume.Claim{Namespace: nc.Namespace, Name: nc.Name, UID: w.nextName(""), Labels: maps.Clone(nc.Labels), Spec: spec}, w.VolumeRelease)
			w.Claims = append(w.Claims, Claim{Claim: c, OwnerRefs: slices.Clone(nc.OwnerRefs)})
		case statefulset.UpdateClaim:
			target = a.Claim
			if k := w.findClaim(s.Namespace, a.Claim); k >= 0 {
				w.Claims[k].OwnerRefs = slices.Clone(a.OwnerRefs)
			}
		case statefulset.CreatePod:
			np := a.NewPod
			labels := maps.Clone(set.Spec.Template.Labels)
			if labels == nil {
				labels = map[string]string{}
			}
			maps.Copy(labels, np.Labels)
			_, ord := statefulset.ParseOrdinal(np.Name)
			ns := cmpOr(np.Namespace, s.Namespace)
			// A name in use (a create whose pod the controller does not
			// see yet) is refused as already existing.
			if lost = w.find(ns, np.Name) >= 0 || w.lose(object, "create", np.Name); lost {
				break
			}
			w.Pods = append(w.Pods, Pod{Name: np.Name, Namespace: ns, UID: w.nextName("pod-uid-"),
				Labels: labels, Owner: s.UID, Kind: KindStatefulSet, Index: int(ord), Phase: Pending, Created: w.Now,
				Volumes: slices.Clone(np.Volumes), visibleAt: w.lag(object, np.Name)})
		case statefulset.UpdatePod:
			if k := w.find(s.Namespace, a.Pod); k >= 0 {
				p := &w.Pods[k]
				labels := maps.Clone(p.Labels)
				if labels == nil {
					labels = map[string]string{}
				}
				maps.Copy(labels, a.NewPod.Labels)
				p.Labels = labels
				vols := slices.Clone(p.Volumes)
				for _, v := range a.NewPod.Volumes {
					if j := slices.IndexFunc(vols, func(x statefulset.Volume) bool { return x.Name == v.Name }); j >= 0 {
						vols[j] = v
					} else {
						vols = append(vols, v)
					}
				}
				p.Volumes = vols
			}
		case statefulset.DeletePod:
			if lost = w.lose(object, "delete", a.Pod); !lost {
				w.deletePod(s.Namespace, a.Pod)
			}
		case statefulset.AdoptPod:
			if k := w.find(s.Namespace, a.Pod); k >= 0 {
				w.Pods[k].Owner = s.UID
			}
		case statefulset.ReleasePod:
			if k := w.find(s.Namespace, a.Pod); k >= 0 {
				w.Pods[k].Owner = ""
			}
		case statefulset.DeleteRevision:
			target = a.Revision
			s.Revisions = slices.DeleteFunc(slices.Clone(s.Revisions), func(r statefulset.Revision) bool { return r.Name == a.Revision })
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: stsVerb(a.Type), Target: target, Reason: string(a.Reason), Message: a.Message, Lost: lost})
	}
	for _, e := range res.Events {
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "event", Target: "Warning", Reason: string(e.Reason), Message: e.Message})
	}
	if res.StatusChanged {
		s.Status = res.Status
	}
	s.requeue = res.RequeueAt
	s.blocked = ""
	if res.Blocked != nil {
		s.blocked = res.Blocked.Message
	}
	if s.DeletionTimestamp.IsZero() {
		return false, nil
	}
	owned := false
	for k := range w.Pods {
		p := &w.Pods[k]
		if p.Owner != s.UID || p.Namespace != s.Namespace {
			continue
		}
		owned = true
		if p.Deleted.IsZero() {
			p.Deleted = w.Now
			pass.Actions = append(pass.Actions, Action{Object: object, Verb: "delete", Target: p.Name, Reason: "GarbageCollected",
				Message: "the StatefulSet is being deleted: garbage collection deletes its pod " + p.Name})
		}
	}
	if owned {
		return false, nil
	}
	pass.Actions = append(pass.Actions, Action{Object: object, Verb: "delete", Target: s.Name, Reason: "GarbageCollected",
		Message: "the StatefulSet's pods are gone: it is removed"})
	w.StatefulSets = slices.Delete(w.StatefulSets, i, i+1)
	return true, nil
}

// stsVerb names an action as the timeline does.
func stsVerb(t statefulset.ActionType) string {
	switch t {
	case statefulset.CreateClaim, statefulset.CreatePod:
		return "create"
	case statefulset.DeletePod, statefulset.DeleteRevision:
		return "delete"
	case statefulset.AdoptPod:
		return "adopt"
	case statefulset.ReleasePod:
		return "release"
	}
	return "update"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// findClaim returns the index of the claim ns/name, or -1.
func (w *World) findClaim(ns, name string) int {
	return slices.IndexFunc(w.Claims, func(c Claim) bool { return c.Name == name && c.Namespace == ns })
}

// ownedClaim reports whether claim c was made for set s: its name is a
// template's claim name for an ordinal of the set.
func ownedClaim(s *StatefulSet, c *Claim) bool {
	if c.Namespace != s.Namespace {
		return false
	}
	for _, t := range s.Spec.VolumeClaimTemplates {
		rest, ok := strings.CutPrefix(c.Name, t.Name+"-")
		if !ok {
			continue
		}
		if parent, ord := statefulset.ParseOrdinal(rest); parent == s.Name && ord >= 0 {
			return true
		}
	}
	return false
}

// statefulSetState measures the set from the world's pods and claims.
func (w *World) statefulSetState(s *StatefulSet) StatefulSetState {
	set := statefulset.Default(s.Set, s.Options.Release)
	n := int32(1)
	if set.Spec.Replicas != nil {
		n = *set.Spec.Replicas
	}
	start := int32(0)
	if set.Spec.Ordinals != nil {
		start = set.Spec.Ordinals.Start
	}
	partition := int32(0)
	rolling := set.Spec.UpdateStrategy.Type != statefulset.OnDelete
	if ru := set.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		partition = *ru.Partition
	}
	minReady := time.Duration(set.Spec.MinReadySeconds) * time.Second
	st := StatefulSetState{Name: s.Name, Replicas: int(n), CurrentRevision: s.Status.CurrentRevision}
	done := true
	// why holds the first problem seen of each rank; the lowest rank
	// present says what the set waits on.
	var why [5]string
	block := func(rank int, msg string) {
		done = false
		if why[rank] == "" {
			why[rank] = msg
		}
	}
	live := map[int32]int{}
	for i := range w.Pods {
		p := &w.Pods[i]
		if p.Owner != s.UID || p.Namespace != s.Namespace {
			continue
		}
		if !p.Deleted.IsZero() {
			st.Terminating++
			block(0, "pod "+p.Name+" is terminating")
			continue
		}
		_, ord := statefulset.ParseOrdinal(p.Name)
		st.Pods++
		st.Ordinals = append(st.Ordinals, ord)
		live[ord]++
		rev := p.Labels[statefulset.RevisionLabel]
		if rev == s.UpdateRevision {
			st.Updated++
		}
		ready := p.Phase == Running && p.Ready
		if ready {
			st.Ready++
			if !w.Now.Before(p.ReadySince.Add(minReady)) {
				st.Available++
			}
		} else {
			st.NotReady++
		}
		slot := ord - start
		switch {
		case slot < 0 || slot >= n:
			block(2, "pod "+p.Name+" is outside the ordinals of the set")
		case !ready || w.Now.Before(p.ReadySince.Add(minReady)):
			block(1, "pod "+p.Name+" "+w.podWait(p))
		case rolling && slot >= partition && rev != s.UpdateRevision:
			block(4, "pod "+p.Name+" is at revision "+rev+", not "+s.UpdateRevision)
		}
	}
	slices.Sort(st.Ordinals)
	for ord := start; ord < start+n; ord++ {
		if live[ord] != 1 {
			block(3, "ordinal "+strconv.Itoa(int(ord))+" has "+strconv.Itoa(live[ord])+" live pods")
		}
	}
	for i := range w.Claims {
		c := &w.Claims[i]
		if !ownedClaim(s, c) {
			continue
		}
		st.Claims++
		if c.Status.Phase == volume.ClaimBound {
			st.Bound++
			continue
		}
		block(1, "claim "+c.Name+" is "+string(c.Status.Phase)+w.claimWhy(c))
	}
	st.Done = done
	for _, msg := range why {
		if st.Blocked == "" {
			st.Blocked = msg
		}
	}
	if !done && st.Blocked == "" {
		st.Blocked = s.blocked
	}
	return st
}

// podWait says why a live pod is not available.
func (w *World) podWait(p *Pod) string {
	switch {
	case p.Phase == Pending && p.why != "":
		return "is Pending: " + p.why
	case p.Phase == Pending && w.unboundClaim(p) != "":
		name := w.unboundClaim(p)
		why := ""
		if k := w.findClaim(p.Namespace, name); k >= 0 {
			why = w.claimWhy(&w.Claims[k])
		}
		return "is Pending: its claim " + name + " is not bound" + why
	case p.Phase == Pending:
		return "is Pending"
	case p.Phase != Running:
		return "is " + string(p.Phase)
	case !p.Ready:
		return "is Running but not Ready"
	}
	return "is Ready, not yet available"
}

// unboundClaim names a claim of the pod that is missing or not Bound.
func (w *World) unboundClaim(p *Pod) string {
	for _, v := range p.Volumes {
		if v.ClaimName == "" {
			continue
		}
		k := w.findClaim(p.Namespace, v.ClaimName)
		if k < 0 || w.Claims[k].Status.Phase != volume.ClaimBound {
			return v.ClaimName
		}
	}
	return ""
}

func (w *World) claimWhy(c *Claim) string {
	if c.why == "" {
		return ""
	}
	return " (" + c.why + ")"
}
