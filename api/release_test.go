package api

import (
	"strings"
	"testing"
)

func TestZeroReleaseIsNewest(t *testing.T) {
	if got := (Release{}).String(); got != Newest {
		t.Fatalf("zero Release follows %q, want Newest %q", got, Newest)
	}
	last := Releases()[len(Releases())-1]
	if !strings.HasPrefix(last, Newest+".") {
		t.Fatalf("Releases() ends with %q, not a patch of Newest %q", last, Newest)
	}
	if first := Releases()[0]; !strings.HasPrefix(first, Oldest+".") {
		t.Fatalf("Releases() starts with %q, not a patch of Oldest %q", first, Oldest)
	}
}

func TestVersionSpellings(t *testing.T) {
	for _, v := range []string{"1.35", "v1.35", "1.35.4", "v1.35.0", " 1.35 "} {
		if m, ok := (Release{Version: v}).Minor(); !ok || m != 35 {
			t.Errorf("Release{%q}.Minor() = %d, %v; want 35, true", v, m, ok)
		}
	}
	for _, v := range []string{"1.33", "1.38", "2.0", "1.35.x", "latest", "1"} {
		if _, ok := (Release{Version: v}).Minor(); ok {
			t.Errorf("Release{%q} is supported, want unsupported", v)
		}
	}
}

// MaxUnavailableStatefulSet: alpha off in 1.34, beta off in 1.35 and 1.36,
// beta on in 1.37 (kube_features.go of each release).
func TestMaxUnavailableStatefulSetDefaultByRelease(t *testing.T) {
	want := map[string]bool{"1.34": false, "1.35": false, "1.36": false, "1.37": true}
	for v, w := range want {
		if got := (Release{Version: v}).Enabled(MaxUnavailableStatefulSet); got != w {
			t.Errorf("%s: MaxUnavailableStatefulSet = %v, want %v", v, got, w)
		}
	}
	on := Release{Version: "1.35", FeatureGates: map[Gate]bool{MaxUnavailableStatefulSet: true}}
	if !on.Enabled(MaxUnavailableStatefulSet) || len(on.Check("")) != 0 {
		t.Errorf("1.35 with MaxUnavailableStatefulSet=true: enabled %v, check %v", on.Enabled(MaxUnavailableStatefulSet), on.Check(""))
	}
}

// A gate removed after graduating (JobSuccessPolicy in 1.37) is on; a gate
// a release does not know yet (StatefulSetRecreateStrategy before 1.37) is
// off; and naming either on that release's command line is refused.
func TestRemovedAndFutureGates(t *testing.T) {
	r37 := Release{Version: "1.37"}
	if !r37.Enabled(JobSuccessPolicy) {
		t.Error("1.37: JobSuccessPolicy (graduated, gate removed) reads off")
	}
	r34 := Release{Version: "1.34"}
	if r34.Enabled(StatefulSetRecreateStrategy) {
		t.Error("1.34: StatefulSetRecreateStrategy (not yet added) reads on")
	}
	if !r34.Enabled(JobSuccessPolicy) {
		t.Error("1.34: JobSuccessPolicy (GA) reads off")
	}
	bad := Release{Version: "1.37", FeatureGates: map[Gate]bool{JobSuccessPolicy: true}}
	errs := bad.Check("release")
	if len(errs) != 1 || errs[0].Error() != `release.featureGates[JobSuccessPolicy]: Invalid value: true: unrecognized feature gate: JobSuccessPolicy` {
		t.Errorf("1.37 JobSuccessPolicy=true: Check = %v", errs)
	}
}

func TestLockedGateRefused(t *testing.T) {
	r := Release{Version: "1.35", FeatureGates: map[Gate]bool{JobManagedBy: false}}
	errs := r.Check("")
	if len(errs) != 1 || !strings.Contains(errs[0].Detail, "cannot set feature gate JobManagedBy to false, feature is locked to true") {
		t.Fatalf("1.35 JobManagedBy=false: Check = %v", errs)
	}
	if !r.Enabled(JobManagedBy) {
		t.Error("a locked gate's override took effect")
	}
	// In 1.34 the gate was beta and could be turned off.
	r34 := Release{Version: "1.34", FeatureGates: map[Gate]bool{JobManagedBy: false}}
	if len(r34.Check("")) != 0 || r34.Enabled(JobManagedBy) {
		t.Errorf("1.34 JobManagedBy=false: check %v, enabled %v", r34.Check(""), r34.Enabled(JobManagedBy))
	}
}

func TestUnsupportedVersionIsAFieldError(t *testing.T) {
	errs := (Release{Version: "1.33"}).Check("opts.release")
	if len(errs) != 1 {
		t.Fatalf("Check = %v, want one error", errs)
	}
	want := `opts.release.version: Unsupported value: "1.33": supported values: "1.34", "1.35", "1.36", "1.37"`
	if errs[0].Error() != want {
		t.Errorf("got  %s\nwant %s", errs[0], want)
	}
}

func TestParseFeatureGates(t *testing.T) {
	m, err := ParseFeatureGates(" MaxUnavailableStatefulSet=true, JobManagedBy=false,,")
	if err != nil || len(m) != 2 || !m[MaxUnavailableStatefulSet] || m[JobManagedBy] {
		t.Fatalf("got %v, %v", m, err)
	}
	for in, want := range map[string]string{
		"A":       "missing bool value for A",
		"A=maybe": "invalid value of A=maybe",
	} {
		if _, err := ParseFeatureGates(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFeatureGates(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestGatesSortedAndComplete(t *testing.T) {
	for _, v := range Releases() {
		gs := Release{Version: v}.Gates()
		if len(gs) < 100 {
			t.Fatalf("%s lists %d gates; kube_features.go registers far more", v, len(gs))
		}
		for i := 1; i < len(gs); i++ {
			if gs[i-1].Gate >= gs[i].Gate {
				t.Fatalf("%s: gates out of order at %s, %s", v, gs[i-1].Gate, gs[i].Gate)
			}
		}
	}
	if (Release{Version: "9.9"}).Gates() != nil {
		t.Error("an unsupported release lists gates")
	}
}

func TestAtLeast(t *testing.T) {
	r := Release{Version: "1.36"}
	if !r.AtLeast("1.35") || !r.AtLeast("1.36") || r.AtLeast("1.37") {
		t.Error("1.36.AtLeast wrong")
	}
	if !(Release{}).AtLeast(Newest) {
		t.Error("zero release is not at least Newest")
	}
	// Versions outside the supported range compare by number too.
	if (Release{}).AtLeast("1.38") || !(Release{Version: "1.34"}).AtLeast("1.20") {
		t.Error("AtLeast with an unsupported argument")
	}
	if (Release{}).AtLeast("two") || !(Release{}).AtLeast("") {
		t.Error("AtLeast with a malformed argument")
	}
}

// From 1.35 a release records which gates need others: WorkloadWithJob
// needs GenericWorkload (1.36), and turning one on without the other is
// refused as the --feature-gates flag refuses it.
func TestGateDependencies(t *testing.T) {
	r := Release{Version: "1.36", FeatureGates: map[Gate]bool{WorkloadWithJob: true}}
	errs := r.Check("release")
	want := "release.featureGates[WorkloadWithJob]: Invalid value: true: WorkloadWithJob is enabled, but depends on features that are disabled: [GenericWorkload]"
	if len(errs) != 1 || errs[0].Error() != want {
		t.Fatalf("Check = %v\nwant %s", errs, want)
	}
	r.FeatureGates[GenericWorkload] = true
	if errs := r.Check("release"); len(errs) != 0 {
		t.Fatalf("with GenericWorkload on too: %v", errs)
	}
	// 1.34 records no dependencies.
	if len(gateDeps["1.34"]) != 0 {
		t.Fatalf("1.34 has dependencies %v", gateDeps["1.34"])
	}
}

// Without overrides the check is the version's alone; every release's
// defaults satisfy its own gate dependencies (which the early return in
// Check relies on).
func TestDefaultsSatisfyDependencies(t *testing.T) {
	for _, v := range Releases() {
		r := Release{Version: v}
		for g, deps := range gateDeps[r.key()] {
			if !r.Enabled(g) {
				continue
			}
			for _, d := range deps {
				if !r.Enabled(d) {
					t.Errorf("%s: %s is on by default but its dependency %s is off", v, g, d)
				}
			}
		}
	}
}

func BenchmarkCheckNoOverrides(b *testing.B) {
	r := Release{Version: "1.36"}
	for b.Loop() {
		if r.Check("release") != nil {
			b.Fatal("1.36 refused")
		}
	}
}
