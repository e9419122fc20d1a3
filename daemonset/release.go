package daemonset

import "github.com/purectl/purectl/api"

// Release names the Kubernetes release to follow, and optionally single
// feature gates to override; the zero value is the newest supported release
// (api.Newest). See api.Release.
type Release = api.Release

// Options are PlanDaemonSet's settings that are not observed state.
type Options struct {
	// Release is the Kubernetes release whose DaemonSet controller to follow.
	Release Release
	// Nodes, when set, is the pass's node list as an index built by
	// IndexNodes; the nodes argument of PlanDaemonSet must then be nil.
	// The plan is the same as with the nodes themselves, only faster on
	// large fleets.
	Nodes *NodeIndex
}
