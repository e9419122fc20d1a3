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

// chapterText is the printed text of the chapter with that title.
func chapterText(t *testing.T, title string) string {
	t.Helper()
	var buf bytes.Buffer
	for _, c := range chapters {
		if c.title == title {
			if err := c.run(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.String()
		}
	}
	t.Fatalf("no chapter %q", title)
	return ""
}

// The StatefulSet chapter, run on sim: ordinals are created in order, each
// claim before its pod; the partitioned update replaces db-4 then db-3 and
// nothing below the partition; db-0 comes back with its claim.
func TestStatefulSetChapterOrder(t *testing.T) {
	out := chapterText(t, "StatefulSet: ordered identities and their claims")
	order := func(subs ...string) {
		t.Helper()
		at := 0
		for _, s := range subs {
			i := strings.Index(out[at:], s)
			if i < 0 {
				t.Fatalf("%q missing or out of order in:\n%s", s, out)
			}
			at += i + len(s)
		}
	}
	order("create    data-db-0", "create    db-0", "create    data-db-1", "create    db-1", "create    data-db-2", "create    db-2")
	order("delete    db-4", "create    db-4", "delete    db-3", "create    db-3")
	for _, never := range []string{"delete    db-2", "delete    db-1", "delete    db-0"} {
		if strings.Contains(out, never) {
			t.Errorf("%q below the partition:\n%s", never, out)
		}
	}
	if !strings.Contains(out, "claim data-db-0 reused: true") {
		t.Errorf("db-0 did not keep its claim:\n%s", out)
	}
}

// The DaemonSet chapter's rolling update (maxUnavailable 1) deletes one old
// pod and recreates it before touching the next node.
func TestDaemonSetChapterOneNodeAtATime(t *testing.T) {
	out := chapterText(t, "DaemonSet: one pod per node")
	_, update, ok := strings.Cut(out, "kubectl set image")
	if !ok {
		t.Fatalf("no rolling update:\n%s", out)
	}
	update, _, _ = strings.Cut(update, "$ kubectl get pods")
	var verbs []string
	for _, l := range strings.Split(update, "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[1] == "ds" {
			verbs = append(verbs, f[2])
		}
	}
	want := []string{"delete", "create", "delete", "create", "delete", "create"}
	if strings.Join(verbs, " ") != strings.Join(want, " ") {
		t.Errorf("rolling update writes %v, want %v:\n%s", verbs, want, update)
	}
}
