package adapt

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// typeCheck type-checks this package's non-test files against the export
// data of its dependencies, as `go list -export` builds it.
func typeCheck(t *testing.T) *types.Package {
	t.Helper()
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	exports := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	lookup := func(path string) (io.ReadCloser, error) { return os.Open(exports[path]) }
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", lookup)}
	pkg, err := conf.Check("github.com/purectl/purectl/examples/kube/adapt", fset, files, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// internalUses lists where t names a type declared (or aliased) in one of
// purectl's internal packages.
func internalUses(t types.Type, where string, seen map[types.Type]bool, out *[]string) {
	if seen[t] {
		return
	}
	seen[t] = true
	isInternal := func(o types.Object) bool {
		return o.Pkg() != nil && strings.HasPrefix(o.Pkg().Path(), "github.com/purectl/purectl/") &&
			strings.Contains(o.Pkg().Path()+"/", "/internal/")
	}
	switch t := t.(type) {
	case *types.Alias:
		if isInternal(t.Obj()) {
			*out = append(*out, where+": "+t.String())
		}
		internalUses(t.Rhs(), where, seen, out)
	case *types.Named:
		if isInternal(t.Obj()) {
			*out = append(*out, where+": "+t.String())
		}
		for i := 0; i < t.TypeArgs().Len(); i++ {
			internalUses(t.TypeArgs().At(i), where, seen, out)
		}
	case *types.Pointer:
		internalUses(t.Elem(), where, seen, out)
	case *types.Slice:
		internalUses(t.Elem(), where, seen, out)
	case *types.Array:
		internalUses(t.Elem(), where, seen, out)
	case *types.Map:
		internalUses(t.Key(), where, seen, out)
		internalUses(t.Elem(), where, seen, out)
	case *types.Chan:
		internalUses(t.Elem(), where, seen, out)
	case *types.Signature:
		for _, tuple := range []*types.Tuple{t.Params(), t.Results()} {
			for i := 0; i < tuple.Len(); i++ {
				internalUses(tuple.At(i).Type(), where, seen, out)
			}
		}
		if tp := t.TypeParams(); tp != nil {
			for i := 0; i < tp.Len(); i++ {
				internalUses(tp.At(i).Constraint(), where, seen, out)
			}
		}
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if f := t.Field(i); f.Exported() {
				internalUses(f.Type(), where+"."+f.Name(), seen, out)
			}
		}
	case *types.Interface:
		for i := 0; i < t.NumMethods(); i++ {
			internalUses(t.Method(i).Type(), where+"."+t.Method(i).Name(), seen, out)
		}
	}
}

// The package is for client-go users: everything it exports is spelled in
// k8s.io types, the standard library and purectl's public packages, never
// in purectl's internal packages (which a caller cannot import).
func TestExportedAPIUsesNoInternalTypes(t *testing.T) {
	pkg := typeCheck(t)
	var found []string
	exported := 0
	for _, name := range pkg.Scope().Names() {
		obj := pkg.Scope().Lookup(name)
		if !obj.Exported() {
			continue
		}
		exported++
		seen := map[types.Type]bool{}
		switch o := obj.(type) {
		case *types.TypeName:
			if a, ok := o.Type().(*types.Alias); ok {
				internalUses(a, name, seen, &found)
				continue
			}
			internalUses(o.Type().Underlying(), name, seen, &found)
			if n, ok := o.Type().(*types.Named); ok {
				for i := 0; i < n.NumMethods(); i++ {
					if m := n.Method(i); m.Exported() {
						internalUses(m.Type(), name+"."+m.Name(), seen, &found)
					}
				}
			}
		default:
			internalUses(obj.Type(), name, seen, &found)
		}
	}
	if exported < 40 {
		t.Fatalf("only %d exported names found; the type check did not see the package", exported)
	}
	sort.Strings(found)
	if len(found) > 0 {
		t.Errorf("exported API names internal types:\n%s", strings.Join(found, "\n"))
	}
}

// The walk itself finds an internal type: an alias declared in an
// internal package, behind a pointer in a result.
func TestInternalUsesFindsAnInternalAlias(t *testing.T) {
	internalPkg := types.NewPackage("github.com/purectl/purectl/internal/labels", "labels")
	publicPkg := types.NewPackage("github.com/purectl/purectl/api", "api")
	named := types.NewNamed(types.NewTypeName(token.NoPos, publicPkg, "LabelSelector", nil), types.NewStruct(nil, nil), nil)
	alias := types.NewAlias(types.NewTypeName(token.NoPos, internalPkg, "Selector", nil), named)
	sig := types.NewSignatureType(nil, nil, nil, nil,
		types.NewTuple(types.NewVar(token.NoPos, nil, "", types.NewPointer(alias))), false)
	var found []string
	internalUses(sig, "F", map[types.Type]bool{}, &found)
	if len(found) != 1 || !strings.Contains(found[0], "internal/labels") {
		t.Fatalf("found %v", found)
	}
	found = nil
	internalUses(types.NewPointer(named), "G", map[types.Type]bool{}, &found)
	if len(found) != 0 {
		t.Fatalf("a public type reported: %v", found)
	}
}
