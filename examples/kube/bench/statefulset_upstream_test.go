package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	"k8s.io/utils/ptr"

	ssdiff "github.com/purectl/purectl/examples/kube/difftest/statefulset"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/statefulset"
)

func benchStatefulSet(n int32, image string) *appsv1.StatefulSet {
	ss := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "data", UID: "db-uid", Generation: 1},
		Spec: appsv1.StatefulSetSpec{
			Replicas: ptr.To(n),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "db"}},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "db", Image: image}}},
			},
			ServiceName: "db",
			VolumeClaimTemplates: []v1.PersistentVolumeClaim{{ObjectMeta: metav1.ObjectMeta{Name: "data"},
				Spec: v1.PersistentVolumeClaimSpec{AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce},
					Resources: v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: resource.MustParse("10Gi")}}}}},
		},
	}
	appsdefaults.SetObjectDefaults_StatefulSet(ss)
	return ss
}

// revisionOf lets the real controller name (and create) the
// ControllerRevision of ss's template, given the revisions so far.
func revisionOf(ss *appsv1.StatefulSet, revs []*appsv1.ControllerRevision) []*appsv1.ControllerRevision {
	out := ssdiff.New(ssdiff.Cluster{Set: ss.DeepCopy(), Revisions: revs}).Run(context.Background())
	return out.After.Revisions
}

// statefulCluster is a set of n Ready pods with one claim each. Steady:
// every pod at the one revision. Mid-rollout: the template changed and the
// upper half of the pods are at the new revision, so the pass deletes the
// next pod down.
func statefulCluster(n int32, rollout bool) ssdiff.Cluster {
	ss := benchStatefulSet(n, "db:1")
	revs := revisionOf(ss, nil)
	cur := revs[0].Name
	upd := cur
	if rollout {
		ss = benchStatefulSet(n, "db:2")
		ss.Generation = 2
		revs = revisionOf(ss, revs)
		for _, r := range revs {
			if r.Name != cur {
				upd = r.Name
			}
		}
	}
	now := time.Now()
	c := ssdiff.Cluster{Set: ss, Revisions: revs}
	isController := true
	for i := range n {
		name := fmt.Sprintf("db-%d", i)
		rev := cur
		if i >= n/2 {
			rev = upd
		}
		c.Pods = append(c.Pods, &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ss.Namespace, UID: types.UID("uid-" + name),
				Labels: map[string]string{"app": "db", appsv1.StatefulSetPodNameLabel: name, appsv1.PodIndexLabel: fmt.Sprint(i),
					appsv1.StatefulSetRevisionLabel: rev},
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "StatefulSet", Name: ss.Name, UID: ss.UID,
					Controller: &isController, BlockOwnerDeletion: &isController}}},
			Spec: v1.PodSpec{Volumes: []v1.Volume{{Name: "data", VolumeSource: v1.VolumeSource{
				PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: "data-" + name}}}}},
			Status: v1.PodStatus{Phase: v1.PodRunning, Conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue,
				LastTransitionTime: metav1.NewTime(now.Add(-time.Hour))}}},
		})
		c.Claims = append(c.Claims, &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data-" + name,
			Namespace: ss.Namespace, UID: types.UID("uid-data-" + name), Labels: map[string]string{"app": "db"}}})
	}
	ss.Status = appsv1.StatefulSetStatus{ObservedGeneration: ss.Generation, Replicas: n, ReadyReplicas: n, AvailableReplicas: n,
		CurrentReplicas: n, UpdatedReplicas: n, CurrentRevision: cur, UpdateRevision: upd, CollisionCount: ptr.To[int32](0)}
	if rollout {
		ss.Status.CurrentReplicas, ss.Status.UpdatedReplicas = n/2, n-n/2
	}
	return c
}

func benchmarkStatefulSet(b *testing.B, n int32, rollout bool) {
	c := statefulCluster(n, rollout)
	ctx := context.Background()

	// Agree first: one real pass and one purectl pass on the same state.
	out := ssdiff.New(c).Run(ctx)
	set, pods, claims := ssdiff.Inputs(c, out.Listed, out.UpdateRevision)
	// Both sides follow the release the module is built against.
	opts := statefulset.Options{Release: testmain.Release()}
	res, err := statefulset.NextStatefulAction(set, pods, claims, time.Now(), opts)
	if err != nil {
		b.Fatal(err)
	}
	got, err := ssdiff.PurectlWrites(c, res)
	if err != nil {
		b.Fatal(err)
	}
	if d := cmp.Diff(ssdiff.Normalise(out.Writes, false), ssdiff.Normalise(got, false)); d != "" {
		b.Fatalf("writes differ (-kubernetes +purectl):\n%s", d)
	}
	if rollout != (len(got) == 1) || (out.Status != nil) != res.StatusChanged {
		b.Fatalf("rollout %v: %d writes, status written %v / %v", rollout, len(got), out.Status != nil, res.StatusChanged)
	}
	if out.Status != nil {
		if d := cmp.Diff(*out.Status, ssdiff.StatusOf(c.Set, res.Status)); d != "" {
			b.Fatalf("status differs (-kubernetes +purectl):\n%s", d)
		}
	}

	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		now := time.Now()
		for b.Loop() {
			if _, err := statefulset.NextStatefulAction(set, pods, claims, now, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kubernetes", func(b *testing.B) {
		// UpdateStatefulSet alone (what a sync does after claiming the
		// pods), against informers holding the state and a fake API
		// server; the deleted pod stays in the informers, so every
		// iteration is the same pass.
		ctl := ssdiff.New(c)
		control := ctl.Control()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ssdiff.UpdateStatefulSet(control, ctx, c.Set, c.Pods, time.Now()); err != nil {
				b.Fatal(err)
			}
			ctl.ClearActions()
		}
	})
}

// BenchmarkStatefulSetSteady1000 is one pass over 1,000 Ready pods at
// the current revision: nothing to do.
func BenchmarkStatefulSetSteady1000(b *testing.B) { benchmarkStatefulSet(b, 1000, false) }

// BenchmarkStatefulSetSteady10000 is the same with 10,000 pods.
func BenchmarkStatefulSetSteady10000(b *testing.B) { benchmarkStatefulSet(b, 10000, false) }

// BenchmarkStatefulSetRollout1000 is one pass of a rolling update half
// done over 1,000 pods: one pod is deleted.
func BenchmarkStatefulSetRollout1000(b *testing.B) { benchmarkStatefulSet(b, 1000, true) }

// BenchmarkStatefulSetRollout10000 is the same with 10,000 pods.
func BenchmarkStatefulSetRollout10000(b *testing.B) { benchmarkStatefulSet(b, 10000, true) }
