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
	// FailedCreates are the positions in Result.Create of the pod creates
	// the API server refused when the caller issued them, batch by batch
	// (CreateBatches), after a call with the same inputs. Called again
	// with them, JobProgress gives the pass the controller makes then:
	// Create keeps the creations up to the end of the first batch with a
	// failure (the ones issued), and the active count, the status writes
	// and everything that follows from them leave out the pods that failed
	// or were never tried. The controller's pass then fails and is retried
	// with its rate limit. A create refused because the namespace is being
	// deleted is not a failure here: the controller counts such a pod as
	// made.
	FailedCreates []int
}

// The gates that change what this package decides, validates or defaults.
const (
	JobManagedBy                                = api.JobManagedBy
	StaleControllerConsistencyJob               = api.StaleControllerConsistencyJob
	MutableSchedulingDirectivesForSuspendedJobs = api.MutableSchedulingDirectivesForSuspendedJobs
	MutablePodResourcesForSuspendedJobs         = api.MutablePodResourcesForSuspendedJobs
	WorkloadWithJob                             = api.WorkloadWithJob
)
