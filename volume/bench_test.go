package volume

import (
	"fmt"
	"testing"
)

// BenchmarkBindPVC10k matches one claim against 10,000 volumes (goal: at most
// 60µs and no allocations for the search).
func BenchmarkBindPVC10k(b *testing.B) {
	pvs := cluster(10000)
	claim := pvc("web", "3Gi", cclass("slow"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := BindPVC(pvs, claim, Options{})
		if err != nil || r.Action != ActionBind {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkFindMatch10k is the allocation-free search behind BindPVC.
func BenchmarkFindMatch10k(b *testing.B) {
	pvs := cluster(10000)
	claim := pvc("web", "3Gi", cclass("slow"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if j, _ := FindMatch(pvs, &claim, MatchOptions{}); j < 0 {
			b.Fatal("no match")
		}
	}
}

// BenchmarkBindClaims10k binds 10,000 claims against 10,000 volumes through
// the index (goal: at most 20ms).
func BenchmarkBindClaims10k(b *testing.B) {
	pvs := cluster(10000)
	claims := make([]Claim, 10000)
	sizes := []string{"1Gi", "3Gi", "8Gi", "15Gi", "40Gi"}
	for i := range claims {
		cl := "slow"
		if i%3 == 0 {
			cl = "fast"
		}
		claims[i] = pvc(fmt.Sprintf("claim-%05d", i), sizes[i%len(sizes)], cclass(cl))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := BindClaims(pvs, claims, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
