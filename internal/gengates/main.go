// Command gengates writes api/gates_gen.go: for every supported Kubernetes
// release, every feature gate kube_features.go registers and its default,
// stage and lock at that release. It reads the release sources from the Go
// module cache (go mod download k8s.io/kubernetes@vX first):
//
//	go run ./internal/gengates 1.34.4 1.35.4 1.36.3 1.37.2 > api/gates_gen.go
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var (
	mapStart  = regexp.MustCompile(`(?m)^var defaultVersionedKubernetesFeatureGates = map\[featuregate\.Feature\]featuregate\.VersionedSpecs\{$`)
	entry     = regexp.MustCompile(`(?ms)^\t((?:[a-z]+\.)?[A-Za-z0-9]+): \{\n(.*?)^\t\},`)
	spec      = regexp.MustCompile(`\{([^{}]*Version: version\.MustParse\("[0-9.]+"\)[^{}]*)\}`)
	constDecl = regexp.MustCompile(`(?m)^\t([A-Za-z0-9]+)(?: featuregate\.Feature)? = (?:featuregate\.Feature\()?"([A-Za-z0-9]+)"`)
	depsStart = regexp.MustCompile(`(?m)^var defaultKubernetesFeatureGateDependencies = map\[featuregate\.Feature\]\[\]featuregate\.Feature\{$`)
	depEntry  = regexp.MustCompile(`(?m)^\t((?:[a-z]+\.)?[A-Za-z0-9]+): \{([^}]*)\},`)
	field     = regexp.MustCompile(`(Version|Default|LockToDefault|PreRelease): *(version\.MustParse\("([0-9.]+)"\)|true|false|(?:featuregate\.)?([A-Za-z]+))`)
)

var (
	clientConst     = regexp.MustCompile(`(?m)^\t([A-Za-z0-9]+) Feature = "([A-Za-z0-9]+)"`)
	clientVersioned = regexp.MustCompile(`(?m)^var defaultVersionedKubernetesFeatureGates = map\[Feature\]VersionedSpecs\{$`)
	clientFlat      = regexp.MustCompile(`(?m)^var defaultKubernetesFeatureGates = map\[Feature\]FeatureSpec\{$`)
	clientSpec      = regexp.MustCompile(`(?m)^\t([A-Za-z0-9]+): +\{Default: (true|false),(?: LockToDefault: (true|false),)? PreRelease: ([A-Za-z]+)\},`)
)

// clientGates reads k8s.io/client-go's features/known_features.go at the
// staging version matching rel (1.36.3 -> v0.36.3), in either of the two
// shapes it has had (flat in 1.34, versioned from 1.35).
func clientGates(modcache, rel string) map[string]state {
	path := modcache + "/k8s.io/client-go@v0." + rel[strings.Index(rel, ".")+1:] + "/features/known_features.go"
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err, "(go mod download k8s.io/client-go at that version first)")
		os.Exit(1)
	}
	names := map[string]string{}
	for _, c := range clientConst.FindAllSubmatch(src, -1) {
		names[string(c[1])] = string(c[2])
	}
	out := map[string]state{}
	if loc := clientVersioned.FindIndex(src); loc != nil {
		body := string(src[loc[1]:])
		body = body[:strings.Index(body, "\n}\n")+3]
		for _, e := range entry.FindAllStringSubmatch(body, -1) {
			if st, ok := atRelease(e[2], rel); ok {
				out[names[e[1]]] = st
			}
		}
	} else if loc := clientFlat.FindIndex(src); loc != nil {
		body := string(src[loc[1]:])
		body = body[:strings.Index(body, "\n}\n")+3]
		for _, e := range clientSpec.FindAllStringSubmatch(body, -1) {
			out[names[e[1]]] = state{def: e[2] == "true", locked: e[3] == "true", stage: e[4]}
		}
	}
	delete(out, "")
	return out
}

// atRelease is a gate's state at rel from its versioned specs (the
// latest spec not newer than rel), whatever the order of their fields.
func atRelease(specs, rel string) (state, bool) {
	var best state
	bestMinor := -1
	for _, v := range spec.FindAllStringSubmatch(specs, -1) {
		var st state
		m := -1
		for _, f := range field.FindAllStringSubmatch(v[1], -1) {
			switch f[1] {
			case "Version":
				m = minor(f[3])
			case "Default":
				st.def = f[2] == "true"
			case "LockToDefault":
				st.locked = f[2] == "true"
			case "PreRelease":
				st.stage = f[4]
			}
		}
		if m <= minor(rel) && m > bestMinor {
			best, bestMinor = st, m
		}
	}
	return best, bestMinor >= 0
}

// gateName is the registered name of the gate a Go expression names: a
// constant of kube_features.go by its string value, another package's
// (genericfeatures.X) by its identifier, which those packages keep equal.
func gateName(expr string, names map[string]string) (string, bool) {
	expr = strings.TrimSuffix(strings.TrimPrefix(expr, "featuregate.Feature("), ")")
	if i := strings.LastIndex(expr, "."); i >= 0 {
		return expr[i+1:], true
	}
	n, ok := names[expr]
	return n, ok
}

type state struct {
	def, locked bool
	stage       string
}

func minor(v string) int {
	p := strings.Split(v, ".")
	if len(p) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(p[1])
	return n
}

func main() {
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	releases := os.Args[1:]
	tables := map[string]map[string]state{}
	deps := map[string]map[string][]string{}
	for _, rel := range releases {
		path := strings.TrimSpace(string(modcache)) + "/k8s.io/kubernetes@v" + rel + "/pkg/features/kube_features.go"
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		loc := mapStart.FindIndex(src)
		if loc == nil {
			fmt.Fprintln(os.Stderr, path+": no versioned gate map")
			os.Exit(1)
		}
		body := string(src[loc[1]:])
		body = body[:strings.Index(body, "\n}\n")+3]
		// The map is keyed by Go constants; a gate's name is the constant's
		// string value, which can differ (CPUCFSQuotaPeriod is
		// "CustomCPUCFSQuotaPeriod").
		names := map[string]string{}
		for _, c := range constDecl.FindAllSubmatch(src, -1) {
			names[string(c[1])] = string(c[2])
		}
		t := map[string]state{}
		for _, e := range entry.FindAllStringSubmatch(body, -1) {
			name, ok := gateName(e[1], names)
			if !ok {
				fmt.Fprintln(os.Stderr, path+": no constant for "+e[1])
				os.Exit(1)
			}
			if st, ok := atRelease(e[2], rel); ok {
				t[name] = st
			}
		}
		// client-go's gates (AtomicFIFO, ...) are registered in the same
		// gate, through pkg/features/client_adapter.go.
		for n, st := range clientGates(strings.TrimSpace(string(modcache)), rel) {
			if _, dup := t[n]; !dup {
				t[n] = st
			}
		}
		tables[rel] = t
		// Gates that need others on (from 1.35): enabling one whose
		// dependencies are off is refused.
		d := map[string][]string{}
		if loc := depsStart.FindIndex(src); loc != nil {
			body := string(src[loc[1]:])
			body = body[:strings.Index(body, "\n}\n")+3]
			for _, e := range depEntry.FindAllStringSubmatch(body, -1) {
				var list []string
				for _, dep := range strings.Split(e[2], ",") {
					dep = strings.TrimSpace(dep)
					if dep == "" {
						continue
					}
					if n, ok := gateName(dep, names); ok {
						list = append(list, n)
					}
				}
				if n, ok := gateName(e[1], names); ok && len(list) > 0 {
					d[n] = list
				}
			}
		}
		deps[rel] = d
	}
	var b bytes.Buffer
	fmt.Fprintln(&b, "// Code generated by internal/gengates from each release's pkg/features/kube_features.go; DO NOT EDIT.")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "package api")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "var gateTable = map[string]map[Gate]gateState{")
	for _, rel := range releases {
		fmt.Fprintf(&b, "\t%q: {\n", rel[:strings.LastIndex(rel, ".")])
		names := make([]string, 0, len(tables[rel]))
		for n := range tables[rel] {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			s := tables[rel][n]
			fmt.Fprintf(&b, "\t\t%q: {%t, %q, %t},\n", n, s.def, s.stage, s.locked)
		}
		fmt.Fprintln(&b, "\t},")
	}
	fmt.Fprintln(&b, "}")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "var gateDeps = map[string]map[Gate][]Gate{")
	for _, rel := range releases {
		fmt.Fprintf(&b, "\t%q: {\n", rel[:strings.LastIndex(rel, ".")])
		names := make([]string, 0, len(deps[rel]))
		for n := range deps[rel] {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			q := make([]string, len(deps[rel][n]))
			for i, d := range deps[rel][n] {
				q[i] = strconv.Quote(d)
			}
			fmt.Fprintf(&b, "\t\t%q: {%s},\n", n, strings.Join(q, ", "))
		}
		fmt.Fprintln(&b, "\t},")
	}
	fmt.Fprintln(&b, "}")
	out, err := format.Source(b.Bytes())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}
