package lookup

import "github.com/dialbridge/dialbridge/i18n/sentence"

// say is an error sentence of the caller lookup, with its translation key
// (lookup.KEY in the lookup part of the translations), so that the
// Contacts page and `dialbridge lookup` word it in the person's language
// while logs and the English user read it as it stands here.
func say(key, text string, args map[string]any, cause error) error {
	return sentence.New("lookup."+key, text, args, cause)
}
