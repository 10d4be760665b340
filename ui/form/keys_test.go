package form

import (
	"reflect"
	"testing"

	"github.com/dialbridge/dialbridge/actionurl/config"
)

func TestPhoneKeysGoFromTheFileToThePageAndBack(t *testing.T) {
	cfg := config.Default()
	cfg.Phone.Model = "D785"
	cfg.Phone.Keys = []config.PhoneKey{
		{Key: 1, Label: "Missed", Action: "callback_missed", LED: "missed_calls"},
		{Key: 2, Label: "Office", Action: "dial:030 123456"},
		{Key: 3, Label: "Hold", Action: "keys:F_HOLD,50,200;ENTER", LED: "in_call"},
	}
	f := FromConfig(cfg)
	want := []Key{
		{Number: "1", Label: "Missed", Verb: "callback_missed", LED: "missed_calls"},
		{Number: "2", Label: "Office", Verb: "dial", Arg: "030 123456", LED: "none"},
		{Number: "3", Label: "Hold", Verb: "keys", Arg: "F_HOLD,50,200;ENTER", LED: "in_call"},
	}
	if !reflect.DeepEqual(f.Keys, want) || f.Model != "D785" {
		t.Fatalf("page keys = %+v model %q, want %+v model D785", f.Keys, f.Model, want)
	}
	got, _ := f.Apply(config.Default())
	if !reflect.DeepEqual(got.Phone.Keys, cfg.Phone.Keys) || got.Phone.Model != "D785" {
		t.Errorf("saved keys = %+v model %q, want %+v", got.Phone.Keys, got.Phone.Model, cfg.Phone.Keys)
	}
}

func TestAnArgumentCountsOnlyForTheActionsThatTakeOne(t *testing.T) {
	// A number left in the field after switching the picker to "answer"
	// must not end up in the file as "answer:030".
	got := PhoneKeys([]Key{{Number: " 4 ", Label: " Pick up ", Verb: "answer", Arg: "030", LED: "none"}})
	want := []config.PhoneKey{{Key: 4, Label: "Pick up", Action: "answer"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PhoneKeys = %+v, want %+v", got, want)
	}
}

func TestKeyProblemsLandOnTheirFieldWithTheirOwnWords(t *testing.T) {
	f := FromConfig(config.Default())
	f.Keys = []Key{
		{Number: "one", Label: "Missed", Verb: "callback_missed", LED: "none"},
		{Number: "2", Label: "", Verb: "dial", Arg: " ", LED: "none"},
		{Number: "2", Label: "A label far too long for a key", Verb: "keys", LED: "none"},
	}
	c := Check(f, config.Default(), Stored{})
	got := map[string]Kind{}
	for _, p := range c.Problems {
		got[p.Key] = p.Kind
	}
	want := map[string]Kind{
		"phone.keys[1].key":    KindKeyNumber,
		"phone.keys[2].label":  KindKeyLabelEmpty,
		"phone.keys[2].action": KindKeyDialNumber,
		"phone.keys[3].key":    KindKeyTwice,
		"phone.keys[3].label":  KindKeyLabelLong,
		"phone.keys[3].action": KindKeySequence,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
}

func TestThePickerOffersEveryActionOfTheFile(t *testing.T) {
	verbs := KeyVerbs()
	if len(verbs) != len(config.KeyActions) {
		t.Fatalf("KeyVerbs = %v", verbs)
	}
	for i, v := range verbs {
		takes := TakesArg(v)
		if want := config.KeyActions[i] == v+":"; takes != want {
			t.Errorf("TakesArg(%q) = %v, want %v", v, takes, want)
		}
	}
}
