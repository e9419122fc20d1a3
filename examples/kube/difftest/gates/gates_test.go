// Package gates checks purectl's per-release feature-gate table against
// the feature gate that the real release registers: every gate purectl
// lists must be registered with the same default, stage and lock, and
// every gate kube_features.go registers must be in purectl's table. Run
// against each release with .ci/difftest-release.
package gates

import (
	"os"
	"strings"
	"testing"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	"k8s.io/kubernetes/pkg/features"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// TestMain silences the feature gate's warnings about setting GA gates,
// which every override test provokes.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m, "")) }

// registered is every gate the release's kube-controller-manager knows,
// at the release's own version (no emulation).
func registered() map[featuregate.Feature]featuregate.FeatureSpec {
	_ = features.MaxUnavailableStatefulSet // links kube_features.go's registration
	return utilfeature.DefaultMutableFeatureGate.GetAll()
}

func TestGateTableMatchesRelease(t *testing.T) {
	rel := testmain.Release()
	real := registered()
	ours := rel.Gates()
	if len(ours) == 0 {
		t.Fatalf("purectl lists no gates for %s", rel)
	}
	for _, g := range ours {
		spec, ok := real[featuregate.Feature(g.Gate)]
		if !ok {
			t.Errorf("%s: purectl lists %s, which the release does not register", rel, g.Gate)
			continue
		}
		if spec.Default != g.Default || string(spec.PreRelease) != stage(g.Stage) || spec.LockToDefault != g.Locked {
			t.Errorf("%s: %s: purectl default=%v stage=%s locked=%v; release default=%v stage=%q locked=%v",
				rel, g.Gate, g.Default, g.Stage, g.Locked, spec.Default, spec.PreRelease, spec.LockToDefault)
		}
	}
}

// The gates purectl names as constants must each be registered by some
// supported release, and Enabled must answer as the release's feature
// gate does for the ones this release registers.
func TestEnabledMatchesRelease(t *testing.T) {
	rel := testmain.Release()
	real := registered()
	for _, g := range rel.Gates() {
		spec := real[featuregate.Feature(g.Gate)]
		if got := rel.Enabled(g.Gate); got != spec.Default {
			t.Errorf("%s: Enabled(%s) = %v, release default %v", rel, g.Gate, got, spec.Default)
		}
	}
	// An override is what the release's gate does after Set, and is
	// refused exactly when the release refuses it, in its words (a gate
	// whose dependencies would be off, from 1.35).
	for _, g := range rel.Gates() {
		if g.Locked {
			continue
		}
		fg := utilfeature.DefaultMutableFeatureGate.DeepCopy()
		realErr := fg.SetFromMap(map[string]bool{string(g.Gate): !g.Default})
		r := api.Release{Version: rel.Version, FeatureGates: map[api.Gate]bool{g.Gate: !g.Default}}
		errs := r.Check("release")
		if (realErr != nil) != (len(errs) > 0) {
			t.Errorf("%s: %s=%v: release error %v, purectl %v", rel, g.Gate, !g.Default, realErr, errs)
			continue
		}
		for _, e := range errs {
			if !strings.Contains(realErr.Error(), e.Detail) {
				t.Errorf("%s: %s=%v: purectl says %q, the release %q", rel, g.Gate, !g.Default, e.Detail, realErr)
			}
		}
		if realErr == nil && r.Enabled(g.Gate) != fg.Enabled(featuregate.Feature(g.Gate)) {
			t.Errorf("%s: %s=%v: purectl Enabled %v, release %v", rel, g.Gate, !g.Default, r.Enabled(g.Gate), fg.Enabled(featuregate.Feature(g.Gate)))
		}
	}
}

// Every gate the release registers (kube_features.go, and client-go's
// through the adapter) is in purectl's table, so a cluster's own
// --feature-gates value is accepted as the cluster accepts it.
func TestEveryRegisteredGateIsKnown(t *testing.T) {
	rel := testmain.Release()
	ours := map[api.Gate]bool{}
	for _, g := range rel.Gates() {
		ours[g.Gate] = true
	}
	for name := range registered() {
		if name == "AllAlpha" || name == "AllBeta" {
			continue // the flag's two wildcards, not gates of their own
		}
		if !ours[api.Gate(name)] {
			t.Errorf("%s registers %s; purectl's table lacks it", rel, name)
		}
	}
}

// A locked gate set to its other value is refused by both.
func TestLockedGatesRefusedByBoth(t *testing.T) {
	rel := testmain.Release()
	n := 0
	for _, g := range rel.Gates() {
		if !g.Locked {
			continue
		}
		n++
		fg := utilfeature.DefaultMutableFeatureGate.DeepCopy()
		realErr := fg.SetFromMap(map[string]bool{string(g.Gate): !g.Default})
		ourErr := api.Release{Version: rel.Version, FeatureGates: map[api.Gate]bool{g.Gate: !g.Default}}.Check("release")
		if (realErr != nil) != (len(ourErr) > 0) {
			t.Errorf("%s: %s=%v: release error %v, purectl %v", rel, g.Gate, !g.Default, realErr, ourErr)
		}
	}
	if n == 0 {
		t.Fatalf("%s: no locked gates; the table lost its locks", rel)
	}
}

// stage maps purectl's stage names to featuregate's spelling.
func stage(s string) string {
	return map[string]string{"PreAlpha": string(featuregate.PreAlpha), "Alpha": string(featuregate.Alpha),
		"Beta": string(featuregate.Beta), "GA": string(featuregate.GA), "Deprecated": string(featuregate.Deprecated)}[s]
}
