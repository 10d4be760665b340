package yealink

import (
	"strconv"

	"github.com/dialbridge/dialbridge/phone"
)

// urlKeyType is the line key type that makes a Yealink key request a URL
// when pressed (13 is a speed dial, 15 a line, 16 BLF).
const urlKeyType = "17"

// KeySettings are the configuration settings that bind Yealink line keys
// (DSS keys) to URLs: linekey.N.type 17 (URL), linekey.N.value the URL
// and linekey.N.label, N counting from 1. A key whose binding was deleted
// goes back to type 0 (no function). Yealink's Action URI cannot change
// settings, so a person enters these (Dsskey › Line Key) or a provisioning
// server sends them; Yealink has no control of the key's light for a URL
// key.
func KeySettings(p phone.KeyProgram) []phone.Setting {
	var out []phone.Setting
	add := func(number int, typ, value, label string) {
		n := "linekey." + strconv.Itoa(number) + "."
		out = append(out, phone.Setting{Name: n + "type", Value: typ}, phone.Setting{Name: n + "value", Value: value},
			phone.Setting{Name: n + "label", Value: label})
	}
	for _, k := range p.Keys {
		add(k.Number, urlKeyType, k.URL, k.Label)
	}
	for _, n := range p.Removed {
		add(n, "0", "", "")
	}
	return out
}
