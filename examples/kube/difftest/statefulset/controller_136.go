//go:build kube136 || kube137

package statefulsetdiff

import (
	"context"
	"reflect"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	appsinformers "k8s.io/client-go/informers/apps/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller/history"
	sscontroller "k8s.io/kubernetes/pkg/controller/statefulset"
	"k8s.io/utils/clock"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

// The 1.36 constructors: a consistency store (a fresh controller has
// recorded no write, so it never holds a pass back: the stale-cache skip
// is pinned by purectl's own tests), a history that may use an index, and
// a clock on the controller.

// noStore is a consistency store that records nothing, written here rather
// than imported: go mod tidy reads every build tag's imports, and the
// package does not exist before 1.36.
type noStore struct{}

func (noStore) WroteAt(types.NamespacedName, types.UID, schema.GroupResource, string) {}
func (noStore) Clear(types.NamespacedName, types.UID)                                 {}
func (noStore) EnsureReady(types.NamespacedName) error                                { return nil }

func newHistory(client clientset.Interface, revs appsinformers.ControllerRevisionInformer) history.Interface {
	return history.NewHistory(client, revs.Lister(), nil)
}

func newControl(client clientset.Interface, pods coreinformers.PodInformer, claims coreinformers.PersistentVolumeClaimInformer,
	sets appsinformers.StatefulSetInformer, rec record.EventRecorder, hist history.Interface) sscontroller.StatefulSetControlInterface {
	return sscontroller.NewDefaultStatefulSetControl(
		sscontroller.NewStatefulPodControl(client, pods.Lister(), claims.Lister(), rec, noStore{}),
		sscontroller.NewRealStatefulSetStatusUpdater(client, sets.Lister(), noStore{}), hist)
}

func wireController(ssc *sscontroller.StatefulSetController) {
	reach.Set(ssc, "clock", clock.PassiveClock(clock.RealClock{}))
	reach.Field(ssc, "consistencyStore").Set(reflect.ValueOf(noStore{}))
}

func (h *historyRecorder) ListControllerRevisions(parent metav1.Object, kind schema.GroupVersionKind, selector labels.Selector) ([]*appsv1.ControllerRevision, error) {
	return h.list(h.Interface.ListControllerRevisions(parent, kind, selector))
}

// UpdateStatefulSet is the control's UpdateStatefulSet at now.
func UpdateStatefulSet(c sscontroller.StatefulSetControlInterface, ctx context.Context, set *appsv1.StatefulSet, pods []*v1.Pod, now time.Time) (*appsv1.StatefulSetStatus, error) {
	return c.UpdateStatefulSet(ctx, set, pods, now)
}
