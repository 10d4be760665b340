package phonesim

import (
	"reflect"
	"strconv"
	"testing"
)

type call struct {
	ID, State string
}

func TestCallsKeepTheBrandsIDsInTheOrderTheCallsCame(t *testing.T) {
	calls := NewCalls[call](func(n int) string { return "TC@" + strconv.Itoa(n) })
	for _, st := range []string{"ringing", "connected", "ringing"} {
		calls.Add(func(id string) call { return call{ID: id, State: st} })
	}
	calls.Get("TC@2").State = "held"
	calls.Delete("TC@1")
	calls.Delete("TC@9") // a call the phone does not have: nothing happens
	want := []call{{"TC@2", "held"}, {"TC@3", "ringing"}}
	if got := calls.List(); !reflect.DeepEqual(got, want) {
		t.Errorf("List() = %v, want %v", got, want)
	}
	if got := calls.Find(func(c *call) bool { return c.State == "ringing" }); got == nil || got.ID != "TC@3" {
		t.Errorf("Find(ringing) = %v, want TC@3", got)
	}
	if got := calls.Find(func(c *call) bool { return c.State == "connected" }); got != nil {
		t.Errorf("Find(connected) = %v, want none", got)
	}
	if got := calls.Get("TC@1"); got != nil {
		t.Errorf("Get of a hung-up call = %v, want nil", got)
	}
	if id := calls.Add(func(id string) call { return call{ID: id} }); id != "TC@4" {
		t.Errorf("the next id is %q, want TC@4 (ids are never reused)", id)
	}
}
