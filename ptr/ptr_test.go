package ptr

import (
	"fmt"
	"testing"
)

func TestToCopies(t *testing.T) {
	v := 3
	p := To(v)
	v = 4
	if *p != 3 {
		t.Fatalf("*To(v) = %d after v changed, want the copy 3", *p)
	}
	if a, b := To(1), To(1); a == b {
		t.Fatal("two calls returned the same pointer")
	}
}

func TestDeref(t *testing.T) {
	if got := Deref[int32](nil, 7); got != 7 {
		t.Errorf("Deref(nil, 7) = %d", got)
	}
	if got := Deref(To(int32(2)), 7); got != 2 {
		t.Errorf("Deref(&2, 7) = %d", got)
	}
}

func ExampleTo() {
	completions := To(int32(6)) // what job.Spec.Completions takes
	var deadline *int64         // unset: no starting deadline
	fmt.Println(*completions, Deref(deadline, -1))
	// Output: 6 -1
}
