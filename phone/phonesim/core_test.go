package phonesim

import (
	"net/http"
	"net/http/httptest"
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

func TestAcceptAnswersAnotherPathOrMethodAsAPhoneDoes(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		found      bool
		wantStatus int // 200: Accept lets the simulator handle the request
		wantAllow  string
	}{
		{"the page, with its method", http.MethodPost, true, http.StatusOK, ""},
		{"the page, with the second method", http.MethodGet, true, http.StatusOK, ""},
		{"another path", http.MethodPost, false, http.StatusNotFound, ""},
		{"another method", http.MethodDelete, true, http.StatusMethodNotAllowed, "POST, GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			accepted := Accept(w, httptest.NewRequest(tt.method, "/page", nil), tt.found, http.MethodPost, http.MethodGet)
			if accepted != (tt.wantStatus == http.StatusOK) || w.Code != tt.wantStatus || w.Header().Get("Allow") != tt.wantAllow {
				t.Errorf("Accept = %v, status %d, Allow %q; want status %d, Allow %q", accepted, w.Code, w.Header().Get("Allow"), tt.wantStatus, tt.wantAllow)
			}
		})
	}
}
