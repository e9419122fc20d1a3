package statefulset

import (
	"strconv"
	"time"

	"github.com/purectl/purectl/api"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// The releases a test can run at; opts134 is the one the cases written
// for the oldest release's controller use.
var (
	releases = []string{"1.34", "1.35", "1.36", "1.37"}
	opts134  = Options{Release: Release{Version: "1.34"}}
)

// on134 is 1.34 with the alpha MaxUnavailableStatefulSet gate on.
var on134 = Options{Release: Release{Version: "1.34", FeatureGates: map[api.Gate]bool{api.MaxUnavailableStatefulSet: true}}}

func at(version string) Options { return Options{Release: Release{Version: version}} }

// deletingSet marks the set as being deleted.
func deletingSet(s *Set) { s.DeletionTimestamp = t0.Add(-time.Minute) }

func i32(v int32) *int32 { return &v }

// mkSet is a valid set "web" with the given replicas, both revisions rev-1.
func mkSet(replicas int32, mods ...func(*Set)) Set {
	s := Set{
		Name: "web", Namespace: "ns", UID: "set-uid", Generation: 1,
		Spec: Spec{
			Replicas:    i32(replicas),
			Selector:    &LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template:    PodTemplate{Labels: map[string]string{"app": "web"}},
			ServiceName: "web",
		},
		Status:         Status{CurrentRevision: "rev-1", UpdateRevision: "rev-1"},
		UpdateRevision: "rev-1",
	}
	for _, m := range mods {
		m(&s)
	}
	return s
}

func withTemplates(names ...string) func(*Set) {
	return func(s *Set) {
		for _, n := range names {
			s.Spec.VolumeClaimTemplates = append(s.Spec.VolumeClaimTemplates, ClaimTemplate{Name: n})
		}
	}
}

func withUpdate(rev string, partition int32) func(*Set) {
	return func(s *Set) {
		s.UpdateRevision = rev
		s.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate, RollingUpdate: &RollingUpdateStrategy{Partition: i32(partition)}}
	}
}

func parallel(s *Set) { s.Spec.PodManagementPolicy = Parallel }

// pod states
const (
	ready    = "ready"
	notReady = "notready"
	pending  = "pending"
	failed   = "failed"
	deleting = "deleting"
)

// mkPod is pod web-<ord> owned by the set, at rev, in the given state, with
// the identity label and claim volumes for templates.
func mkPod(ord int32, rev, state string, templates ...string) Pod {
	name := PodName("web", ord)
	p := Pod{
		Name: name, Namespace: "ns", UID: "uid-" + name, ControllerUID: "set-uid",
		Labels: map[string]string{"app": "web", PodNameLabel: name, PodIndexLabel: strconv.Itoa(int(ord)), RevisionLabel: rev},
		Phase:  PodRunning, Ready: true, ReadySince: t0.Add(-time.Hour),
	}
	for _, t := range templates {
		p.Volumes = append(p.Volumes, Volume{Name: t, ClaimName: ClaimName(t, "web", ord)})
	}
	switch state {
	case notReady:
		p.Ready = false
	case pending:
		p.Phase, p.Ready = PodPending, false
	case failed:
		p.Phase, p.Ready = PodFailed, false
	case deleting:
		p.Deleting = true
	}
	return p
}

// readyPods is web-<from> … web-<to-1>, all ready at rev.
func readyPods(from, to int32, rev string, templates ...string) []Pod {
	var ps []Pod
	for o := from; o < to; o++ {
		ps = append(ps, mkPod(o, rev, ready, templates...))
	}
	return ps
}

// summary renders the actions as "Type:name" for compact comparisons.
func summary(r Result) []string {
	var out []string
	for _, a := range r.Actions {
		n := a.Pod
		if a.Type == CreateClaim || a.Type == UpdateClaim {
			n = a.Claim
		}
		out = append(out, string(a.Type)+":"+n)
	}
	return out
}
