package adapt

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"

	"github.com/purectl/purectl/examples/kube/manifest"
)

// The documentation's manifests (examples/kube/testdata) survive the way
// back: converting an object, writing the result back with its V1
// function and converting again gives the same purectl value, for every
// kind the manifests hold that purectl reads. The DaemonSet's hash and the
// StatefulSet's update revision are computed from the full template and
// not compared.
func TestManifestsReadBackTheSame(t *testing.T) {
	files, err := filepath.Glob("../testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	seen := map[string]int{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := manifest.Read(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, o := range objs {
			var first, again any
			switch k := o.Obj.(type) {
			case *v1.Node:
				first, again = Node(k), Node(V1Node(Node(k)))
			case *appsv1.DaemonSet:
				a := DaemonSet(k)
				b := DaemonSet(V1DaemonSet(a))
				b.Spec.CurrentHash = a.Spec.CurrentHash
				first, again = a, b
			case *appsv1.StatefulSet:
				a := StatefulSet(k, nil)
				b := StatefulSet(V1StatefulSet(a))
				b.UpdateRevision = a.UpdateRevision
				first, again = a, b
			case *batchv1.Job:
				j, st := Job(k)
				j2, st2 := Job(V1Job(j, st))
				first, again = []any{j, st}, []any{j2, st2}
			case *batchv1.CronJob:
				first, again = CronJob(k), CronJob(V1CronJob(CronJob(k)))
			case *v1.PersistentVolume:
				a, err := PersistentVolume(k)
				if err != nil {
					t.Fatal(err)
				}
				b, err := PersistentVolume(V1PersistentVolume(a))
				if err != nil {
					t.Fatal(err)
				}
				first, again = a, b
			case *v1.PersistentVolumeClaim:
				a, err := PersistentVolumeClaim(k)
				if err != nil {
					t.Fatal(err)
				}
				b, err := PersistentVolumeClaim(V1PersistentVolumeClaim(a))
				if err != nil {
					t.Fatal(err)
				}
				first, again = a, b
			case *storagev1.StorageClass:
				first, again = StorageClass(k), StorageClass(V1StorageClass(StorageClass(k)))
			default:
				continue
			}
			seen[o.Kind]++
			if d := cmp.Diff(first, again, roundTripOpts...); d != "" {
				t.Errorf("%s %s %s (-first +again):\n%s", filepath.Base(file), o.Kind, o.Name, d)
			}
		}
	}
	for _, kind := range []string{"Node", "DaemonSet", "StatefulSet", "Job", "CronJob", "PersistentVolume", "PersistentVolumeClaim"} {
		if seen[kind] == 0 {
			t.Errorf("no %s in the manifests", kind)
		}
	}
}
