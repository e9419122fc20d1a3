package statefulset_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/purectl/purectl/statefulset"
)

// world is a minimal namespace for the examples: it applies each plan,
// then lets terminating pods go and new pods become ready.
type world struct {
	set  statefulset.Set
	pods map[string]statefulset.Pod
	now  time.Time
}

func newWorld(replicas int32) *world {
	return &world{
		set: statefulset.Set{
			Name: "web", Namespace: "default", UID: "u1",
			Spec: statefulset.Spec{
				Replicas:    &replicas,
				Selector:    &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
				Template:    statefulset.PodTemplate{Labels: map[string]string{"app": "web"}},
				ServiceName: "web",
			},
			UpdateRevision: "web-v1",
		},
		pods: map[string]statefulset.Pod{},
		now:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

// step runs one pass, applies it, and returns what it did.
func (w *world) step() string {
	var pods []statefulset.Pod
	for _, p := range w.pods {
		pods = append(pods, p)
	}
	r, err := statefulset.NextStatefulAction(w.set, pods, nil, w.now, statefulset.Options{})
	if err != nil {
		return err.Error()
	}
	var did []string
	for _, a := range r.Actions {
		did = append(did, fmt.Sprintf("%s %s (%s)", a.Type, a.Pod, a.Reason))
		switch a.Type {
		case statefulset.CreatePod:
			labels := map[string]string{"app": "web"}
			for k, v := range a.NewPod.Labels {
				labels[k] = v
			}
			w.pods[a.Pod] = statefulset.Pod{Name: a.Pod, Namespace: "default", ControllerUID: "u1", Labels: labels,
				Phase: statefulset.PodRunning, Ready: true, ReadySince: w.now}
		case statefulset.DeletePod:
			delete(w.pods, a.Pod)
		}
	}
	if r.StatusChanged {
		w.set.Status = r.Status
	}
	w.now = w.now.Add(time.Second)
	if len(did) == 0 {
		return "nothing to do"
	}
	return strings.Join(did, ", ")
}

func (w *world) podsAt() string {
	var s []string
	for _, p := range w.pods {
		s = append(s, p.Name+"@"+p.Labels[statefulset.RevisionLabel])
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

// Scaling 3 → 5 and back under OrderedReady: one pod per pass, the lowest
// missing ordinal first on the way up, the highest first on the way down.
func ExampleNextStatefulAction_scaling() {
	w := newWorld(3)
	for i := 0; i < 4; i++ {
		fmt.Println(w.step())
	}
	five := int32(5)
	w.set.Spec.Replicas = &five
	fmt.Println("scale to 5:")
	for i := 0; i < 3; i++ {
		fmt.Println(w.step())
	}
	three := int32(3)
	w.set.Spec.Replicas = &three
	fmt.Println("scale to 3:")
	for i := 0; i < 3; i++ {
		fmt.Println(w.step())
	}
	fmt.Println(w.podsAt())
	// Output:
	// CreatePod web-0 (PodMissing)
	// CreatePod web-1 (PodMissing)
	// CreatePod web-2 (PodMissing)
	// nothing to do
	// scale to 5:
	// CreatePod web-3 (PodMissing)
	// CreatePod web-4 (PodMissing)
	// nothing to do
	// scale to 3:
	// DeletePod web-4 (ScaleDown)
	// DeletePod web-3 (ScaleDown)
	// nothing to do
	// web-0@web-v1 web-1@web-v1 web-2@web-v1
}

// A rolling update with partition 3 of 5 replaces only web-4, then web-3,
// highest ordinal first; web-0 … web-2 stay at the old revision.
func ExampleNextStatefulAction_partition() {
	w := newWorld(5)
	for i := 0; i < 6; i++ {
		w.step()
	}
	partition := int32(3)
	w.set.UpdateRevision = "web-v2"
	w.set.Spec.UpdateStrategy = statefulset.UpdateStrategy{
		Type:          statefulset.RollingUpdate,
		RollingUpdate: &statefulset.RollingUpdateStrategy{Partition: &partition},
	}
	for i := 0; i < 5; i++ {
		fmt.Println(w.step())
	}
	fmt.Println(w.podsAt())
	fmt.Printf("currentRevision=%s updateRevision=%s updated=%d\n",
		w.set.Status.CurrentRevision, w.set.Status.UpdateRevision, w.set.Status.UpdatedReplicas)
	// Output:
	// DeletePod web-4 (RollingUpdate)
	// CreatePod web-4 (PodMissing)
	// DeletePod web-3 (RollingUpdate)
	// CreatePod web-3 (PodMissing)
	// nothing to do
	// web-0@web-v1 web-1@web-v1 web-2@web-v1 web-3@web-v2 web-4@web-v2
	// currentRevision=web-v1 updateRevision=web-v2 updated=2
}

func ExampleParseOrdinal() {
	for _, name := range []string{"web-0", "my-db-12", "web-x"} {
		parent, ordinal := statefulset.ParseOrdinal(name)
		fmt.Printf("%s: parent %q, ordinal %d\n", name, parent, ordinal)
	}
	fmt.Println(statefulset.PodName("web", 3), statefulset.ClaimName("data", "web", 3))
	// Output:
	// web-0: parent "web", ordinal 0
	// my-db-12: parent "my-db", ordinal 12
	// web-x: parent "", ordinal -1
	// web-3 data-web-3
}

func ExampleValidate() {
	replicas := int32(-1)
	err := statefulset.Validate(&statefulset.Set{
		Name: "web", UpdateRevision: "web-v1",
		Spec: statefulset.Spec{
			Replicas:            &replicas,
			Selector:            &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template:            statefulset.PodTemplate{Labels: map[string]string{"app": "web"}},
			PodManagementPolicy: "Burst",
		},
	}, statefulset.Release{})
	var fe *statefulset.FieldError
	if errors.As(err, &fe) {
		fmt.Println("first:", fe.Field)
	}
	for _, e := range statefulset.AsFieldErrors(err) {
		fmt.Println(e)
	}
	// Output:
	// first: spec.podManagementPolicy
	// spec.podManagementPolicy: Invalid value: "Burst": must be 'OrderedReady' or 'Parallel'
	// spec.replicas: Invalid value: -1: must be greater than or equal to 0
}

// A set the API server would reject, e.g. one stored before validation
// tightened, is still planned as the controller plans it; the problems come
// back as warnings.
func ExampleNextStatefulAction_warnings() {
	replicas := int32(1)
	set := statefulset.Set{
		Name: "web", Namespace: "default", UID: "uid-web", UpdateRevision: "web-v1",
		Spec: statefulset.Spec{
			Replicas:            &replicas,
			Selector:            &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template:            statefulset.PodTemplate{Labels: map[string]string{"app": "web"}},
			PodManagementPolicy: "Burst", // not Parallel: the controller orders the pods
		},
	}
	res, err := statefulset.NextStatefulAction(set, nil, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), statefulset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Actions {
		fmt.Println(a.Type, a.Pod)
	}
	for _, w := range res.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// CreatePod web-0
	// warning: spec.podManagementPolicy: Invalid value: "Burst": must be 'OrderedReady' or 'Parallel'
}

func ExampleDefault() {
	set := statefulset.Default(statefulset.Set{Name: "web"}, statefulset.Release{})
	s := set.Spec
	fmt.Println(*s.Replicas, s.PodManagementPolicy, s.UpdateStrategy.Type, *s.UpdateStrategy.RollingUpdate.Partition,
		s.PersistentVolumeClaimRetentionPolicy.WhenDeleted, s.PersistentVolumeClaimRetentionPolicy.WhenScaled,
		*s.RevisionHistoryLimit, s.Template.RestartPolicy)
	// Output:
	// 1 OrderedReady RollingUpdate 0 Retain Retain 10 Always
}

// The release decides what a rolling update with maxUnavailable 2 does:
// the MaxUnavailableStatefulSet gate is off in 1.34 (alpha), so the
// controller replaces one pod at a time; 1.37 turns it on and replaces two.
func ExampleNextStatefulAction_release() {
	replicas, partition := int32(4), int32(0)
	two := statefulset.IntOrString{IntVal: 2}
	set := statefulset.Set{
		Name: "web", Namespace: "default", UID: "uid-web", UpdateRevision: "web-v2",
		Spec: statefulset.Spec{
			Replicas: &replicas,
			Selector: &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: statefulset.PodTemplate{Labels: map[string]string{"app": "web"}},
			UpdateStrategy: statefulset.UpdateStrategy{Type: statefulset.RollingUpdate,
				RollingUpdate: &statefulset.RollingUpdateStrategy{Partition: &partition, MaxUnavailable: &two}},
		},
		Status: statefulset.Status{CurrentRevision: "web-v1"},
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var pods []statefulset.Pod
	for o := int32(0); o < replicas; o++ {
		name := statefulset.PodName("web", o)
		pods = append(pods, statefulset.Pod{Name: name, UID: "uid-" + name, ControllerUID: "uid-web",
			Labels: map[string]string{"app": "web", statefulset.PodNameLabel: name, statefulset.RevisionLabel: "web-v1"},
			Phase:  statefulset.PodRunning, Ready: true, ReadySince: now.Add(-time.Hour)})
	}
	for _, v := range []string{"1.34", "1.37"} {
		res, err := statefulset.NextStatefulAction(set, pods, nil, now, statefulset.Options{Release: statefulset.Release{Version: v}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(v, ":")
		for _, a := range res.Actions {
			fmt.Print(" ", a.Type, " ", a.Pod)
		}
		fmt.Println()
	}
	// Output:
	// 1.34: DeletePod web-3
	// 1.37: DeletePod web-3 DeletePod web-2
}
