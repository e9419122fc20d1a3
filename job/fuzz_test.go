package job

import (
	"fmt"
	"testing"
	"time"

	"github.com/purectl/purectl/internal/indexset"
)

// podsFromBytes turns every 4 bytes into a pod: phase, index, flags, time.
func podsFromBytes(b []byte) []Pod {
	phases := []PodPhase{PodPending, PodRunning, PodSucceeded, PodFailed, PodUnknown, ""}
	var pods []Pod
	for i := 0; i+4 <= len(b) && len(pods) < 64; i += 4 {
		ph, ix, fl, tm := b[i], b[i+1], b[i+2], b[i+3]
		p := Pod{Name: fmt.Sprintf("p%d", i/4%7), UID: fmt.Sprint(i / 4), Phase: phases[int(ph)%len(phases)],
			CreationTimestamp: at(int(tm))}
		if fl&1 != 0 {
			p.Finalizers = []string{TrackingFinalizer}
		}
		if fl&2 != 0 {
			p.DeletionTimestamp = at(int(tm) + 5)
			p.DeletionGracePeriodSeconds = p64(int64(fl >> 4))
		}
		if fl&4 != 0 {
			p.Conditions = append(p.Conditions, PodCondition{Type: PodReady, Status: ConditionTrue, LastTransitionTime: at(int(tm))})
		}
		if fl&8 != 0 {
			p.Conditions = append(p.Conditions, PodCondition{Type: PodDisruptionTarget, Status: ConditionTrue})
		}
		if ix != 255 {
			p.Annotations = map[string]string{AnnotationCompletionIndex: fmt.Sprint(int(ix) - 2),
				AnnotationIndexFailureCount: fmt.Sprint(int(fl>>5) - 1)}
		}
		p.ContainerStatuses = []ContainerStatus{{Name: "main", RestartCount: int32(fl >> 6),
			Terminated: &ContainerTerminated{ExitCode: int32(ph >> 3), FinishedAt: at(int(tm) + int(ph>>4))}}}
		if ph&4 != 0 {
			p.ContainerStatuses[0].Terminated = nil
		}
		pods = append(pods, p)
	}
	return pods
}

func FuzzJobProgress(f *testing.F) {
	f.Add(int32(6), int32(2), uint16(0), "", "", []byte{1, 255, 1, 0, 2, 255, 1, 3, 3, 255, 1, 9}, int64(30))
	f.Add(int32(4), int32(3), uint16(1|4|8), "0,2", "1", []byte{1, 2, 1, 0, 3, 3, 33, 1, 2, 4, 1, 2, 1, 2, 5, 7}, int64(100))
	f.Add(int32(-1), int32(5), uint16(2|16|32), "", "", []byte{3, 255, 3, 0, 0, 255, 1, 1}, int64(700))
	f.Add(int32(3), int32(0), uint16(64|128), "x,1-9", "", []byte{1, 3, 7, 1}, int64(0))
	f.Fuzz(func(t *testing.T, completions, parallelism int32, flags uint16, completed, failedIdx string, podBytes []byte, now int64) {
		j := mkJob(parallelism0(parallelism))
		if completions >= 0 || completions < -1 {
			// Negative completions too: validation rejects them, the
			// controller (and so JobProgress) acts on them anyway.
			j.Spec.Completions = p32(completions % 1000)
		}
		if flags&1 != 0 {
			j.Spec.CompletionMode = Indexed
		}
		if flags&2 != 0 {
			j.Spec.BackoffLimit = p32(int32(flags>>8)%5 - 1)
		}
		if flags&4 != 0 {
			j.Spec.BackoffLimitPerIndex = p32(int32(flags>>10) % 3)
		}
		if flags&8 != 0 {
			j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: []PodFailurePolicyRule{
				{Action: ActionIgnore, OnPodConditions: []OnPodCondition{{Type: PodDisruptionTarget}}},
				{Action: ActionFailIndex, OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{2}}},
				{Action: ActionFailJob, OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{5}}},
			}}
		}
		if flags&16 != 0 {
			j.Spec.ActiveDeadlineSeconds = p64(int64(flags>>12) * 10)
		}
		if flags&32 != 0 {
			j.Spec.Template.RestartPolicy = RestartOnFailure
		}
		if flags&64 != 0 {
			j.Spec.Suspend = true
		}
		if flags&128 != 0 {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededIndexes: &completed}}}
		}
		st := Status{StartTime: at(int(flags >> 9)), CompletedIndexes: completed, FailedIndexes: &failedIdx}
		pods := podsFromBytes(podBytes)
		before := clonePods(pods)
		// The release follows from the time, so the corpus keeps its shape.
		rel := releases[uint64(now)%uint64(len(releases))]
		res, err := JobProgress(j, st, pods, time.Unix(0, 0).Add(time.Duration(now)*time.Second), Options{Release: rel})
		if err != nil {
			return
		}
		for i := range pods {
			if pods[i].Name != before[i].Name || len(pods[i].Finalizers) != len(before[i].Finalizers) {
				t.Fatal("pods modified")
			}
		}
		if len(res.Create) > 0 && len(res.Delete) > 0 {
			t.Fatal("created and deleted in one pass")
		}
		if len(res.Create) > 1 {
			// The second create refused: the first batch issued, the rest
			// not, and none of the planned pods but the first active.
			again, err := JobProgress(j, st, pods, time.Unix(0, 0).Add(time.Duration(now)*time.Second), Options{Release: rel, FailedCreates: []int{1}})
			if err != nil || len(again.Create) != min(len(res.Create), 3) || again.Status.Active > res.Status.Active-int32(len(res.Create)-2) {
				t.Fatalf("with a refused create: %v, %d of %d creates, active %d of %d", err, len(again.Create), len(res.Create), again.Status.Active, res.Status.Active)
			}
		}
		if j.Spec.CompletionMode != Indexed {
			return // completedIndexes is passed through untouched
		}
		if _, err := indexset.Parse(res.Status.CompletedIndexes, -1); err != nil {
			t.Fatalf("completedIndexes %q is not in the strict form: %v", res.Status.CompletedIndexes, err)
		}
	})
}

func parallelism0(p int32) func(*Job) {
	return func(j *Job) { j.Spec.Parallelism = p32(p % 50) }
}

// FuzzFormatIndexes: what the controller writes, the API server's strict
// parser reads back to the same set.
func FuzzFormatIndexes(f *testing.F) {
	f.Add("1,3-5,7", 10)
	f.Add("2,3", 4)
	f.Add("0-3,5,7-9,x,2", 100)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		set := indexset.ParseLenient(s, limit%1_000_000)
		out := set.String()
		back, err := indexset.Parse(out, -1)
		if err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		if !back.Equal(set) {
			t.Fatalf("%q read back as %q", out, back.String())
		}
	})
}
