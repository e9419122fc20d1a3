package bench

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"testing"
	"time"
	_ "unsafe" // go:linkname

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/daemon"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/reach"
)

//go:linkname syncDaemonSet k8s.io/kubernetes/pkg/controller/daemon.(*DaemonSetsController).syncDaemonSet
func syncDaemonSet(dsc *daemon.DaemonSetsController, ctx context.Context, key string) error

// dsNopQueue stands in for the controller's work queue, which would start
// goroutines; a pass only ever adds to it.
type dsNopQueue struct {
	workqueue.TypedRateLimitingInterface[string]
}

func (dsNopQueue) AddAfter(string, time.Duration) {}
func (dsNopQueue) Add(string)                     {}

// realDaemonSet is Kubernetes' DaemonSet controller fed from informer stores
// holding the benchmark's cluster, with a fake pod control and clientset.
type realDaemonSet struct {
	dsc    *daemon.DaemonSetsController
	client *fake.Clientset
	key    string
	pc     *controller.FakePodControl
}

func newRealDaemonSet(ds *appsv1.DaemonSet, ns []*v1.Node, pods []*v1.Pod, now time.Time) *realDaemonSet {
	klog.SetOutput(io.Discard)
	client := fake.NewClientset(ds.DeepCopy())
	f := informers.NewSharedInformerFactory(client, 0)
	clk := testingclock.NewFakeClock(now)
	dsc, err := daemon.NewDaemonSetsController(context.Background(), f.Apps().V1().DaemonSets(), f.Apps().V1().ControllerRevisions(),
		f.Core().V1().Pods(), f.Core().V1().Nodes(), client, flowcontrol.NewFakeBackOff(time.Second, 15*time.Minute, clk))
	if err != nil {
		panic(err)
	}
	reach.Get(dsc, "queue").(workqueue.TypedRateLimitingInterface[string]).ShutDown()
	reach.Get(dsc, "nodeUpdateQueue").(workqueue.TypedRateLimitingInterface[string]).ShutDown()
	reach.Get(dsc, "eventBroadcaster").(record.EventBroadcaster).Shutdown()
	reach.Set(dsc, "queue", workqueue.TypedRateLimitingInterface[string](dsNopQueue{}))
	dsMust(f.Apps().V1().DaemonSets().Informer().GetIndexer().Add(ds))
	for _, n := range ns {
		dsMust(f.Core().V1().Nodes().Informer().GetIndexer().Add(n))
	}
	for _, p := range pods {
		dsMust(f.Core().V1().Pods().Informer().GetIndexer().Add(p))
	}
	r := &realDaemonSet{dsc: dsc, client: client, key: ds.Namespace + "/" + ds.Name}
	// The first pass stores the current ControllerRevision; the informer
	// then holds it, as it would in a running cluster.
	r.pass()
	revs, err := client.AppsV1().ControllerRevisions(ds.Namespace).List(context.Background(), metav1.ListOptions{})
	dsMust(err)
	for i := range revs.Items {
		dsMust(f.Apps().V1().ControllerRevisions().Informer().GetIndexer().Add(&revs.Items[i]))
	}
	return r
}

// pass is one syncDaemonSet with every earlier write observed.
func (r *realDaemonSet) pass() {
	reach.Set(r.dsc, "expectations", controller.ControllerExpectationsInterface(controller.NewControllerExpectations()))
	r.pc = &controller.FakePodControl{}
	reach.Set(r.dsc, "podControl", controller.PodControlInterface(r.pc))
	if err := syncDaemonSet(r.dsc, context.Background(), r.key); err != nil {
		panic(err)
	}
}

func (r *realDaemonSet) status(ds *appsv1.DaemonSet) appsv1.DaemonSetStatus {
	got, err := r.client.AppsV1().DaemonSets(ds.Namespace).Get(context.Background(), ds.Name, metav1.GetOptions{})
	dsMust(err)
	return got.Status
}

func dsMust(err error) {
	if err != nil {
		panic(err)
	}
}

// daemonSetUpstreamPair builds the cluster of the benchmark pair: n nodes
// (12 labels, some taints), a ready up-to-date pod on every other node, so
// a pass has thousands of creates of which 250 are issued. It runs one pass
// of each side and reports how they disagree, if they do.
func daemonSetUpstreamPair(n int) (real *realDaemonSet, ourNodes []daemonset.Node, ourPods []daemonset.Pod, ds daemonset.DaemonSet, disagree string) {
	k8sDS := benchDaemonSet()
	appsdefaults.SetObjectDefaults_DaemonSet(k8sDS)
	ns := nodes(n)
	ds = adapt.DaemonSet(k8sDS)
	k8sPods := daemonPods(k8sDS, ns, ds.Spec.CurrentHash)
	ourNodes = adapt.Nodes(ns)
	ourPods = make([]daemonset.Pod, len(k8sPods))
	for i, p := range k8sPods {
		ourPods[i] = adapt.DaemonPod(p)
	}
	real = newRealDaemonSet(k8sDS, ns, k8sPods, benchNow)
	real.pass()
	plan, err := daemonset.PlanDaemonSet(ourNodes, ourPods, ds, benchNow, daemonset.Options{})
	if err != nil {
		return nil, nil, nil, ds, err.Error()
	}
	want := real.status(k8sDS)
	got := adapt.DaemonSetStatus(k8sDS, plan.Status)
	// The controller issues the first 250 creates in its informer's order,
	// purectl those of the first 250 node names: compare how many.
	if len(real.pc.Templates) != len(plan.Creates) || len(real.pc.DeletePodName) != len(plan.Deletes) || !apiequality.Semantic.DeepEqual(want, got) {
		disagree = fmt.Sprintf("controller %d creates, %d deletes, status %+v; purectl %d creates (+%d deferred), %d deletes, status %+v",
			len(real.pc.Templates), len(real.pc.DeletePodName), want, len(plan.Creates), plan.DeferredCreates, len(plan.Deletes), got)
	}
	return real, ourNodes, ourPods, ds, disagree
}

// TestDaemonSetUpstreamPairAgrees keeps the benchmark pair honest where CI
// runs no benchmarks: at 600 nodes both sides plan the same pass.
func TestDaemonSetUpstreamPairAgrees(t *testing.T) {
	if _, _, _, _, msg := daemonSetUpstreamPair(600); msg != "" {
		t.Fatal(msg)
	}
}

// benchmarkDaemonSetUpstream is one pass of Kubernetes' own syncDaemonSet
// and one purectl pass over the same cluster, checked to agree first.
func benchmarkDaemonSetUpstream(b *testing.B, n int) {
	real, ourNodes, ourPods, ds, msg := daemonSetUpstreamPair(n)
	if msg != "" {
		b.Fatal(msg)
	}

	b.Run("kubernetes", func(b *testing.B) {
		perNode(b, n, func() { real.pass() })
	})
	b.Run("purectl", func(b *testing.B) {
		perNode(b, n, func() {
			if _, err := daemonset.PlanDaemonSet(ourNodes, ourPods, ds, benchNow, daemonset.Options{}); err != nil {
				b.Fatal(err)
			}
		})
	})
	// The pass over an index of the nodes, built once outside the loop as
	// a caller planning many DaemonSets over one fleet builds it; the
	// index gives the plan of the node list.
	ix, err := daemonset.IndexNodes(ourNodes)
	if err != nil {
		b.Fatal(err)
	}
	want, _ := daemonset.PlanDaemonSet(ourNodes, ourPods, ds, benchNow, daemonset.Options{})
	if got, err := daemonset.PlanDaemonSet(nil, ourPods, ds, benchNow, daemonset.Options{Nodes: ix}); err != nil || !reflect.DeepEqual(want, got) {
		b.Fatalf("the indexed pass differs: %v", err)
	}
	b.Run("purectl-indexed", func(b *testing.B) {
		perNode(b, n, func() {
			if _, err := daemonset.PlanDaemonSet(nil, ourPods, ds, benchNow, daemonset.Options{Nodes: ix}); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkDaemonSetUpstream compares Kubernetes' syncDaemonSet with
// PlanDaemonSet at the sizes.
func BenchmarkDaemonSetUpstream(b *testing.B) {
	for _, n := range []int{5000, 100000} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) { benchmarkDaemonSetUpstream(b, n) })
	}
}

// perNode runs pass as the benchmark loop and reports its wall-clock and
// CPU time per node. The CPU time is the benchmark thread's own (the
// controller's pass runs some work on other goroutines, which it misses),
// and stays meaningful when other processes share the machine.
func perNode(b *testing.B, n int, pass func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	c0, ok := threadCPU()
	for b.Loop() {
		pass()
	}
	c1, _ := threadCPU()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/node")
	if ok {
		b.ReportMetric(float64((c1-c0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/node")
	}
}
