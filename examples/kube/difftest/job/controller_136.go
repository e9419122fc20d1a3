//go:build kube136

package jobdiff

import (
	"context"
	_ "unsafe" // go:linkname

	batchinformers "k8s.io/client-go/informers/batch/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	schedulinginformers "k8s.io/client-go/informers/scheduling/v1alpha2"
	clientset "k8s.io/client-go/kubernetes"
	jobcontroller "k8s.io/kubernetes/pkg/controller/job"
	"k8s.io/utils/clock"
)

//go:linkname newControllerWithClock k8s.io/kubernetes/pkg/controller/job.newControllerWithClock
func newControllerWithClock(ctx context.Context, kubeClient clientset.Interface, clock clock.WithTicker, podInformer coreinformers.PodInformer, jobInformer batchinformers.JobInformer, workloadInformer schedulinginformers.WorkloadInformer, podGroupInformer schedulinginformers.PodGroupInformer) (*jobcontroller.Controller, error)

// newController builds the controller with a fake clock. In 1.36 it also
// takes the scheduling/v1alpha2 Workload and PodGroup informers, which only
// WorkloadWithJob (off by default) needs; nil stands for both.
func newController(ctx context.Context, pods coreinformers.PodInformer, jobs batchinformers.JobInformer, client clientset.Interface, clk clock.WithTicker) (*jobcontroller.Controller, error) {
	return newControllerWithClock(ctx, client, clk, pods, jobs, nil, nil)
}
