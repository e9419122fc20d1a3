//go:build !kube135 && !kube136 && !kube137

package pv

import (
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/feature"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/volumebinding"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

// newVolumeBinder is the scheduler's volume binder over the informers of
// f, and lookups telling whether its assume caches hold a volume or claim
// yet. In 1.34 NewVolumeBinder cannot fail and the caches are structs with
// GetPV and GetPVC.
func newVolumeBinder(logger klog.Logger, client kubernetes.Interface, f informers.SharedInformerFactory, vac bool) (
	volumebinding.SchedulerVolumeBinder, func(string) bool, func(string) bool, error) {
	binder := volumebinding.NewVolumeBinder(logger, client, feature.Features{EnableVolumeAttributesClass: vac, EnableCSIMigrationPortworx: true},
		f.Core().V1().Pods(), f.Core().V1().Nodes(), f.Storage().V1().CSINodes(), f.Core().V1().PersistentVolumeClaims(),
		f.Core().V1().PersistentVolumes(), f.Storage().V1().StorageClasses(),
		volumebinding.CapacityCheck{CSIDriverInformer: f.Storage().V1().CSIDrivers(), CSIStorageCapacityInformer: f.Storage().V1().CSIStorageCapacities()},
		time.Second)
	pvCache := reach.Get(binder, "pvCache").(*volumebinding.PVAssumeCache)
	pvcCache := reach.Get(binder, "pvcCache").(*volumebinding.PVCAssumeCache)
	hasPV := func(name string) bool { _, err := pvCache.GetPV(name); return err == nil }
	hasPVC := func(key string) bool { _, err := pvcCache.GetPVC(key); return err == nil }
	return binder, hasPV, hasPVC, nil
}
