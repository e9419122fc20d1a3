package bench

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"testing"
	"time"
	"unsafe"

	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	corev1defaults "k8s.io/kubernetes/pkg/apis/core/v1"
	storagev1defaults "k8s.io/kubernetes/pkg/apis/storage/v1"
	pvctrl "k8s.io/kubernetes/pkg/controller/volume/persistentvolume"
	pvtesting "k8s.io/kubernetes/pkg/controller/volume/persistentvolume/testing"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/reach"
	"github.com/purectl/purectl/volume"
)

//go:linkname pvSyncClaim k8s.io/kubernetes/pkg/controller/volume/persistentvolume.(*PersistentVolumeController).syncClaim
func pvSyncClaim(ctrl *pvctrl.PersistentVolumeController, ctx context.Context, claim *v1.PersistentVolumeClaim) error

//go:linkname pvInitializeCaches k8s.io/kubernetes/pkg/controller/volume/persistentvolume.(*PersistentVolumeController).initializeCaches
func pvInitializeCaches(ctrl *pvctrl.PersistentVolumeController, logger klog.Logger, volumeLister corelisters.PersistentVolumeLister, claimLister corelisters.PersistentVolumeClaimLister)

// pvFindBestMatch is the controller's search over its volume cache
// (persistentVolumeOrderedIndex.findBestMatchForClaim); the receiver is the
// controller's unexported index, passed by address.
//
//go:linkname pvFindBestMatch k8s.io/kubernetes/pkg/controller/volume/persistentvolume.(*persistentVolumeOrderedIndex).findBestMatchForClaim
func pvFindBestMatch(index unsafe.Pointer, claim *v1.PersistentVolumeClaim, delayBinding bool) (*v1.PersistentVolume, error)

// pvCluster is the benchmark's state: n Available volumes of distinct sizes
// (no two equally small, so the controller's map order cannot matter) in
// two classes and three nested access-mode sets, and n claims asking for
// 1-100Gi in those classes, about a tenth of them asking for a volume by
// name. Most claims find a volume; some find none that is free.
func pvCluster(n int) ([]*v1.PersistentVolume, []*v1.PersistentVolumeClaim) {
	modes := [][]v1.PersistentVolumeAccessMode{{v1.ReadWriteOnce}, {v1.ReadWriteOnce, v1.ReadOnlyMany},
		{v1.ReadWriteOnce, v1.ReadOnlyMany, v1.ReadWriteMany}}
	classes := []string{"gold", "silver"}
	pvs := make([]*v1.PersistentVolume, n)
	for i := range pvs {
		size := resource.MustParse(fmt.Sprintf("%dMi", 1024+(i*7919)%(100*1024)+i*101%7))
		pvs[i] = &v1.PersistentVolume{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pv-%05d", i), ResourceVersion: "1"},
			Spec: v1.PersistentVolumeSpec{Capacity: v1.ResourceList{v1.ResourceStorage: size}, AccessModes: modes[i%3],
				StorageClassName:       classes[i%2],
				PersistentVolumeSource: v1.PersistentVolumeSource{CSI: &v1.CSIPersistentVolumeSource{Driver: "csi.example.com", VolumeHandle: fmt.Sprint(i)}}},
			Status: v1.PersistentVolumeStatus{Phase: v1.VolumeAvailable},
		}
		corev1defaults.SetObjectDefaults_PersistentVolume(pvs[i])
	}
	// Sizes must differ: a tie would leave the controller's choice to map
	// order. The formula above makes them distinct; check it.
	seen := map[string]bool{}
	for _, pv := range pvs {
		q := pv.Spec.Capacity[v1.ResourceStorage]
		if seen[q.String()] {
			panic("two volumes of size " + q.String())
		}
		seen[q.String()] = true
	}
	claims := make([]*v1.PersistentVolumeClaim, n)
	for i := range claims {
		cls := classes[(i/2)%2]
		c := &v1.PersistentVolumeClaim{
			ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: fmt.Sprintf("data-%05d", i), UID: types.UID(fmt.Sprintf("uid-%05d", i)), ResourceVersion: "1"},
			Spec: v1.PersistentVolumeClaimSpec{AccessModes: modes[i%2], StorageClassName: &cls,
				Resources: v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: resource.MustParse(fmt.Sprintf("%dGi", 1+(i*31)%100))}}},
		}
		if i%10 == 0 {
			c.Spec.VolumeName = fmt.Sprintf("pv-%05d", (i*13)%n)
		}
		corev1defaults.SetObjectDefaults_PersistentVolumeClaim(c)
		claims[i] = c
	}
	return pvs, claims
}

// realPV is Kubernetes' PV controller with its caches filled from the
// benchmark's state, its API server the controller tests' volume reactor.
type realPV struct {
	ctrl    *pvctrl.PersistentVolumeController
	reactor *pvtesting.VolumeReactor
}

// pvClasses are the benchmark's classes: immediate binding, an external
// provisioner (asked for the claims that find no volume).
func pvClasses() []*storagev1.StorageClass {
	var out []*storagev1.StorageClass
	for _, n := range []string{"gold", "silver"} {
		sc := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: n}, Provisioner: "example.com/ext"}
		storagev1defaults.SetObjectDefaults_StorageClass(sc)
		out = append(out, sc)
	}
	return out
}

func pvOptions() volume.Options {
	var o volume.Options
	for _, sc := range pvClasses() {
		o.Classes = append(o.Classes, adapt.StorageClass(sc))
	}
	return o
}

func newRealPV(pvs []*v1.PersistentVolume, claims []*v1.PersistentVolumeClaim) *realPV {
	klog.SetOutput(io.Discard)
	ctx := context.Background()
	client := &fake.Clientset{}
	reactor := pvtesting.NewVolumeReactor(ctx, client, nil, nil, nil)
	f := informers.NewSharedInformerFactory(client, 0)
	ctrl, err := pvctrl.NewController(ctx, pvctrl.ControllerParameters{KubeClient: client, SyncPeriod: time.Minute,
		VolumeInformer: f.Core().V1().PersistentVolumes(), ClaimInformer: f.Core().V1().PersistentVolumeClaims(),
		ClassInformer: f.Storage().V1().StorageClasses(), PodInformer: f.Core().V1().Pods(), NodeInformer: f.Core().V1().Nodes(),
		EnableDynamicProvisioning: true})
	if err != nil {
		panic(err)
	}
	reach.Field(ctrl, "eventRecorder").Set(reflect.ValueOf(record.EventRecorder(record.NewFakeRecorder(len(claims) + 10))))
	for _, pv := range pvs {
		pv = pv.DeepCopy()
		reactor.AddVolume(pv)
		dsMust(f.Core().V1().PersistentVolumes().Informer().GetIndexer().Add(pv))
	}
	for _, c := range claims {
		c = c.DeepCopy()
		reactor.AddClaim(c)
		dsMust(f.Core().V1().PersistentVolumeClaims().Informer().GetIndexer().Add(c))
	}
	for _, sc := range pvClasses() {
		dsMust(f.Storage().V1().StorageClasses().Informer().GetIndexer().Add(sc))
	}
	pvInitializeCaches(ctrl, klog.Background(), f.Core().V1().PersistentVolumes().Lister(), f.Core().V1().PersistentVolumeClaims().Lister())
	return &realPV{ctrl: ctrl, reactor: reactor}
}

// pass runs syncClaim for every claim in the order given, each on the
// controller's cached copy, which carries the writes of the claims before.
func (r *realPV) pass(claims []*v1.PersistentVolumeClaim) {
	ctx := context.Background()
	store := reach.Field(r.ctrl, "claims").Interface().(cache.Store)
	for _, c := range claims {
		obj, _, _ := store.GetByKey(c.Namespace + "/" + c.Name)
		_ = pvSyncClaim(r.ctrl, ctx, obj.(*v1.PersistentVolumeClaim))
	}
}

// boundTo is each claim's spec.volumeName after the pass, as the API server
// holds it.
func (r *realPV) boundTo() map[string]string {
	out := map[string]string{}
	for n, c := range reach.Field(r.reactor, "claims").Interface().(map[string]*v1.PersistentVolumeClaim) {
		out[n] = c.Spec.VolumeName
	}
	return out
}

// pvOrder is BindClaims' order: claims naming a volume first, then by name.
func pvOrder(claims []*v1.PersistentVolumeClaim) []*v1.PersistentVolumeClaim {
	var named, rest []*v1.PersistentVolumeClaim
	for _, c := range claims {
		if c.Spec.VolumeName != "" {
			named = append(named, c)
		} else {
			rest = append(rest, c)
		}
	}
	return append(named, rest...) // each group is already by name
}

func pvOurs(b *testing.B, pvs []*v1.PersistentVolume, claims []*v1.PersistentVolumeClaim) ([]volume.Volume, []volume.Claim) {
	vs := make([]volume.Volume, len(pvs))
	for i, pv := range pvs {
		var err error
		if vs[i], err = adapt.PersistentVolume(pv); err != nil {
			b.Fatal(err)
		}
	}
	cs := make([]volume.Claim, len(claims))
	for i, c := range claims {
		var err error
		if cs[i], err = adapt.PersistentVolumeClaim(c); err != nil {
			b.Fatal(err)
		}
	}
	return vs, cs
}

// BenchmarkPVControllerPass10k is one claim pass over 10,000 volumes and
// 10,000 claims: Kubernetes' syncClaim for every claim against purectl's
// BindClaims, checked to bind every claim to the same volume first.
func BenchmarkPVControllerPass10k(b *testing.B) {
	pvs, claims := pvCluster(10000)
	order := pvOrder(claims)
	vs, cs := pvOurs(b, pvs, claims)
	real := newRealPV(pvs, claims)
	real.pass(order)
	want := real.boundTo()
	got, err := volume.BindClaims(vs, cs, pvOptions())
	if err != nil {
		b.Fatal(err)
	}
	bound := 0
	for i, c := range claims {
		name := c.Spec.VolumeName
		if got[i].Action == volume.ActionBind {
			name = got[i].Volume
		}
		if name != want[c.Name] {
			b.Fatalf("claim %s: purectl %q (%s), Kubernetes %q", c.Name, name, got[i].Reason, want[c.Name])
		}
		if name != "" {
			bound++
		}
	}
	b.Logf("%d of %d claims bound, the same by both", bound, len(claims))
	opts := pvOptions()
	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := volume.BindClaims(vs, cs, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kubernetes", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			r := newRealPV(pvs, claims)
			b.StartTimer()
			r.pass(order)
		}
	})
}

// BenchmarkPVControllerFind10k is the search for one claim among 10,000
// volumes: the controller's findBestMatchForClaim on its cache against
// purectl's BindPVC (the whole decision, message included).
func BenchmarkPVControllerFind10k(b *testing.B) {
	pvs, claims := pvCluster(10000)
	claim := claims[1] // asks for a volume, names none
	real := newRealPV(pvs, nil)
	index := unsafe.Pointer(reach.Field(real.ctrl, "volumes").UnsafeAddr())
	want, err := pvFindBestMatch(index, claim, false)
	if err != nil || want == nil {
		b.Fatalf("Kubernetes found %v, %v", want, err)
	}
	vs, cs := pvOurs(b, pvs, claims[1:2])
	got, err := volume.BindPVC(vs, cs[0], pvOptions())
	if err != nil || got.Volume != want.Name {
		b.Fatalf("purectl chose %q (%v), Kubernetes %s", got.Volume, err, want.Name)
	}
	opts := pvOptions()
	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := volume.BindPVC(vs, cs[0], opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kubernetes", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := pvFindBestMatch(index, claim, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
