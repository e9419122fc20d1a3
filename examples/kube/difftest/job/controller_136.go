//go:build kube136 || kube137

package jobdiff

import (
	"context"
	_ "unsafe" // go:linkname

	batchinformers "k8s.io/client-go/informers/batch/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	jobcontroller "k8s.io/kubernetes/pkg/controller/job"
	"k8s.io/utils/clock"
)

// schedulingInformer stands for the Workload and PodGroup informers
// (scheduling/v1alpha2 in 1.36, v1beta1 in 1.37), which only WorkloadWithJob
// (off by default) uses; the suite passes nil for both, an interface value
// of the same shape whichever interface type the release declares, so that
// one file serves both releases (and go mod tidy, which reads every build
// tag, need not find a package only one of them has).
type schedulingInformer interface {
	Informer() cache.SharedIndexInformer
}

//go:linkname newControllerWithClock k8s.io/kubernetes/pkg/controller/job.newControllerWithClock
func newControllerWithClock(ctx context.Context, kubeClient clientset.Interface, clock clock.WithTicker, podInformer coreinformers.PodInformer, jobInformer batchinformers.JobInformer, workloadInformer, podGroupInformer schedulingInformer) (*jobcontroller.Controller, error)

// newController builds the controller with a fake clock. From 1.36 it also
// takes the Workload and PodGroup informers; nil stands for both.
func newController(ctx context.Context, pods coreinformers.PodInformer, jobs batchinformers.JobInformer, client clientset.Interface, clk clock.WithTicker) (*jobcontroller.Controller, error) {
	return newControllerWithClock(ctx, client, clk, pods, jobs, nil, nil)
}
