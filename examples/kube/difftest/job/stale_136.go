//go:build kube136 || kube137

package jobdiff

import (
	"errors"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

// MarkWritesUnobserved makes the controller's informers lag behind its own
// last Job status write: the Job store has seen resource version 100 and
// the consistency store (StaleControllerConsistencyJob) records a write at
// 101, so syncJob waits (EnsureReady) instead of acting.
func (u *Upstream) MarkWritesUnobserved(job *batchv1.Job) error {
	if err := u.jobs.Replace([]any{job}, "100"); err != nil {
		return err
	}
	store, ok := reach.Get(u.jm, "consistencyStore").(interface {
		WroteAt(types.NamespacedName, types.UID, schema.GroupResource, string)
	})
	if !ok {
		return fmt.Errorf("the controller has no consistency store")
	}
	store.WroteAt(types.NamespacedName{Namespace: job.Namespace, Name: job.Name}, job.UID,
		schema.GroupResource{Group: "batch", Resource: "jobs"}, "101")
	return nil
}

// staleCache says whether syncJob returned because its informers lag
// behind its writes: a *ConsistencyError of pkg/controller/util/
// consistency, recognised by its type name so that this file does not
// import a package 1.35 lacks (go mod tidy reads every build tag).
func staleCache(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if fmt.Sprintf("%T", err) == "*consistency.ConsistencyError" {
			return true
		}
	}
	return false
}
