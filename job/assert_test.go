package job

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// checker is a small stand-in for testify (whose yaml dependency has no
// go.sum entry in this module): assert reports and goes on, require stops.
type checker struct{ fatal bool }

var (
	assert  = checker{}
	require = checker{fatal: true}
)

func (c checker) fail(t *testing.T, what string, msg []any) {
	t.Helper()
	if len(msg) > 0 {
		if f, ok := msg[0].(string); ok {
			what += ": " + fmt.Sprintf(f, msg[1:]...)
		}
	}
	if c.fatal {
		t.Fatal(what)
	}
	t.Error(what)
}

func (c checker) Equal(t *testing.T, want, got any, msg ...any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		c.fail(t, "mismatch (-want +got):\n"+d, msg)
	}
}

func (c checker) True(t *testing.T, v bool, msg ...any) {
	t.Helper()
	if !v {
		c.fail(t, "expected true", msg)
	}
}

func (c checker) False(t *testing.T, v bool, msg ...any) {
	t.Helper()
	if v {
		c.fail(t, "expected false", msg)
	}
}

func (c checker) Len(t *testing.T, v any, n int, msg ...any) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		c.fail(t, fmt.Sprintf("length %d, want %d: %v", l, n, v), msg)
	}
}

func (c checker) Empty(t *testing.T, v any, msg ...any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	if rv.IsValid() && !rv.IsZero() && !(rv.Kind() == reflect.Slice && rv.Len() == 0) {
		c.fail(t, fmt.Sprintf("expected empty, got %v", v), msg)
	}
}

func (c checker) Nil(t *testing.T, v any, msg ...any) {
	t.Helper()
	if rv := reflect.ValueOf(v); rv.IsValid() && !rv.IsNil() {
		c.fail(t, fmt.Sprintf("expected nil, got %v", v), msg)
	}
}

func (c checker) NotNil(t *testing.T, v any, msg ...any) {
	t.Helper()
	if rv := reflect.ValueOf(v); !rv.IsValid() || rv.IsNil() {
		c.fail(t, "expected non-nil", msg)
	}
}

func (c checker) NoError(t *testing.T, err error, msg ...any) {
	t.Helper()
	if err != nil {
		c.fail(t, "unexpected error: "+err.Error(), msg)
	}
}

func (c checker) Contains(t *testing.T, list []string, v string, msg ...any) {
	t.Helper()
	for _, x := range list {
		if x == v {
			return
		}
	}
	c.fail(t, fmt.Sprintf("%q not in %q", v, list), msg)
}
