package manifest

import (
	"os"
	"path/filepath"
	"testing"
)

// The examples from the Kubernetes documentation decode strictly.
func TestDocumentationExamplesDecode(t *testing.T) {
	want := map[string][]string{
		"daemonset.yaml":   {"DaemonSet"},
		"statefulset.yaml": {"Service", "StatefulSet"},
		"job.yaml":         {"Job"},
		"cronjob.yaml":     {"CronJob"},
		"volume.yaml":      {"PersistentVolume", "PersistentVolumeClaim", "PersistentVolume"},
		"nodes.yaml":       {"Node", "Node", "Node"},
	}
	for file, kinds := range want {
		f, err := os.Open(filepath.Join("..", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		objs, err := Read(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(objs) != len(kinds) {
			t.Fatalf("%s: %d objects, want %d", file, len(objs), len(kinds))
		}
		for i, k := range kinds {
			if objs[i].Kind != k {
				t.Errorf("%s[%d]: kind %s, want %s", file, i, objs[i].Kind, k)
			}
		}
	}
}
