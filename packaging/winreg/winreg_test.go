package winreg

import "testing"

func TestMemoryIsCaseInsensitiveAndDeletesOnlyTheTree(t *testing.T) {
	m := NewMemory()
	for _, kv := range [][3]string{
		{`Software\Classes\tel\shell\open\command`, "", "a"},
		{`Software\Classes\telephone`, "", "b"},
		{`Software\Classes\Tel`, "URL Protocol", ""},
	} {
		if err := m.SetString(kv[0], kv[1], kv[2]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path, name, want string
		ok               bool
	}{
		{`SOFTWARE\classes\TEL\Shell\Open\Command`, "", "a", true},
		{`Software\Classes\tel`, "url protocol", "", true},
		{`Software\Classes\tel`, "missing", "", false},
		{`Software\Nope`, "", "", false},
	}
	for _, tt := range tests {
		got, ok, err := m.GetString(tt.path, tt.name)
		if err != nil || got != tt.want || ok != tt.ok {
			t.Errorf("GetString(%s, %q) = %q %v %v, want %q %v", tt.path, tt.name, got, ok, err, tt.want, tt.ok)
		}
	}
	if err := m.DeleteTree(`software\classes\TEL`); err != nil {
		t.Fatal(err)
	}
	if m.Exists(`Software\Classes\tel\shell`) || m.Exists(`Software\Classes\tel`) {
		t.Error("DeleteTree left part of the tree")
	}
	if !m.Exists(`Software\Classes\telephone`) {
		t.Error("DeleteTree removed a sibling whose name starts the same")
	}
	if err := m.SetString(`\`, "x", "y"); err == nil {
		t.Error("an empty key path was accepted")
	}
}
