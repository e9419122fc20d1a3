package pv

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"
	_ "unsafe" // go:linkname

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	core "k8s.io/client-go/testing"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/volume/pvcprotection"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/volume"
)

//go:linkname processPVC k8s.io/kubernetes/pkg/controller/volume/pvcprotection.(*Controller).processPVC
func processPVC(c *pvcprotection.Controller, ctx context.Context, ns, name string, lazy *pvcprotection.LazyLivePodList) error

// protection is what one pass of the PVC protection controller writes: the
// finalizer change and the Unused condition (status, reason, message).
type protection struct {
	Finalizer string // "add", "remove" or ""
	Unused    string // "" when the condition is not written
}

// kubernetesProtection runs processPVC once for the claim over a fake API
// server holding it and the pods, and reads back what it wrote.
func kubernetesProtection(t *rapid.T, pvc *v1.PersistentVolumeClaim, pods []*v1.Pod) protection {
	objs := []runtime.Object{pvc.DeepCopy()}
	for _, p := range pods {
		objs = append(objs, p.DeepCopy())
	}
	client := fake.NewSimpleClientset(objs...)
	f := informers.NewSharedInformerFactory(client, 0)
	c, err := pvcprotection.NewPVCProtectionController(klog.Background(), f.Core().V1().PersistentVolumeClaims(), f.Core().V1().Pods(), client)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); f.Shutdown() }()
	f.Start(ctx.Done())
	// WaitForCacheSync polls every 100ms; the suite polls faster.
	pvcs, podInf := f.Core().V1().PersistentVolumeClaims().Informer(), f.Core().V1().Pods().Informer()
	for i := 0; !pvcs.HasSynced() || !podInf.HasSynced(); i++ {
		if i == 100000 {
			t.Fatal("informers did not sync")
		}
		time.Sleep(20 * time.Microsecond)
	}
	client.ClearActions()
	if err := processPVC(c, ctx, pvc.Namespace, pvc.Name, &pvcprotection.LazyLivePodList{}); err != nil {
		t.Fatalf("processPVC: %v", err)
	}
	var out protection
	for _, a := range client.Actions() {
		u, ok := a.(core.UpdateAction)
		if !ok || a.GetResource().Resource != "persistentvolumeclaims" {
			continue
		}
		got := u.GetObject().(*v1.PersistentVolumeClaim)
		if a.GetSubresource() == "status" {
			for _, cond := range got.Status.Conditions {
				if cond.Type == "Unused" {
					if cond.LastTransitionTime.IsZero() {
						t.Fatal("Unused condition without a transition time")
					}
					out.Unused = fmt.Sprintf("%s %s %q", cond.Status, cond.Reason, cond.Message)
				}
			}
			continue
		}
		had := slices.Contains(pvc.Finalizers, volume.FinalizerPVCProtection)
		has := slices.Contains(got.Finalizers, volume.FinalizerPVCProtection)
		switch {
		case has && !had:
			out.Finalizer = "add"
		case had && !has:
			out.Finalizer = "remove"
		}
	}
	return out
}

func ourProtection(t *rapid.T, pvc *v1.PersistentVolumeClaim, pods []*v1.Pod, rel api.Release) protection {
	c, err := adapt.PersistentVolumeClaim(pvc)
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]volume.Pod, len(pods))
	for i, p := range pods {
		ps[i] = adapt.VolumePod(p)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r, err := volume.ClaimProtection(c, ps, now, rel)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reason == "" || r.Message == "" {
		t.Fatalf("decision without a reason: %+v", r)
	}
	var out protection
	switch r.Action {
	case volume.FinalizerAdd:
		out.Finalizer = "add"
	case volume.FinalizerRemove:
		out.Finalizer = "remove"
	}
	if u := r.Unused; u != nil {
		if !u.LastTransitionTime.Equal(now) {
			t.Fatalf("Unused at %v, want now", u.LastTransitionTime)
		}
		out.Unused = fmt.Sprintf("%s %s %q", u.Status, u.Reason, u.Message)
	}
	return out
}

// drawProtectionCase is a claim and the pods of a namespace as the PVC
// protection controller may find them: live or deleted, with or without
// the finalizer, in any phase, with any Unused condition; pods scheduled or
// not, finished, deleted (with grace period 0 or not), naming the claim
// directly or through a generic ephemeral volume of a pod that may or may
// not control the claim.
func drawProtectionCase(t *rapid.T) (*v1.PersistentVolumeClaim, []*v1.Pod) {
	name := rapid.SampledFrom([]string{"data", "p0-eph", "p1-eph"}).Draw(t, "claimName")
	pvc := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, UID: "claim-uid"}}
	pvc.Status.Phase = rapid.SampledFrom([]v1.PersistentVolumeClaimPhase{v1.ClaimPending, v1.ClaimBound, v1.ClaimLost}).Draw(t, "phase")
	if rapid.Bool().Draw(t, "finalizer") {
		pvc.Finalizers = []string{volume.FinalizerPVCProtection}
	}
	if rapid.IntRange(0, 2).Draw(t, "deleted") == 0 {
		ts := metav1.NewTime(time.Unix(100, 0))
		pvc.DeletionTimestamp = &ts
		if len(pvc.Finalizers) == 0 {
			// The API server keeps a deleted object only while a
			// finalizer holds it.
			pvc.Finalizers = []string{"example.com/hold"}
		}
	}
	if s := rapid.SampledFrom([]string{"", "True", "False", "Unknown"}).Draw(t, "unused"); s != "" {
		pvc.Status.Conditions = []v1.PersistentVolumeClaimCondition{{Type: "Resizing", Status: v1.ConditionTrue},
			{Type: "Unused", Status: v1.ConditionStatus(s), Reason: "before", LastTransitionTime: metav1.NewTime(time.Unix(50, 0))}}
	}
	if owner := rapid.IntRange(-1, 1).Draw(t, "owner"); owner >= 0 {
		yes := true
		pvc.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "Pod", Name: fmt.Sprintf("p%d", owner),
			UID: types.UID(fmt.Sprintf("pod-uid-%d", owner)), Controller: &yes}}
	}
	var pods []*v1.Pod
	for i := range rapid.IntRange(0, 3).Draw(t, "npods") {
		p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: rapid.SampledFrom([]string{"ns", "ns", "other"}).Draw(t, "podNs"),
			Name: fmt.Sprintf("p%d", i), UID: types.UID(fmt.Sprintf("pod-uid-%d", i))}}
		p.Spec.NodeName = rapid.SampledFrom([]string{"", "node-1"}).Draw(t, "node")
		p.Status.Phase = rapid.SampledFrom([]v1.PodPhase{v1.PodPending, v1.PodRunning, v1.PodSucceeded, v1.PodFailed}).Draw(t, "podPhase")
		if rapid.IntRange(0, 2).Draw(t, "podDeleted") == 0 {
			ts := metav1.NewTime(time.Unix(90, 0))
			p.DeletionTimestamp = &ts
			g := rapid.SampledFrom([]int64{0, 30}).Draw(t, "grace")
			p.DeletionGracePeriodSeconds = &g
		}
		if rapid.Bool().Draw(t, "running") {
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "c", State: v1.ContainerState{Running: &v1.ContainerStateRunning{}}}}
		} else {
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "c", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{}}}}
		}
		switch rapid.IntRange(0, 2).Draw(t, "podVolume") {
		case 0:
			p.Spec.Volumes = []v1.Volume{{Name: "v", VolumeSource: v1.VolumeSource{PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}}
		case 1:
			p.Spec.Volumes = []v1.Volume{{Name: "eph", VolumeSource: v1.VolumeSource{Ephemeral: &v1.EphemeralVolumeSource{}}}}
		}
		pods = append(pods, p)
	}
	return pvc, pods
}

// setGates makes gates the case's release for the rest of the test.
func setGates(t *testing.T, gates map[api.Gate]bool) {
	if err := useRelease(gates); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := useRelease(nil); err != nil {
			t.Error(err)
		}
	})
}

// ClaimProtection against the release's PVC protection controller
// (processPVC): the finalizer it adds or removes and, from 1.36, the Unused
// condition it writes, with PersistentVolumeClaimUnusedSinceTime at its
// default and, where the release has the gate, turned the other way.
func TestClaimProtectionAgainstKubernetes(t *testing.T) {
	rel := testmain.Release()
	settings := []map[api.Gate]bool{nil}
	if rel.AtLeast("1.36") {
		g := api.PersistentVolumeClaimUnusedSinceTime
		settings = append(settings, map[api.Gate]bool{g: !rel.Enabled(g)})
	}
	for _, gates := range settings {
		t.Run(fmt.Sprintf("gates=%v", gates), func(t *testing.T) {
			setGates(t, gates)
			r := release
			seen := map[string]bool{}
			rapid.Check(t, func(t *rapid.T) {
				pvc, pods := drawProtectionCase(t)
				want := kubernetesProtection(t, pvc, pods)
				got := ourProtection(t, pvc, pods, r)
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("(-kubernetes +purectl):\n%s", d)
				}
				seen[want.Finalizer+"|"+want.Unused] = true
			})
			// Each run must see the controller act, or it proves little.
			var outcomes []string
			for k := range seen {
				outcomes = append(outcomes, k)
			}
			sort.Strings(outcomes)
			wantUnused := r.Enabled(api.PersistentVolumeClaimUnusedSinceTime)
			sawUnused := false
			for _, o := range outcomes {
				sawUnused = sawUnused || o[len(o)-1] == '"'
			}
			if len(outcomes) < 3 || sawUnused != wantUnused {
				t.Fatalf("outcomes %q (Unused condition expected: %v)", outcomes, wantUnused)
			}
		})
	}
}
