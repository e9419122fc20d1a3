package adapt

import (
	"os"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/examples/kube/manifest"
	"github.com/purectl/purectl/statefulset"
)

func readOne[T any](t *testing.T, file, kind string) T {
	t.Helper()
	f, err := os.Open("../testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	objs, err := manifest.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if o.Kind == kind {
			return o.Obj.(T)
		}
	}
	t.Fatalf("no %s in %s", kind, file)
	var zero T
	return zero
}

// The documentation's web StatefulSet driven through the adapters in both
// directions: every created pod and claim is a real k8s object, converted
// back as observed, made Running and Ready, until the set has 3 pods
// web-0..2, each with claim www-web-<n>, created in ordinal order.
func TestStatefulSetConvergesThroughAdapters(t *testing.T) {
	ss := readOne[*appsv1.StatefulSet](t, "statefulset.yaml", "StatefulSet")
	ss.Namespace, ss.UID = "default", types.UID("uid-web")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var pods []*v1.Pod
	var claims []*v1.PersistentVolumeClaim
	var order []string
	for pass := 0; pass < 20; pass++ {
		var ps []statefulset.Pod
		for _, p := range pods {
			ps = append(ps, StatefulPod(p))
		}
		var cs []statefulset.Claim
		for _, c := range claims {
			cs = append(cs, StatefulClaim(c))
		}
		res, err := statefulset.NextStatefulAction(StatefulSet(ss, nil), ps, cs, now, statefulset.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Actions {
			switch a.Type {
			case statefulset.CreateClaim:
				c := StatefulClaimFor(ss, a)
				if c.Spec.Resources.Requests.Storage().String() != "1Gi" {
					t.Fatalf("claim %s lost its template spec: %+v", c.Name, c.Spec)
				}
				claims = append(claims, c)
			case statefulset.CreatePod:
				p := StatefulPodFor(ss, a)
				if p.Spec.Hostname != p.Name || p.Spec.Subdomain != "nginx" || p.Spec.Volumes[0].PersistentVolumeClaim == nil {
					t.Fatalf("pod %s lacks its identity: %+v", p.Name, p.Spec)
				}
				p.UID = types.UID("uid-" + p.Name)
				order = append(order, p.Name)
				pods = append(pods, p)
			default:
				t.Fatalf("unexpected action %s", a.Type)
			}
		}
		// The kubelet runs every pod; readiness was reached a minute ago so
		// minReadySeconds (10) has passed.
		for _, p := range pods {
			p.Status.Phase = v1.PodRunning
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(now.Add(-time.Minute))}}
		}
		if len(res.Actions) == 0 && len(pods) == 3 {
			st := StatefulSetStatus(ss, res.Status)
			if st.ReadyReplicas != 3 || st.AvailableReplicas != 3 {
				t.Fatalf("status %+v", st)
			}
			if want := []string{"web-0", "web-1", "web-2"}; len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
				t.Fatalf("creation order %v", order)
			}
			for i, c := range claims {
				if want := "www-web-" + string(rune('0'+i)); c.Name != want {
					t.Fatalf("claim %d is %s, want %s", i, c.Name, want)
				}
			}
			return
		}
	}
	t.Fatalf("did not converge: %d pods, %d claims", len(pods), len(claims))
}
