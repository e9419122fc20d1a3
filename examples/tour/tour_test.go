package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestTourRuns runs every chapter; a chapter that fails or prints nothing
// fails the test.
func TestTourRuns(t *testing.T) {
	var buf bytes.Buffer
	if err := tour(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, c := range chapters {
		if !strings.Contains(out, c.title) {
			t.Errorf("chapter %q missing from the output", c.title)
		}
	}
	if len(chapters) == 0 {
		t.Fatal("no chapters registered")
	}
}
