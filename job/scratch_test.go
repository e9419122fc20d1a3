package job

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Passes reuse their per-pod lists through a pool; whatever an earlier
// pass (larger, smaller, of another mode, in another goroutine) left
// there must never show in a result. Each input is planned alone first,
// then all of them many times over in parallel (run under -race in CI).
func TestPassesShareScratchMemoryWithoutEffect(t *testing.T) {
	type input struct {
		j    Job
		st   Status
		pods []Pod
	}
	var ins []input
	for _, blpi := range []bool{false, true} {
		j, st, pods := benchIndexed(blpi)
		ins = append(ins, input{j, st, pods})
		ins = append(ins, input{j, st, pods[:37]}) // a shorter list right after a long one
	}
	small := mkJob(completions(5), parallelism(3))
	ins = append(ins, input{small, Status{StartTime: at(0)}, []Pod{pod("a", PodRunning, 0), pod("b", PodSucceeded, 0, exited("main", 0, 5)),
		pod("c", PodFailed, 0, exited("main", 1, 6))}})
	ins = append(ins, input{mkJob(indexed, completions(4), parallelism(4)), Status{}, nil})

	want := make([]Result, len(ins))
	for i, in := range ins {
		r, err := JobProgress(in.j, in.st, in.pods, at(1000), Options{})
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
		want[i] = r
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				for k := range ins {
					i := (k + g + round) % len(ins) // each goroutine in its own order
					r, err := JobProgress(ins[i].j, ins[i].st, ins[i].pods, at(1000), Options{})
					if err != nil {
						errs <- err.Error()
						return
					}
					if d := cmp.Diff(want[i], r); d != "" {
						errs <- d
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for d := range errs {
		t.Fatalf("a pass differs from the same pass planned alone:\n%s", d)
	}
}
