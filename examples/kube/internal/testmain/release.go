package testmain

import "github.com/purectl/purectl/api"

// Release is the Kubernetes release the suite is built against, so that
// each suite asks purectl for the release whose controllers it runs. The
// module pins k8s.io/kubernetes v1.34.4; .ci/difftest-release rebuilds a
// copy against another release with the build tag kube1N that selects
// the matching kubeRelease constant (TestReleaseMatchesGoMod checks that
// the tag and go.mod agree).
func Release() api.Release { return api.Release{Version: kubeRelease} }
