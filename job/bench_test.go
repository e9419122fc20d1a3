package job

import (
	"fmt"
	"testing"
)

// benchIndexed is an Indexed Job of 100,000 completions with 10,000 pods:
// half the indexes done, 8,000 pods running (every tenth one ready), 1,000
// just succeeded and 1,000 just failed (finished ten minutes before, so the back-off is over).
func benchIndexed(blpi bool) (Job, Status, []Pod) {
	j := mkJob(indexed, completions(100_000), parallelism(10_000), backoffLimit(100_000))
	if blpi {
		j.Spec.BackoffLimit = nil
		j.Spec.BackoffLimitPerIndex = p32(2)
		j.Spec.MaxFailedIndexes = p32(5_000)
	}
	st := Status{StartTime: at(0), Succeeded: 50_000, CompletedIndexes: "0-49999"}
	if blpi {
		st.FailedIndexes = pstr("")
	}
	pods := make([]Pod, 0, 10_000)
	for i := 0; i < 10_000; i++ {
		ix := 50_000 + i
		phase := PodRunning
		switch {
		case i >= 9_000:
			phase = PodFailed
		case i >= 8_000:
			phase = PodSucceeded
		}
		p := Pod{Name: fmt.Sprintf("big-%d-x", ix), UID: fmt.Sprint("u", ix), Phase: phase, NodeName: "n",
			CreationTimestamp: at(i % 300), Finalizers: []string{TrackingFinalizer},
			Annotations: map[string]string{AnnotationCompletionIndex: fmt.Sprint(ix), AnnotationIndexFailureCount: "0"}}
		if phase == PodRunning && i%10 == 0 {
			p.Conditions = []PodCondition{{Type: PodReady, Status: ConditionTrue, LastTransitionTime: at(i % 300)}}
		}
		if phase != PodRunning {
			p.ContainerStatuses = []ContainerStatus{{Name: "main", Terminated: &ContainerTerminated{ExitCode: int32(i % 2), FinishedAt: at(400)}}}
		}
		pods = append(pods, p)
	}
	return j, st, pods
}

func BenchmarkJobProgressIndexed100kCompletions10kPods(b *testing.B) {
	j, st, pods := benchIndexed(false)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := JobProgress(j, st, pods, at(1000), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJobProgressIndexedPerIndexBackoff100k10kPods(b *testing.B) {
	j, st, pods := benchIndexed(true)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := JobProgress(j, st, pods, at(1000), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// Sanity of the benchmark scenario, so that it measures a real pass.
func TestBenchScenario(t *testing.T) {
	j, st, pods := benchIndexed(false)
	r := run(t, j, st, pods, at(1000))
	assert.Equal(t, int32(51_000), r.Status.Succeeded)
	assert.Equal(t, "0-49999,58000-58999", r.Status.CompletedIndexes)
	assert.Equal(t, int32(8_500), r.Status.Active, "500 creations at most per pass")
	assert.Equal(t, 500, len(r.Create))
	assert.Equal(t, 59_000, r.Create[0].Index, "the lowest index not succeeded nor running")
	assert.Len(t, r.RemoveFinalizers, 500, "at most 500 pods counted per pass")
}
