package pv

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
	_ "unsafe" // go:linkname

	v1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	pvctrl "k8s.io/kubernetes/pkg/controller/volume/persistentvolume"
	pvtesting "k8s.io/kubernetes/pkg/controller/volume/persistentvolume/testing"
	"k8s.io/kubernetes/pkg/util/goroutinemap"
	vol "k8s.io/kubernetes/pkg/volume"
	volumetesting "k8s.io/kubernetes/pkg/volume/testing"
	"k8s.io/kubernetes/pkg/volume/util/recyclerclient"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

//go:linkname syncClaim k8s.io/kubernetes/pkg/controller/volume/persistentvolume.(*PersistentVolumeController).syncClaim
func syncClaim(ctrl *pvctrl.PersistentVolumeController, ctx context.Context, claim *v1.PersistentVolumeClaim) error

//go:linkname syncVolume k8s.io/kubernetes/pkg/controller/volume/persistentvolume.(*PersistentVolumeController).syncVolume
func syncVolume(ctrl *pvctrl.PersistentVolumeController, ctx context.Context, volume *v1.PersistentVolume) error

//go:linkname initializeCaches k8s.io/kubernetes/pkg/controller/volume/persistentvolume.(*PersistentVolumeController).initializeCaches
func initializeCaches(ctrl *pvctrl.PersistentVolumeController, logger klog.Logger, volumeLister corelisters.PersistentVolumeLister, claimLister corelisters.PersistentVolumeClaimLister)

// inline runs the controller's asynchronous operations (provision, delete,
// recycle) at once, inside the sync that schedules them: the pass then ends
// with every operation it started finished, which is what purectl's single
// decision describes. The real map's exponential backoff between failed
// attempts is not kept: each pass models a retry after the backoff expired.
type inline struct{}

func (inline) Run(_ string, f func() error) error { _ = f(); return nil }
func (inline) Wait()                              {}
func (inline) WaitForCompletion()                 {}
func (inline) IsOperationPending(string) bool     { return false }

var _ goroutinemap.GoRoutineMap = inline{}

// opsLog records what the volume plugins were asked to do.
type opsLog struct {
	mu  sync.Mutex
	ops []string
}

func (l *opsLog) add(s string) {
	l.mu.Lock()
	l.ops = append(l.ops, s)
	l.mu.Unlock()
}

// basePlugin gives a plugin the VolumePlugin methods of the fake plugin and
// nothing else, so that it offers only the extra interfaces its type adds.
type basePlugin struct {
	vol.VolumePlugin
	name     string
	supports func(*v1.PersistentVolume) bool
	log      *opsLog
}

func (p *basePlugin) GetPluginName() string { return p.name }
func (p *basePlugin) CanSupport(spec *vol.Spec) bool {
	return spec.PersistentVolume != nil && p.supports(spec.PersistentVolume)
}

// recyclePlugin is an in-tree plugin that can scrub a volume (the NFS
// plugin's recycler); the scrub always succeeds and is recorded.
type recyclePlugin struct{ *basePlugin }

func (p recyclePlugin) Recycle(pvName string, _ *vol.Spec, _ recyclerclient.RecycleEventRecorder) error {
	p.log.add("recycle " + pvName + " by " + p.name)
	return nil
}

// hostPathPlugin behaves as kube-controller-manager's hostPath plugin with
// its default configuration: it recycles, it deletes only directories that
// match /tmp/.+ (the check its deleter makes), and provisioning is disabled.
type hostPathPlugin struct{ *basePlugin }

func (p hostPathPlugin) Recycle(pvName string, _ *vol.Spec, _ recyclerclient.RecycleEventRecorder) error {
	p.log.add("recycle " + pvName + " by " + p.name)
	return nil
}

var hostPathDeletable = regexp.MustCompile("/tmp/.+")

type hostPathDeleter struct {
	vol.MetricsNil
	log        *opsLog
	name, path string
}

func (d *hostPathDeleter) GetPath() string { return d.path }
func (d *hostPathDeleter) Delete() error {
	if !hostPathDeletable.MatchString(d.path) {
		return fmt.Errorf("host_path deleter only supports /tmp/.+ but received provided %s", d.path)
	}
	d.log.add("delete " + d.name + " by kubernetes.io/host-path")
	return nil
}

func (p hostPathPlugin) NewDeleter(_ klog.Logger, spec *vol.Spec) (vol.Deleter, error) {
	if spec.PersistentVolume.Spec.HostPath == nil {
		return nil, fmt.Errorf("spec.PersistentVolumeSource.HostPath is nil")
	}
	return &hostPathDeleter{log: p.log, name: spec.Name(), path: spec.PersistentVolume.Spec.HostPath.Path}, nil
}

func (p hostPathPlugin) NewProvisioner(klog.Logger, vol.VolumeOptions) (vol.Provisioner, error) {
	return nil, fmt.Errorf("provisioning in volume plugin %q is disabled", p.name)
}

func plugins(log *opsLog) []vol.VolumePlugin {
	base := func(name string, supports func(*v1.PersistentVolume) bool) *basePlugin {
		return &basePlugin{VolumePlugin: &volumetesting.FakeVolumePlugin{PluginName: name}, name: name, supports: supports, log: log}
	}
	return []vol.VolumePlugin{
		hostPathPlugin{base("kubernetes.io/host-path", func(pv *v1.PersistentVolume) bool { return pv.Spec.HostPath != nil })},
		recyclePlugin{base("kubernetes.io/nfs", func(pv *v1.PersistentVolume) bool { return pv.Spec.NFS != nil })},
		// iSCSI volumes have an in-tree plugin that neither deletes nor
		// recycles.
		base("kubernetes.io/iscsi", func(pv *v1.PersistentVolume) bool { return pv.Spec.ISCSI != nil }),
		base("kubernetes.io/csi", func(pv *v1.PersistentVolume) bool { return pv.Spec.CSI != nil }),
	}
}

// upstream is one PV controller built from a cluster state.
type upstream struct {
	ctx     context.Context
	ctrl    *pvctrl.PersistentVolumeController
	reactor *pvtesting.VolumeReactor
	events  *record.FakeRecorder
	ops     *opsLog
}

func newUpstream(c *cluster) *upstream {
	ctx := context.Background()
	// An empty clientset: the volume reactor alone plays the API server for
	// volumes and claims, numbering resource versions as the controller
	// expects.
	client := &fake.Clientset{}
	reactor := pvtesting.NewVolumeReactor(ctx, client, nil, nil, nil)
	f := informers.NewSharedInformerFactory(client, 0)
	log := &opsLog{}
	ctrl, err := pvctrl.NewController(ctx, pvctrl.ControllerParameters{
		KubeClient: client, SyncPeriod: time.Minute, VolumePlugins: plugins(log),
		VolumeInformer: f.Core().V1().PersistentVolumes(), ClaimInformer: f.Core().V1().PersistentVolumeClaims(),
		ClassInformer: f.Storage().V1().StorageClasses(), PodInformer: f.Core().V1().Pods(), NodeInformer: f.Core().V1().Nodes(),
		EnableDynamicProvisioning: true,
	})
	if err != nil {
		panic(err)
	}
	events := record.NewFakeRecorder(1000)
	reach.Set(ctrl, "eventRecorder", record.EventRecorder(events))
	reach.Set(ctrl, "runningOperations", goroutinemap.GoRoutineMap(inline{}))
	for _, pv := range c.volumes() {
		pv = pv.DeepCopy()
		reactor.AddVolume(pv)
		must(f.Core().V1().PersistentVolumes().Informer().GetIndexer().Add(pv))
	}
	for _, pvc := range c.claims() {
		pvc = pvc.DeepCopy()
		reactor.AddClaim(pvc)
		must(f.Core().V1().PersistentVolumeClaims().Informer().GetIndexer().Add(pvc))
	}
	for _, sc := range c.classes {
		must(f.Storage().V1().StorageClasses().Informer().GetIndexer().Add(sc.DeepCopy()))
	}
	for _, p := range c.pods {
		must(f.Core().V1().Pods().Informer().GetIndexer().Add(p.DeepCopy()))
	}
	initializeCaches(ctrl, klog.Background(), f.Core().V1().PersistentVolumes().Lister(), f.Core().V1().PersistentVolumeClaims().Lister())
	return &upstream{ctx: ctx, ctrl: ctrl, reactor: reactor, events: events, ops: log}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// drain returns the events recorded since the last call, as "Type Reason".
func (u *upstream) drain() []string {
	var out []string
	for {
		select {
		case e := <-u.events.Events:
			f := strings.SplitN(e, " ", 3)
			out = append(out, f[0]+" "+f[1])
		default:
			return out
		}
	}
}

func (u *upstream) takeOps() []string {
	u.ops.mu.Lock()
	defer u.ops.mu.Unlock()
	out := u.ops.ops
	u.ops.ops = nil
	return out
}

func (u *upstream) claimStore() cache.Store { return reach.Get(u.ctrl, "claims").(cache.Store) }

// cachedClaim is the claim as the controller last knows it (its own writes
// of this pass included), which is what its worker syncs once the informer
// has caught up.
func (u *upstream) cachedClaim(key string) *v1.PersistentVolumeClaim {
	obj, ok, _ := u.claimStore().GetByKey(key)
	if !ok {
		return nil
	}
	return obj.(*v1.PersistentVolumeClaim)
}

func (u *upstream) reactorVolumes() map[string]*v1.PersistentVolume {
	return reach.Get(u.reactor, "volumes").(map[string]*v1.PersistentVolume)
}

func (u *upstream) reactorClaims() map[string]*v1.PersistentVolumeClaim {
	return reach.Get(u.reactor, "claims").(map[string]*v1.PersistentVolumeClaim)
}

// step is what one sync did: its error, events and plugin calls.
type step struct {
	Object string
	Err    bool
	Events []string
	Ops    []string
}

func (u *upstream) syncClaim(key string) step {
	c := u.cachedClaim(key)
	err := syncClaim(u.ctrl, u.ctx, c)
	if err != nil && os.Getenv("PV_DEBUG") != "" {
		fmt.Fprintln(os.Stderr, "syncClaim", key, err)
	}
	return step{Object: "claim " + key, Err: err != nil, Events: u.drain(), Ops: u.takeOps()}
}

func (u *upstream) syncVolume(name string) step {
	var pv *v1.PersistentVolume
	if obj, ok := u.reactorVolumes()[name]; ok {
		pv = obj.DeepCopy()
	}
	if pv == nil {
		return step{Object: "volume " + name}
	}
	err := syncVolume(u.ctrl, u.ctx, pv)
	return step{Object: "volume " + name, Err: err != nil, Events: u.drain(), Ops: u.takeOps()}
}

// state is the cluster as the fake API server holds it after the pass.
func (u *upstream) state(c *cluster) *cluster {
	out := c.shallow()
	out.pvs = map[string]*v1.PersistentVolume{}
	for n, pv := range u.reactorVolumes() {
		out.pvs[n] = pv.DeepCopy()
	}
	out.pvcs = map[string]*v1.PersistentVolumeClaim{}
	for _, pvc := range u.reactorClaims() {
		out.pvcs[pvc.Namespace+"/"+pvc.Name] = pvc.DeepCopy()
	}
	return out
}
