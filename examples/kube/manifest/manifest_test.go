package manifest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
)

func TestReadMultiDocument(t *testing.T) {
	in := `# leading comment
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels: {name: fluentd}
  template:
    metadata:
      labels: {name: fluentd}
    spec:
      containers:
      - name: fluentd
        image: fluentd:v1
---
---
# only a comment
--- 
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: node-1}
- apiVersion: v1
  kind: Node
  metadata: {name: node-2}
`
	objs, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("got %d objects, want 3", len(objs))
	}
	ds, ok := objs[0].Obj.(*appsv1.DaemonSet)
	if !ok || ds.Name != "fluentd" || ds.Spec.Template.Spec.Containers[0].Image != "fluentd:v1" {
		t.Fatalf("first object %#v", objs[0])
	}
	if n, ok := objs[2].Obj.(*v1.Node); !ok || n.Name != "node-2" {
		t.Fatalf("third object %#v", objs[2])
	}
}

func TestReadKeepsUndecodedKindsWithoutObject(t *testing.T) {
	in := "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\n" +
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {anything: goes}\n---\n" +
		"apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n"
	objs, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		Index            int
		APIVersion, Kind string
		Name             string
		Decoded          bool
	}
	var got []seen
	for _, o := range objs {
		got = append(got, seen{o.Index, o.APIVersion, o.Kind, o.Name, o.Obj != nil})
	}
	want := []seen{{1, "example.com/v1", "Widget", "w", false}, {2, "apps/v1", "Deployment", "web", false}, {3, "v1", "Node", "node-a", true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("objects (-want +got):\n%s", diff)
	}
}

func TestReadErrorsNameDocumentAndField(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"apiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  replica: 3\n",
			[]string{"document 2", `DaemonSet "ds"`, `unknown field "spec.replica"`}},
		{"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  replicas: three\n",
			[]string{"document 1", `StatefulSet "web"`, "replicas"}},
		{"metadata: {name: x}\n", []string{"document 1", "apiVersion and kind are required"}},
		{"a: [\n", []string{"document 1", "not valid YAML"}},
		{"apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        imagee: perl\n",
			[]string{"document 1", `Job "pi"`, `unknown field "spec.template.spec.containers[0].imagee"`}},
	}
	for _, c := range cases {
		_, err := Read(strings.NewReader(c.in))
		if err == nil {
			t.Errorf("%q: no error", c.in)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not mention %q", err, w)
			}
		}
	}
}
