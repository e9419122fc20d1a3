package api

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// The point of this package is that callers read its docs, so every exported
// name, and every exported field of a struct, must have a doc comment.
func TestEveryExportedNameHasDoc(t *testing.T) {
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
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/purectl/purectl/api")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(pkg.Doc) == "" {
		t.Error("package api has no package doc")
	}
	empty := func(s string) bool { return strings.TrimSpace(s) == "" }
	checkValues := func(vs []*doc.Value) {
		for _, v := range vs {
			for _, spec := range v.Decl.Specs {
				s := spec.(*ast.ValueSpec)
				d := s.Doc.Text()
				if empty(d) && len(v.Decl.Specs) == 1 {
					d = v.Doc
				}
				for _, n := range s.Names {
					if n.IsExported() && empty(d) {
						t.Errorf("%s has no doc comment", n.Name)
					}
				}
			}
		}
	}
	checkFuncs := func(recv string, fs []*doc.Func) {
		for _, f := range fs {
			if empty(f.Doc) {
				t.Errorf("%s%s has no doc comment", recv, f.Name)
			}
		}
	}
	checkValues(pkg.Consts)
	checkValues(pkg.Vars)
	checkFuncs("", pkg.Funcs)
	if len(pkg.Types) == 0 {
		t.Fatal("no exported types found")
	}
	for _, typ := range pkg.Types {
		if empty(typ.Doc) {
			t.Errorf("type %s has no doc comment", typ.Name)
		}
		checkValues(typ.Consts)
		checkValues(typ.Vars)
		checkFuncs("", typ.Funcs)
		checkFuncs(typ.Name+".", typ.Methods)
		for _, spec := range typ.Decl.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fld := range st.Fields.List {
				for _, n := range fld.Names {
					if n.IsExported() && empty(fld.Doc.Text()) && empty(fld.Comment.Text()) {
						t.Errorf("field %s.%s has no doc comment", typ.Name, n.Name)
					}
				}
			}
		}
	}
}
