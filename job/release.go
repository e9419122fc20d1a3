package job

import "github.com/purectl/purectl/api"

// Release names the Kubernetes release to follow, and optionally single
// feature gates to override; the zero value is the newest supported release
// (api.Newest). See api.Release.
type Release = api.Release

// Gate is the name of a Kubernetes feature gate (see api.Gate).
type Gate = api.Gate

// Options are JobProgress's settings that are not observed state.
type Options struct {
	// Release is the Kubernetes release whose Job controller to follow.
	Release Release
}

// The gates that change what this package decides, validates or defaults.
const (
	JobManagedBy                                = api.JobManagedBy
	StaleControllerConsistencyJob               = api.StaleControllerConsistencyJob
	MutableSchedulingDirectivesForSuspendedJobs = api.MutableSchedulingDirectivesForSuspendedJobs
	MutablePodResourcesForSuspendedJobs         = api.MutablePodResourcesForSuspendedJobs
	WorkloadWithJob                             = api.WorkloadWithJob
)
