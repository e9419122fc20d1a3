package bench

import (
	"fmt"
	"testing"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	storagehelpers "k8s.io/component-helpers/storage/volume"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/volume"
)

// volumes10k is a pool of 10,000 available volumes in two classes and three
// access-mode sets, of sizes from 1Gi to 100Gi; the claim fits a few hundred.
func volumes10k() ([]*v1.PersistentVolume, *v1.PersistentVolumeClaim) {
	modes := [][]v1.PersistentVolumeAccessMode{{v1.ReadWriteOnce}, {v1.ReadWriteOnce, v1.ReadOnlyMany}, {v1.ReadWriteMany}}
	pvs := make([]*v1.PersistentVolume, 10000)
	for i := range pvs {
		pvs[i] = &v1.PersistentVolume{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pv-%05d", i), Labels: map[string]string{"tier": []string{"fast", "slow"}[i%2]}},
			Spec: v1.PersistentVolumeSpec{
				Capacity:         v1.ResourceList{v1.ResourceStorage: resource.MustParse(fmt.Sprintf("%dGi", 1+(i*7919)%100))},
				AccessModes:      modes[i%3],
				StorageClassName: []string{"gold", "silver"}[i%2],
			},
			Status: v1.PersistentVolumeStatus{Phase: v1.VolumeAvailable},
		}
	}
	gold := "gold"
	claim := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "data", UID: "claim-uid"},
		Spec: v1.PersistentVolumeClaimSpec{AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce}, StorageClassName: &gold,
			Resources: v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: resource.MustParse("50Gi")}}}}
	return pvs, claim
}

// kubernetesBind is the PV controller's search for one claim: volumes of each
// access-mode set that covers the claim, fewest modes first, through
// FindMatchingVolume. The grouping is done once, as the controller's cache
// keeps it.
func kubernetesBind(groups [][]*v1.PersistentVolume, claim *v1.PersistentVolumeClaim) *v1.PersistentVolume {
	for _, g := range groups {
		if pv, _ := storagehelpers.FindMatchingVolume(claim, g, nil, nil, false, true); pv != nil {
			return pv
		}
	}
	return nil
}

// BenchmarkBindPVC10k binds one claim against 10,000 volumes.
func BenchmarkBindPVC10k(b *testing.B) {
	pvs, claim := volumes10k()
	// An RWO claim may use the {RWO} and {RWO,ROX} sets, fewest modes first.
	groups := make([][]*v1.PersistentVolume, 2)
	for i, pv := range pvs {
		if i%3 < 2 {
			groups[i%3] = append(groups[i%3], pv)
		}
	}
	ours := make([]volume.Volume, len(pvs))
	for i, pv := range pvs {
		var err error
		if ours[i], err = adapt.PersistentVolume(pv); err != nil {
			b.Fatal(err)
		}
	}
	c, err := adapt.PersistentVolumeClaim(claim)
	if err != nil {
		b.Fatal(err)
	}
	want := kubernetesBind(groups, claim)
	got, err := volume.BindPVC(ours, c, volume.Options{})
	if err != nil || want == nil || got.Volume != want.Name {
		b.Fatalf("purectl chose %q (%v), Kubernetes %v", got.Volume, err, want)
	}
	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := volume.BindPVC(ours, c, volume.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kubernetes", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			kubernetesBind(groups, claim)
		}
	})
}
