//go:build kube135

package statefulsetdiff

import (
	"context"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	appsinformers "k8s.io/client-go/informers/apps/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller/history"
	sscontroller "k8s.io/kubernetes/pkg/controller/statefulset"
	"k8s.io/utils/clock"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

// The 1.35 constructors: as 1.34, and the controller reads a clock.

func newHistory(client clientset.Interface, revs appsinformers.ControllerRevisionInformer) history.Interface {
	return history.NewHistory(client, revs.Lister())
}

func newControl(client clientset.Interface, pods coreinformers.PodInformer, claims coreinformers.PersistentVolumeClaimInformer,
	sets appsinformers.StatefulSetInformer, rec record.EventRecorder, hist history.Interface) sscontroller.StatefulSetControlInterface {
	return sscontroller.NewDefaultStatefulSetControl(
		sscontroller.NewStatefulPodControl(client, pods.Lister(), claims.Lister(), rec),
		sscontroller.NewRealStatefulSetStatusUpdater(client, sets.Lister()), hist)
}

func wireController(ssc *sscontroller.StatefulSetController) {
	reach.Set(ssc, "clock", clock.PassiveClock(clock.RealClock{}))
}

func (h *historyRecorder) ListControllerRevisions(parent metav1.Object, selector labels.Selector) ([]*appsv1.ControllerRevision, error) {
	return h.list(h.Interface.ListControllerRevisions(parent, selector))
}

// UpdateStatefulSet is the control's UpdateStatefulSet at now.
func UpdateStatefulSet(c sscontroller.StatefulSetControlInterface, ctx context.Context, set *appsv1.StatefulSet, pods []*v1.Pod, now time.Time) (*appsv1.StatefulSetStatus, error) {
	return c.UpdateStatefulSet(ctx, set, pods, now)
}
