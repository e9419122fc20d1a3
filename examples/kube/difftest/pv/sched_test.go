package pv

import (
	"context"
	"sort"
	"strings"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/klog/v2"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/reach"
	"github.com/purectl/purectl/volume"
)

var nodes = []*v1.Node{
	{ObjectMeta: metav1.ObjectMeta{Name: "node-1", Labels: map[string]string{"zone": "a"}}},
	{ObjectMeta: metav1.ObjectMeta{Name: "node-2", Labels: map[string]string{"zone": "b"}}},
}

// placement is the scheduler's volume answer for a pod on a node: whether
// the node fits and, when it does, which claims get which volume and which
// are provisioned there.
type placement struct {
	Err       bool
	Feasible  bool
	Binds     []string // claim=volume, by claim
	Provision []string // claims, sorted
}

// kubernetesPlace asks the scheduler's volume binder, fed by informers over
// the cluster: GetPodVolumeClaims (its PreFilter refuses unbound claims of
// immediate binding) and then FindPodVolumes.
func kubernetesPlace(c *cluster, pod *v1.Pod, node *v1.Node) placement {
	var objs []runtime.Object
	for _, pv := range c.pvs {
		objs = append(objs, pv.DeepCopy())
	}
	for _, pvc := range c.pvcs {
		objs = append(objs, pvc.DeepCopy())
	}
	for _, sc := range c.classes {
		objs = append(objs, sc.DeepCopy())
	}
	for _, n := range nodes {
		objs = append(objs, n.DeepCopy())
	}
	client := fake.NewSimpleClientset(objs...)
	f := informers.NewSharedInformerFactory(client, 0)
	logger := klog.Background()
	binder, hasPV, hasPVC, err := newVolumeBinder(logger, client, f, release.Enabled(api.VolumeAttributesClass))
	if err != nil {
		return placement{Err: true}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); f.Shutdown() }()
	f.Start(ctx.Done())
	// WaitForCacheSync polls every 100ms; the suite polls faster.
	synced := []func() bool{f.Core().V1().PersistentVolumes().Informer().HasSynced, f.Core().V1().PersistentVolumeClaims().Informer().HasSynced,
		f.Storage().V1().StorageClasses().Informer().HasSynced, f.Core().V1().Nodes().Informer().HasSynced,
		f.Storage().V1().CSINodes().Informer().HasSynced, f.Storage().V1().CSIDrivers().Informer().HasSynced,
		f.Storage().V1().CSIStorageCapacities().Informer().HasSynced, f.Core().V1().Pods().Informer().HasSynced}
	// The binder's assume caches fill from informer events, delivered
	// asynchronously: wait until they hold every object.
	ready := func() bool {
		for _, s := range synced {
			if !s() {
				return false
			}
		}
		for n := range c.pvs {
			if !hasPV(n) {
				return false
			}
		}
		for k := range c.pvcs {
			if !hasPVC(k) {
				return false
			}
		}
		return true
	}
	for i := 0; i < 5000 && !ready(); i++ {
		time.Sleep(20 * time.Microsecond)
	}
	claims, err := binder.GetPodVolumeClaims(logger, pod)
	if err != nil {
		return placement{Err: true}
	}
	if imm := reach.Get(claims, "unboundClaimsImmediate").([]*v1.PersistentVolumeClaim); len(imm) > 0 {
		return placement{}
	}
	pvs, reasons, err := binder.FindPodVolumes(logger, pod, claims, node)
	if err != nil {
		return placement{Err: true}
	}
	if len(reasons) > 0 {
		return placement{}
	}
	out := placement{Feasible: true}
	for _, b := range pvs.StaticBindings {
		pvc := reach.Get(b, "pvc").(*v1.PersistentVolumeClaim)
		pv := reach.Get(b, "pv").(*v1.PersistentVolume)
		out.Binds = append(out.Binds, pvc.Name+"="+pv.Name)
	}
	for _, d := range pvs.DynamicProvisions {
		out.Provision = append(out.Provision, d.PVC.Name)
	}
	sort.Strings(out.Binds)
	sort.Strings(out.Provision)
	return out
}

// podClaims are the claims a pod's volumes name, in the pod's volume order.
func podClaims(c *cluster, pod *v1.Pod) ([]*v1.PersistentVolumeClaim, bool) {
	var out []*v1.PersistentVolumeClaim
	for _, vol := range pod.Spec.Volumes {
		if vol.PersistentVolumeClaim == nil {
			continue
		}
		pvc := c.pvcs[pod.Namespace+"/"+vol.PersistentVolumeClaim.ClaimName]
		if pvc == nil {
			return nil, false
		}
		out = append(out, pvc)
	}
	return out, true
}

// ourPlace is purectl's SchedulePod for the same question, with the results
// to write when the node fits.
func ourPlace(c *cluster, pod *v1.Pod, node *v1.Node) (placement, []volume.Result, []*v1.PersistentVolumeClaim) {
	pvcs, _ := podClaims(c, pod)
	claims := make([]volume.Claim, len(pvcs))
	for i, pvc := range pvcs {
		claims[i], _ = adapt.PersistentVolumeClaim(pvc)
	}
	pvList := c.volumes()
	vs := make([]volume.Volume, len(pvList))
	for i, pv := range pvList {
		vs[i], _ = adapt.PersistentVolume(pv)
	}
	var classes []volume.StorageClass
	for _, sc := range c.classes {
		classes = append(classes, adapt.StorageClass(sc))
	}
	res, err := volume.SchedulePod(vs, claims, volume.Options{Classes: classes, Node: &volume.Node{Name: node.Name, Labels: node.Labels}, Release: release})
	if err != nil {
		return placement{Err: true}, nil, nil
	}
	if !res.Feasible {
		return placement{}, nil, nil
	}
	out := placement{Feasible: true}
	for i, r := range res.Claims {
		switch r.Action {
		case volume.ActionBind:
			out.Binds = append(out.Binds, pvcs[i].Name+"="+r.Volume)
		case volume.ActionProvision:
			out.Provision = append(out.Provision, pvcs[i].Name)
		}
	}
	sort.Strings(out.Binds)
	sort.Strings(out.Provision)
	return out, res.Claims, pvcs
}

// applyPlacement writes what the scheduler's BindPodVolumes writes (the
// volumes' pre-binding, the claims' selected node) and binds the pod.
func applyPlacement(c *cluster, pod *v1.Pod, node *v1.Node, results []volume.Result, pvcs []*v1.PersistentVolumeClaim) {
	for i, r := range results {
		if r.Action != volume.ActionBind && r.Action != volume.ActionProvision {
			continue
		}
		var pv *v1.PersistentVolume
		if r.Volume != "" {
			pv = c.pvs[r.Volume]
		}
		pv2, pvc2 := adapt.ApplyClaimResult(pv, pvcs[i], r)
		if pv != nil {
			c.pvs[pv.Name] = pv2
		}
		c.pvcs[pvc2.Namespace+"/"+pvc2.Name] = pvc2
	}
	pod.Spec.NodeName = node.Name
}

func placementString(p placement) string {
	return strings.Join(append(append([]string{map[bool]string{true: "fits", false: "no fit"}[p.Feasible]}, p.Binds...), p.Provision...), " ")
}
