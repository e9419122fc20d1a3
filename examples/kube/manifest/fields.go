package manifest

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// unknownField returns the path of the first field in the decoded JSON value
// v (in sorted key order) that the Go type t has no place for, or "".
// Kubernetes types with custom JSON forms (quantities, times, int-or-string)
// are not walked into.
func unknownField(v any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()) {
		return ""
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				return join(path, k)
			}
			if p := unknownField(m[k], ft, join(path, k)); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if l, ok := v.([]any); ok {
			for i, e := range l {
				if p := unknownField(e, t.Elem(), path+"["+strconv.Itoa(i)+"]"); p != "" {
					return p
				}
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for k, e := range m {
				if p := unknownField(e, t.Elem(), path+"["+k+"]"); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// jsonFields maps the JSON names of t's fields, embedded structs inlined, to
// their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && (name == "" || strings.Contains(opts, "inline")) {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
