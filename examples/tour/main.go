// Command tour is purectl's default demo: each chapter drives one package
// through a classic scenario and prints what a controller would do, step by
// step. Run it with `go run ./examples/tour`.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
)

type chapter struct {
	order int
	title string
	run   func(w io.Writer) error
}

var chapters []chapter

// register adds a chapter; chapter files call it from init so that each
// package's chapter lives in its own file.
func register(order int, title string, run func(w io.Writer) error) {
	chapters = append(chapters, chapter{order, title, run})
}

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if err := tour(w); err != nil {
		w.Flush()
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func tour(w io.Writer) error {
	fmt.Fprintln(w, "purectl tour: Kubernetes workload-controller decisions as plain data.")
	sort.SliceStable(chapters, func(i, j int) bool { return chapters[i].order < chapters[j].order })
	for i, c := range chapters {
		fmt.Fprintf(w, "\n== %d. %s ==\n\n", i+1, c.title)
		if err := c.run(w); err != nil {
			return fmt.Errorf("%s: %w", c.title, err)
		}
	}
	return nil
}
