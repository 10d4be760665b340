package config

import "testing"

func TestFunctionKeysAreCheckedByKeyAndLine(t *testing.T) {
	wantProblems(t, testdata(t, "keys-bad.toml"),
		"line 11: phone.keys[2].key: 1 is bound twice (also by phone.keys[1])",
		"line 16: phone.keys[3].key: is missing or 0; say which function key with key = N",
		"line 17: phone.keys[3].label: is empty",
		`line 18: phone.keys[3].action: "teleport" is not one of dial:, callback_missed,`,
		`line 19: phone.keys[3].led: "blue" is not one of none, missed_calls,`,
		"line 23: phone.keys[4].label: has 30 characters; a phone shows at most 20",
		"line 24: phone.keys[4].action: dial: needs the number to dial",
		"line 29: phone.keys[5].action: keys: needs the keys to send",
		"line 34: phone.keys[6].action: F_HLD is not a Snom key; did you mean F_HOLD?",
		"line 39: phone.keys[7].action: dial: ",
		// A number the person bound is dialed as typed: the blocked list
		// (0900 in Germany) does not refuse it, so phone.keys[8] is fine.
	)
}

func TestAKeysActionSplitsIntoVerbAndArgument(t *testing.T) {
	tests := []struct{ action, verb, arg string }{
		{"answer", "answer", ""},
		{"dial:030 123456", "dial", "030 123456"},
		{"keys:F_HOLD,50,200;ENTER", "keys", "F_HOLD,50,200;ENTER"},
	}
	for _, tt := range tests {
		verb, arg := PhoneKey{Action: tt.action}.Verb()
		if verb != tt.verb || arg != tt.arg {
			t.Errorf("Verb(%q) = %q, %q; want %q, %q", tt.action, verb, arg, tt.verb, tt.arg)
		}
	}
}

// TestAMistypedSettingIsNamedWithTheOneMeant gives a typo in a setting's
// name the setting it was meant to be, and the problems its absence causes
// the line of the table it belongs in.
func TestAMistypedSettingIsNamedWithTheOneMeant(t *testing.T) {
	wantProblems(t, testdata(t, "keys-typos.toml"),
		"line 3: unknown setting phone.show_caler_name; did you mean phone.show_caller_name?",
		"line 11: unknown setting phone.keys.kye; did you mean phone.keys.key?",
		"line 16: unknown setting desktop.hotkee; did you mean desktop.hotkey?",
		"line 17: unknown setting desktop.teleport",
		"line 10: phone.keys[2].key: is missing or 0",
	)
}
