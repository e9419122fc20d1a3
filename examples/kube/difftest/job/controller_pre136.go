//go:build !kube136 && !kube137

package jobdiff

import (
	"context"
	_ "unsafe" // go:linkname

	batchinformers "k8s.io/client-go/informers/batch/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	clientset "k8s.io/client-go/kubernetes"
	jobcontroller "k8s.io/kubernetes/pkg/controller/job"
	"k8s.io/utils/clock"
)

//go:linkname newControllerWithClock k8s.io/kubernetes/pkg/controller/job.newControllerWithClock
func newControllerWithClock(ctx context.Context, podInformer coreinformers.PodInformer, jobInformer batchinformers.JobInformer, kubeClient clientset.Interface, clock clock.WithTicker) (*jobcontroller.Controller, error)

// newController builds the controller with a fake clock (before 1.36 it
// takes only the pod and Job informers).
func newController(ctx context.Context, pods coreinformers.PodInformer, jobs batchinformers.JobInformer, client clientset.Interface, clk clock.WithTicker) (*jobcontroller.Controller, error) {
	return newControllerWithClock(ctx, pods, jobs, client, clk)
}
