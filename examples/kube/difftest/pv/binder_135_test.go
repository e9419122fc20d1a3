//go:build kube135

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

// newVolumeBinder: from 1.35 NewVolumeBinder returns an error and the
// assume caches are passive, read with Get; 1.35 still has the Portworx
// migration feature.
func newVolumeBinder(logger klog.Logger, client kubernetes.Interface, f informers.SharedInformerFactory, vac bool) (
	volumebinding.SchedulerVolumeBinder, func(string) bool, func(string) bool, error) {
	binder, err := volumebinding.NewVolumeBinder(logger, client, feature.Features{EnableVolumeAttributesClass: vac, EnableCSIMigrationPortworx: true},
		f.Core().V1().Pods(), f.Core().V1().Nodes(), f.Storage().V1().CSINodes(), f.Core().V1().PersistentVolumeClaims(),
		f.Core().V1().PersistentVolumes(), f.Storage().V1().StorageClasses(),
		volumebinding.CapacityCheck{CSIDriverInformer: f.Storage().V1().CSIDrivers(), CSIStorageCapacityInformer: f.Storage().V1().CSIStorageCapacities()},
		time.Second)
	if err != nil {
		return nil, nil, nil, err
	}
	pvCache := reach.Get(binder, "pvCache").(volumebinding.PVAssumeCache)
	pvcCache := reach.Get(binder, "pvcCache").(volumebinding.PVCAssumeCache)
	hasPV := func(name string) bool { _, err := pvCache.Get(name); return err == nil }
	hasPVC := func(key string) bool { _, err := pvcCache.Get(key); return err == nil }
	return binder, hasPV, hasPVC, nil
}
