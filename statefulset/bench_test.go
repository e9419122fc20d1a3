package statefulset

import (
	"testing"
)

func benchInput(n int32, withClaims bool, rev string) (Set, []Pod, []Claim) {
	var set Set
	var tmpls []string
	if withClaims {
		tmpls = []string{"data"}
		set = mkSet(n, withTemplates("data"), retention(Delete, Retain))
	} else {
		set = mkSet(n)
	}
	set.Spec.MinReadySeconds = 10
	pods := readyPods(0, n, rev, tmpls...)
	// Reverse the input so the bucketing, not the input order, sorts.
	for i, j := 0, len(pods)-1; i < j; i, j = i+1, j-1 {
		pods[i], pods[j] = pods[j], pods[i]
	}
	var claims []Claim
	if withClaims {
		for o := int32(0); o < n; o++ {
			claims = append(claims, claimOf("data", o, setRef))
		}
	}
	return set, pods, claims
}

func bench(b *testing.B, set Set, pods []Pod, claims []Claim) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := NextStatefulAction(set, pods, claims, t0, opts134); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSteady10k: 10,000 ready pods, nothing to do (the common pass).
func BenchmarkSteady10k(b *testing.B) {
	set, pods, claims := benchInput(10000, false, "rev-1")
	bench(b, set, pods, claims)
}

// BenchmarkSteadyClaims10k: the same with one claim template, 10,000 claims
// and a retention policy to check on every pod.
func BenchmarkSteadyClaims10k(b *testing.B) {
	set, pods, claims := benchInput(10000, true, "rev-1")
	bench(b, set, pods, claims)
}

// BenchmarkRollingUpdate10k: a rolling update starts on 10,000 pods.
func BenchmarkRollingUpdate10k(b *testing.B) {
	set, pods, claims := benchInput(10000, true, "rev-1")
	withUpdate("rev-2", 0)(&set)
	bench(b, set, pods, claims)
}

// BenchmarkScaleDown10k: Parallel scale from 10,000 to 5,000.
func BenchmarkScaleDown10k(b *testing.B) {
	set, pods, claims := benchInput(10000, false, "rev-1")
	set.Spec.Replicas = i32(5000)
	set.Spec.PodManagementPolicy = Parallel
	bench(b, set, pods, claims)
}

// BenchmarkCreate10k: a new Parallel set of 10,000 pods, each with a claim.
func BenchmarkCreate10k(b *testing.B) {
	set := mkSet(10000, parallel, withTemplates("data"))
	bench(b, set, nil, nil)
}
