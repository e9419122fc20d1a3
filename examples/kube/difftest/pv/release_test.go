package pv

import (
	"fmt"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// release is the release the current case follows: the one the suite is
// built for, with the gates drawn for the case (useRelease switches the
// running Kubernetes code alike).
var release = testmain.Release()

// drawGates draws the gates a case turns away from the release's defaults:
// on 1.34 and 1.35, where VolumeAttributesClass may still be disabled, it
// is off in a quarter of the cases; later releases lock it on.
func drawGates(t *rapid.T) map[api.Gate]bool {
	if testmain.Release().AtLeast("1.36") || rapid.IntRange(0, 3).Draw(t, "vacOff") > 0 {
		return nil
	}
	return map[api.Gate]bool{api.VolumeAttributesClass: false}
}

// useRelease makes the suite's release, with gates overriding its
// defaults, the one purectl is asked for and the one the Kubernetes code
// in this process runs with (its global feature gate); every gate the
// suite may turn is reset first, so cases do not leak into each other.
func useRelease(gates map[api.Gate]bool) error {
	set := map[string]bool{}
	for _, g := range []api.Gate{api.VolumeAttributesClass, api.PersistentVolumeClaimUnusedSinceTime} {
		if _, known := gateInfo(g); known {
			set[string(g)] = testmain.Release().Enabled(g)
		}
	}
	for g, on := range gates {
		if _, known := gateInfo(g); !known {
			return fmt.Errorf("release %s has no gate %s", testmain.Release(), g)
		}
		set[string(g)] = on
	}
	release = testmain.Release()
	release.FeatureGates = gates
	return utilfeature.DefaultMutableFeatureGate.SetFromMap(set)
}

func gateInfo(g api.Gate) (api.GateInfo, bool) {
	for _, info := range testmain.Release().Gates() {
		if info.Gate == g {
			return info, true
		}
	}
	return api.GateInfo{}, false
}
