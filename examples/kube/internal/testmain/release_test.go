package testmain

import (
	"os"
	"regexp"
	"testing"
)

// The build tag must name the release go.mod pins, or every comparison
// would be against the wrong rules.
func TestReleaseMatchesGoMod(t *testing.T) {
	r := Release()
	if errs := r.Check("release"); len(errs) > 0 {
		t.Fatalf("release %q: %v", r.Version, errs)
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*k8s\.io/kubernetes v1\.(\d+)\.`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require k8s.io/kubernetes")
	}
	if want := "1." + string(m[1]); r.String() != want {
		t.Fatalf("built for %s but go.mod pins k8s.io/kubernetes %s.x (build with -tags kube1%s)", r, want, m[1])
	}
}
