package field

import (
	"errors"
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

func TestPathString(t *testing.T) {
	cases := []struct {
		p    *Path
		want string
	}{
		{NewPath("spec"), "spec"},
		{NewPath("spec", "template", "spec"), "spec.template.spec"},
		{NewPath("spec").Child("containers").Index(0).Child("name"), "spec.containers[0].name"},
		{NewPath("metadata").Child("labels").Key("app.kubernetes.io/name"), "metadata.labels[app.kubernetes.io/name]"},
		{NewPath("spec").Child("a").Index(2).Index(3), "spec.a[2][3]"},
		{NewPath("spec").Child("m").Key(""), "spec.m[]"},
		{nil, "<nil>"},
	}
	for _, c := range cases {
		if got := c.p.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestPathsShareParentsWithoutAliasing(t *testing.T) {
	base := NewPath("spec")
	a, b := base.Child("a"), base.Child("b")
	if a.String() != "spec.a" || b.String() != "spec.b" || base.String() != "spec" {
		t.Fatalf("children changed each other or the parent: %s %s %s", a, b, base)
	}
}

// The rendering follows the API server: Required and Forbidden print no
// value, strings are quoted, numbers plain, nil and nil pointers as null.
func TestErrorFormat(t *testing.T) {
	p := NewPath("spec", "updateStrategy", "rollingUpdate", "maxUnavailable")
	var nilInt *int64
	five := int64(5)
	cases := []struct {
		err  *Error
		want string
	}{
		{Invalid(p, 0, "cannot be 0 when maxSurge is 0"),
			"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0 when maxSurge is 0"},
		{Invalid(NewPath("spec", "schedule"), "bad", "unparsable"), `spec.schedule: Invalid value: "bad": unparsable`},
		{Invalid(NewPath("x"), nilInt, "d"), "x: Invalid value: null: d"},
		{Invalid(NewPath("x"), &five, "d"), "x: Invalid value: 5: d"},
		{Invalid(NewPath("x"), nil, ""), "x: Invalid value: null"},
		{Invalid(NewPath("x"), true, ""), "x: Invalid value: true"},
		{Required(NewPath("spec", "selector"), ""), "spec.selector: Required value"},
		{Required(NewPath("spec", "selector"), "must be set"), "spec.selector: Required value: must be set"},
		{Forbidden(NewPath("spec", "x"), "may not be set"), "spec.x: Forbidden: may not be set"},
		{NotSupported(NewPath("spec", "policy"), "Sometimes", []string{"Allow", "Forbid", "Replace"}),
			`spec.policy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"`},
		{Duplicate(NewPath("spec", "t").Index(1), "k:NoSchedule"), `spec.t[1]: Duplicate value: "k:NoSchedule"`},
		{TooMany(NewPath("spec", "rules"), 21, 20), "spec.rules: Too many: 21: must have at most 20 items"},
		{TooMany(NewPath("spec", "rules"), -1, 1), "spec.rules: Too many: must have at most 1 item"},
		{TooLong(NewPath("metadata", "name"), 52), "metadata.name: Too long: may not be more than 52 bytes"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

func TestAggregate(t *testing.T) {
	if ErrorList(nil).ToAggregate() != nil {
		t.Fatal("empty list must aggregate to nil")
	}
	if (ErrorList{nil}).ToAggregate() != nil {
		t.Fatal("a list of nils must aggregate to nil")
	}
	e1 := Required(NewPath("a"), "")
	e2 := Invalid(NewPath("b"), 1, "bad")
	one := ErrorList{e1}.ToAggregate()
	if one.Error() != "a: Required value" {
		t.Errorf("single error renders as itself, got %q", one)
	}
	two := ErrorList{e1, e2, Required(NewPath("a"), "")}.ToAggregate()
	if got, want := two.Error(), "[a: Required value, b: Invalid value: 1: bad]"; got != want {
		t.Errorf("got %q, want %q (repeats dropped)", got, want)
	}
	var fe *Error
	if !errors.As(two, &fe) || fe != e1 {
		t.Errorf("errors.As did not find the first field error")
	}
	wrapped := fmt.Errorf("validating: %w", two)
	if got := AsList(wrapped); len(got) != 2 || got[1] != e2 {
		t.Errorf("AsList through a wrap = %v", got)
	}
	if !errors.Is(two, e2) {
		t.Errorf("errors.Is must reach every field error")
	}
	if got := AsList(e2); len(got) != 1 {
		t.Errorf("AsList of a lone error = %v", got)
	}
	if AsList(errors.New("other")) != nil {
		t.Errorf("AsList of a foreign error must be nil")
	}
}

func TestFilter(t *testing.T) {
	l := ErrorList{Required(NewPath("a"), ""), Invalid(NewPath("b"), 1, ""), Forbidden(NewPath("c"), "")}
	got := l.Filter(ErrorTypeRequired, ErrorTypeForbidden)
	if len(got) != 1 || got[0].Field != "b" {
		t.Fatalf("Filter = %v", got)
	}
}

// Whatever the path elements and values, rendering never panics and always
// starts with the path.
func TestRenderingProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := NewPath(rapid.String().Draw(t, "root"))
		for i, n := 0, rapid.IntRange(0, 5).Draw(t, "depth"); i < n; i++ {
			switch rapid.IntRange(0, 2).Draw(t, "kind") {
			case 0:
				p = p.Child(rapid.String().Draw(t, "child"))
			case 1:
				p = p.Index(rapid.Int().Draw(t, "index"))
			default:
				p = p.Key(rapid.String().Draw(t, "key"))
			}
		}
		vals := []any{nil, rapid.Int().Draw(t, "i"), rapid.String().Draw(t, "s"), struct{ A int }{1}, []string{"x"}}
		v := vals[rapid.IntRange(0, len(vals)-1).Draw(t, "v")]
		e := Invalid(p, v, rapid.String().Draw(t, "detail"))
		s := e.Error()
		if len(s) < len(p.String()) || s[:len(p.String())] != p.String() {
			t.Fatalf("%q does not start with the path %q", s, p.String())
		}
	})
}

// FuzzErrorRendering builds paths and errors from arbitrary text; rendering
// must never panic and the aggregate must keep every distinct message.
func FuzzErrorRendering(f *testing.F) {
	f.Add("spec", "replicas", 3, "must be >= 0")
	f.Add("", "", -1, "")
	f.Add("metadata", "labels", 0, "\x00\xff")
	f.Fuzz(func(t *testing.T, root, child string, idx int, detail string) {
		p := NewPath(root).Child(child).Index(idx).Key(detail)
		l := ErrorList{Invalid(p, detail, detail), Required(p, detail), TooMany(p, idx, idx), NotSupported(p, idx, []string{child})}
		err := l.ToAggregate()
		if err == nil || len(AsList(err)) == 0 {
			t.Fatal("a non-empty list must aggregate to an error")
		}
		_ = err.Error()
	})
}

func TestInvalidWithoutValue(t *testing.T) {
	got := Invalid(NewPath("spec", "podFailurePolicy", "rules").Index(0), OmitValueType{}, "specifying both OnExitCodes and OnPodConditions is not supported").Error()
	want := "spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
