package cronjob

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/robfig/cron/v3"
	"pgregory.net/rapid"
)

// onceWalk is the brute-force reference of DSTOnce: step through every
// whole minute instant; an instant whose wall minute w is later than every
// wall minute seen so far runs if some wall minute in (latest seen, w]
// matches (a spring-forward gap runs once at the change); a wall minute seen
// before (a fall-back repeat) does not run again.
func onceWalk(s *Schedule, after, upTo time.Time) (runs []time.Time) {
	spec := robfigOf(s).(*cron.SpecSchedule)
	matches := func(t time.Time) bool {
		dom := spec.Dom&(1<<uint(t.Day())) != 0
		dow := spec.Dow&(1<<uint(t.Weekday())) != 0
		day := dom || dow
		if spec.Dom&starBit != 0 || spec.Dow&starBit != 0 {
			day = dom && dow
		}
		return day && spec.Month&(1<<uint(t.Month())) != 0 && spec.Hour&(1<<uint(t.Hour())) != 0 && spec.Minute&(1<<uint(t.Minute())) != 0
	}
	naive := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	}
	start := after.Add(-3 * time.Hour).Truncate(time.Minute)
	maxWall := naive(start.In(s.loc))
	for u := start.Add(time.Minute); !u.After(upTo); u = u.Add(time.Minute) {
		w := naive(u.In(s.loc))
		if !w.After(maxWall) {
			continue
		}
		fire := false
		for x := maxWall.Add(time.Minute); !x.After(w); x = x.Add(time.Minute) {
			if matches(x) {
				fire = true
				break
			}
		}
		maxWall = w
		if fire && u.After(after) {
			runs = append(runs, u)
		}
	}
	return runs
}

// TestDSTOnceMatchesBruteForce checks the DSTOnce policy of Runs and Next
// against onceWalk on windows around DST changes.
func TestDSTOnceMatchesBruteForce(t *testing.T) {
	zones := []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Pacific/Auckland", "UTC"}
	rapid.Check(t, func(t *rapid.T) {
		spec := strings5(t)
		loc := mustLoad(t, rapid.SampledFrom(zones).Draw(t, "zone"))
		s, err := ParseSchedule(spec, loc)
		if err != nil {
			t.Fatalf("ParseSchedule(%q): %v", spec, err)
		}
		s.DST = DSTOnce
		after := genWindow(t, loc)
		upTo := after.Add(time.Duration(rapid.IntRange(0, 3*24*60).Draw(t, "minutes")) * time.Minute)
		runs := onceWalk(&s, after, upTo)
		n, last := int64(len(runs)), time.Time{}
		if n > 0 {
			last = runs[n-1]
		}
		gotN, gotLast := s.Runs(after, upTo)
		if gotN != n || !gotLast.Equal(last) {
			t.Fatalf("%q in %s, (%s, %s]: Runs = %d, %s; brute force = %d, %s", spec, loc, after, upTo, gotN, gotLast, n, last)
		}
		// Next agrees with the first brute-force run after upTo, when one
		// comes within two days.
		if next := onceWalk(&s, upTo, upTo.Add(48*time.Hour)); len(next) > 0 {
			if got := s.Next(upTo); !got.Equal(next[0]) {
				t.Fatalf("%q in %s: Next(%s) = %s, brute force %s", spec, loc, upTo, got, next[0])
			}
		}
	})
}

// strings5 draws a five-field schedule that touches the night hours where
// DST changes happen.
func strings5(t *rapid.T) string {
	minute := rapid.SampledFrom([]string{"*", "0", "30", "*/15", "0,45", "59"}).Draw(t, "m")
	hour := rapid.SampledFrom([]string{"*", "1", "2", "3", "1-3", "2,14", "*/2"}).Draw(t, "h")
	dom := rapid.SampledFrom([]string{"*", "1-15", "*/2"}).Draw(t, "dom")
	dow := rapid.SampledFrom([]string{"*", "0", "1-5", "6"}).Draw(t, "dow")
	return fmt.Sprintf("%s %s %s * %s", minute, hour, dom, dow)
}

// genCronJob draws a valid CronJob, its jobs and a time.
func genCronJob(t *rapid.T) (CronJob, []Job, time.Time) {
	cj := base(rapid.SampledFrom([]string{"* * * * *", "*/5 * * * *", "0 * * * *", "30 6-16/4 * * 1-5", "0 0 30 2 *", "@every 7m", "TZ=Asia/Tokyo 0 9 * * *", "TZ=UTC"}).Draw(t, "schedule"))
	cj.Spec.ConcurrencyPolicy = rapid.SampledFrom([]ConcurrencyPolicy{"", AllowConcurrent, ForbidConcurrent, ReplaceConcurrent}).Draw(t, "policy")
	if rapid.Bool().Draw(t, "tz") && cj.Spec.Schedule[0] != 'T' {
		cj.Spec.TimeZone = ptr(rapid.SampledFrom([]string{"UTC", "America/New_York", "Nowhere/Zone"}).Draw(t, "zone"))
	}
	if rapid.Bool().Draw(t, "deadline") {
		cj.Spec.StartingDeadlineSeconds = ptr(rapid.Int64Range(0, 7200).Draw(t, "deadlineSeconds"))
	}
	if rapid.Bool().Draw(t, "limits") {
		cj.Spec.SuccessfulJobsHistoryLimit = ptr(int32(rapid.IntRange(0, 3).Draw(t, "ok")))
		cj.Spec.FailedJobsHistoryLimit = ptr(int32(rapid.IntRange(0, 3).Draw(t, "failed")))
	}
	cj.Spec.Suspend = rapid.IntRange(0, 9).Draw(t, "suspend") == 0
	now := cj.CreationTimestamp.Add(time.Duration(rapid.Int64Range(0, 48*3600).Draw(t, "elapsed")) * time.Second)
	if rapid.Bool().Draw(t, "last") {
		cj.Status.LastScheduleTime = cj.CreationTimestamp.Add(time.Duration(rapid.IntRange(0, 600).Draw(t, "lastMin")) * time.Minute)
	}
	n := rapid.IntRange(0, 6).Draw(t, "jobs")
	var jobs []Job
	for i := 0; i < n; i++ {
		j := Job{Name: fmt.Sprintf("job-%d", i), Namespace: "ns", UID: fmt.Sprintf("u%d", i)}
		switch rapid.IntRange(0, 2).Draw(t, "state") {
		case 1:
			j.Conditions = []JobCondition{{JobComplete, ConditionTrue}}
			j.CompletionTime = now.Add(-time.Duration(rapid.IntRange(1, 500).Draw(t, "done")) * time.Minute)
		case 2:
			j.Conditions = []JobCondition{{JobFailed, ConditionTrue}}
		}
		if rapid.Bool().Draw(t, "started") {
			j.StartTime = now.Add(-time.Duration(rapid.IntRange(1, 900).Draw(t, "start")) * time.Minute)
		}
		if rapid.Bool().Draw(t, "listed") {
			cj.Status.Active = append(cj.Status.Active, ObjectReference{Name: j.Name, Namespace: "ns", UID: j.UID})
		}
		jobs = append(jobs, j)
	}
	if rapid.Bool().Draw(t, "ghost") {
		cj.Status.Active = append(cj.Status.Active, ObjectReference{Name: "ghost", Namespace: "ns", UID: "g"})
	}
	return cj, jobs, now
}

// TestCronDueContract: inputs untouched, the order of the jobs does not
// matter, deterministic output, and no panic.
func TestCronDueContract(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cj, jobs, now := genCronJob(t)
		opts := Options{Exact: rapid.Bool().Draw(t, "exact"), Release: genRelease(t)}
		if rapid.IntRange(0, 3).Draw(t, "nameTaken") == 0 {
			// A Job already holds the name of the next due run.
			if s, err := ParseSchedule(cj.Spec.Schedule, nil); err == nil {
				if _, last := s.Runs(cj.CreationTimestamp, now); !last.IsZero() {
					jobs = append(jobs, Job{Name: JobName(cj.Name, last), Namespace: "ns", UID: "taken"})
				}
			}
		}
		cjCopy := cj
		cjCopy.Status = copyStatus(cj.Status)
		jobsCopy := append([]Job(nil), jobs...)
		res, err := CronDue(cj, jobs, now, opts)
		if crash := crashesParser(cj.Spec.Schedule) && !opts.Release.AtLeast("1.35") && !cj.Spec.Suspend && !(cj.Spec.TimeZone != nil && *cj.Spec.TimeZone == "Nowhere/Zone"); crash != (err != nil) {
			// Only the 1.34 controller's crash on "TZ=UTC" is an error.
			t.Fatalf("release %s, schedule %q: error %v", opts.Release, cj.Spec.Schedule, err)
		}
		if diff := cmp.Diff(cjCopy, cj); diff != "" {
			t.Fatalf("CronJob modified:\n%s", diff)
		}
		if diff := cmp.Diff(jobsCopy, jobs); diff != "" {
			t.Fatalf("jobs modified:\n%s", diff)
		}
		shuffled := append([]Job(nil), jobs...)
		rand.New(rand.NewSource(rapid.Int64().Draw(t, "seed"))).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		res2, _ := CronDue(cj, shuffled, now, opts)
		if diff := cmp.Diff(res, res2); diff != "" {
			t.Fatalf("job order changed the result:\n%s", diff)
		}
		if err == nil && res.Outcome == "" {
			t.Fatal("no outcome")
		}
		if res.Outcome == ReasonAdoptedExistingJob && !opts.Release.AtLeast("1.37") {
			t.Fatalf("release %s adopts an existing Job", opts.Release)
		}
		for _, d := range res.Deletions {
			if d.Reason == "" || d.Message == "" {
				t.Fatalf("deletion without reason: %+v", d)
			}
		}
		if res.Create != nil && (res.Create.Reason == "" || res.Create.Message == "") {
			t.Fatalf("create without reason: %+v", res.Create)
		}
		if !res.RequeueAt.IsZero() && !res.RequeueAt.After(now) {
			t.Fatalf("requeue %s not after now %s", res.RequeueAt, now)
		}
	})
}

// cluster is a tiny in-memory cluster for the state-machine test: it runs
// CronDue at random moments, applies each plan (deletes, creates, status),
// and finishes Jobs at random.
type cluster struct {
	cj     CronJob
	jobs   map[string]Job // by UID
	now    time.Time
	uid    int
	exact  bool
	rel    Release
	names  map[string]bool
	okMax  int
	badMax int
}

func (c *cluster) list() []Job {
	out := make([]Job, 0, len(c.jobs))
	for _, j := range c.jobs {
		out = append(out, j)
	}
	return out
}

func (c *cluster) unfinished() int {
	n := 0
	for _, j := range c.jobs {
		if j.finished() == "" {
			n++
		}
	}
	return n
}

func (c *cluster) pass(t *rapid.T) {
	res, err := CronDue(c.cj, c.list(), c.now, Options{Exact: c.exact, Release: c.rel})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Deletions {
		delete(c.jobs, d.UID)
	}
	st := res.Status
	if res.Create != nil {
		if c.names[res.Create.Name] {
			t.Fatalf("job %s created twice", res.Create.Name)
		}
		c.names[res.Create.Name] = true
		c.uid++
		uid := fmt.Sprintf("job-uid-%d", c.uid)
		c.jobs[uid] = Job{Name: res.Create.Name, Namespace: res.Create.Namespace, UID: uid, StartTime: c.now}
		for i := range st.Active {
			if st.Active[i].Name == res.Create.Name && st.Active[i].UID == "" {
				st.Active[i].UID = uid
			}
		}
	}
	if st.LastScheduleTime.Before(c.cj.Status.LastScheduleTime) {
		t.Fatalf("lastScheduleTime went back from %s to %s", c.cj.Status.LastScheduleTime, st.LastScheduleTime)
	}
	c.cj.Status = st
	switch c.cj.Spec.ConcurrencyPolicy {
	case ForbidConcurrent, ReplaceConcurrent:
		if n := c.unfinished(); n > 1 {
			t.Fatalf("%s: %d jobs running at %s", c.cj.Spec.ConcurrencyPolicy, n, c.now)
		}
	}
	ok, bad := 0, 0
	for _, j := range c.jobs {
		switch j.finished() {
		case JobComplete:
			ok++
		case JobFailed:
			bad++
		}
	}
	if ok > c.okMax || bad > c.badMax {
		t.Fatalf("history %d successful / %d failed exceeds %d / %d", ok, bad, c.okMax, c.badMax)
	}
}

// TestStateMachine drives CronDue over simulated time: Forbid never runs two
// Jobs at once, Replace leaves at most one, the history never exceeds its
// limits after a pass, no run is created twice, lastScheduleTime never
// goes back.
func TestStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cj := base(rapid.SampledFrom([]string{"* * * * *", "*/7 * * * *", "0,30 9 * * 1-5", "30 6-16/4 * * 1-5", "@every 11m"}).Draw(t, "schedule"))
		cj.Spec.ConcurrencyPolicy = rapid.SampledFrom([]ConcurrencyPolicy{AllowConcurrent, ForbidConcurrent, ReplaceConcurrent}).Draw(t, "policy")
		c := &cluster{cj: cj, jobs: map[string]Job{}, now: cj.CreationTimestamp, exact: rapid.Bool().Draw(t, "exact"), rel: genRelease(t),
			names: map[string]bool{}, okMax: DefaultSuccessfulJobsHistoryLimit, badMax: DefaultFailedJobsHistoryLimit}
		if rapid.Bool().Draw(t, "limits") {
			c.okMax, c.badMax = rapid.IntRange(0, 4).Draw(t, "okMax"), rapid.IntRange(0, 4).Draw(t, "badMax")
			c.cj.Spec.SuccessfulJobsHistoryLimit = ptr(int32(c.okMax))
			c.cj.Spec.FailedJobsHistoryLimit = ptr(int32(c.badMax))
		}
		if rapid.Bool().Draw(t, "deadline") {
			c.cj.Spec.StartingDeadlineSeconds = ptr(int64(rapid.IntRange(0, 3600).Draw(t, "deadlineSeconds")))
		}
		t.Repeat(map[string]func(*rapid.T){
			"wait": func(t *rapid.T) {
				c.now = c.now.Add(time.Duration(rapid.IntRange(1, 6*60*60).Draw(t, "seconds")) * time.Second)
			},
			"finish": func(t *rapid.T) {
				var running []string
				for uid, j := range c.jobs {
					if j.finished() == "" {
						running = append(running, uid)
					}
				}
				if len(running) == 0 {
					t.Skip("nothing running")
				}
				sortStrings(running)
				uid := rapid.SampledFrom(running).Draw(t, "job")
				j := c.jobs[uid]
				kind := rapid.SampledFrom([]JobConditionType{JobComplete, JobFailed}).Draw(t, "kind")
				j.Conditions = []JobCondition{{kind, ConditionTrue}}
				if kind == JobComplete {
					j.CompletionTime = c.now
				}
				c.jobs[uid] = j
			},
			"pass": c.pass,
			"": func(t *rapid.T) {
				if c.cj.Status.LastSuccessfulTime.After(c.now) {
					t.Fatalf("lastSuccessfulTime %s after now %s", c.cj.Status.LastSuccessfulTime, c.now)
				}
			},
		})
	})
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// genRelease draws one of the supported releases.
func genRelease(t *rapid.T) Release {
	return Release{Version: rapid.SampledFrom(releases).Draw(t, "release")}
}

// robfigOf is the robfig/cron schedule s was built from, bound to its zone:
// the oracle the arithmetic is compared with.
func robfigOf(s *Schedule) cron.Schedule {
	if s.robfig != nil {
		return s.robfig
	}
	c := s.spec
	return &c
}
