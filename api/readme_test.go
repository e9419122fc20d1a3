package api

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README's support matrix is read back and checked against the
// generated gate table, so that neither drifts from the other.
func TestReadmeMatrixMatchesGateTable(t *testing.T) {
	src, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	start := strings.Index(text, "| controller | gate | 1.34 | 1.35 | 1.36 | 1.37 |")
	if start < 0 {
		t.Fatal("README has no support matrix")
	}
	releases := []string{"1.34", "1.35", "1.36", "1.37"}
	gateName := regexp.MustCompile("`([A-Za-z]+)(?:\\{([A-Za-z,]+)\\})?`")
	rows := 0
	for _, line := range strings.Split(text[start:], "\n")[2:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 6 {
			t.Fatalf("row %q has %d cells", line, len(cells))
		}
		var gates []Gate
		for _, m := range gateName.FindAllStringSubmatch(cells[1], -1) {
			if m[2] == "" {
				gates = append(gates, Gate(m[1]))
				continue
			}
			for _, suffix := range strings.Split(m[2], ",") { // Prefix{A,B}
				gates = append(gates, Gate(m[1]+suffix))
			}
		}
		if len(gates) == 0 {
			t.Fatalf("row %q names no gate", line)
		}
		for i, rel := range releases {
			cell := strings.TrimSpace(strings.ReplaceAll(cells[2+i], "**", ""))
			for _, g := range gates {
				rows++
				info, ok := Release{Version: rel}.gate(g)
				var got string
				switch {
				case !ok:
					got = "—"
				case info.Stage == "GA" && info.Locked:
					got = "GA, locked"
				case info.Stage == "GA":
					got = "GA"
				default:
					got = map[bool]string{true: "on", false: "off"}[info.Default] + " (" + strings.ToLower(info.Stage) + ")"
				}
				if got != cell {
					t.Errorf("README says %s is %q in %s; the gate table says %q", g, cell, rel, got)
				}
			}
		}
	}
	if rows < 60 {
		t.Fatalf("checked only %d cells", rows)
	}
}
