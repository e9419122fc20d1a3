package job

import "github.com/purectl/purectl/api"

// Release names the Kubernetes release to follow, and optionally single
// feature gates to override; the zero value is the newest supported release
// (api.Newest). See api.Release.
type Release = api.Release

// Options are JobProgress's settings that are not observed state.
type Options struct {
	// Release is the Kubernetes release whose Job controller to follow.
	Release Release
}
