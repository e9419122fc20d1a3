//go:build !kube136 && !kube137

package jobdiff

import batchv1 "k8s.io/api/batch/v1"

// MarkWritesUnobserved stands for a controller whose informers lag behind
// its own last Job status write. Before 1.36 the controller keeps no
// record of its writes and acts on what its informers hold, so there is
// nothing to mark.
func (u *Upstream) MarkWritesUnobserved(*batchv1.Job) error { return nil }

// staleCache says whether syncJob returned because its informers lag
// behind its writes; before 1.36 it never does.
func staleCache(error) bool { return false }
