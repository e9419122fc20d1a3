// Package reach lets the differential suites and benchmarks drive
// Kubernetes controllers through the same unexported hooks the controllers'
// own unit tests use (a fake clock, a fake pod control, the expectations
// cache), without copying any of their code: Set, Get and Field reach a
// struct field by name, whether it is exported or not. Each suite binds the
// unexported sync methods themselves with a linkname directive.
package reach

import (
	"fmt"
	"reflect"
	"unsafe"
)

// Field returns the field name of the struct obj points to, settable and
// readable whether it is exported or not.
func Field(obj any, name string) reflect.Value {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("reach: %T is not a pointer to a struct", obj))
	}
	f := v.Elem().FieldByName(name)
	if !f.IsValid() {
		panic(fmt.Sprintf("reach: %T has no field %q", obj, name))
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// Set stores value in the field name of the struct obj points to.
func Set(obj any, name string, value any) {
	f := Field(obj, name)
	if value == nil {
		f.Set(reflect.Zero(f.Type()))
		return
	}
	f.Set(reflect.ValueOf(value))
}

// Get returns the field name of the struct obj points to.
func Get(obj any, name string) any {
	return Field(obj, name).Interface()
}
