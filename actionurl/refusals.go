package actionurl

import "github.com/dialbridge/dialbridge/i18n/sentence"

// Every sentence a person reads when dialbridge refuses a dial request, in
// English with its translation key: the tray's notification and
// `dialbridge dial` word it in the person's language through i18n.Error,
// while the log and the web page or program that asked get the English
// sentence. i18n/translations/refusal.*.json hold the same keys
// (TestEveryRefusalIsTranslatedWithItsPlaceholders).
var (
	sayBlocked       = refusal("refusal.blocked", "blocked number")
	sayNotAllowed    = refusal("refusal.not_allowed", "refused: {{.Origin}} may not make this phone dial (add it to listener.allowed_origins to allow it)")
	sayNeverAllowed  = refusal("refusal.never_allowed", "refused: the person chose to never let {{.Origin}} dial")
	sayNobodyAlways  = refusal("refusal.nobody_always", "refused: every dial needs confirmation (listener.confirm = \"always\") and no one is at the screen to confirm")
	sayNobody        = refusal("refusal.nobody", "refused: this request needs confirmation and no one is at the screen to confirm")
	sayTooMany       = refusal("refusal.too_many", "too many dial requests; wait a moment and try again")
	sayAskingAlready = refusal("refusal.asking_already", "another dial request is waiting for the person's answer; try again in a moment")
	sayPromptFailed  = refusal("refusal.prompt_failed", "refused: the confirmation could not be shown")
	sayUnconfirmed   = refusal("refusal.unconfirmed", "not confirmed within {{.Seconds}} s (nobody answered the confirmation prompt)")
	sayDeclined      = refusal("refusal.declined", "refused by the person at the phone")
	sayNoPhone       = refusal("refusal.no_phone", "no phone is paired yet; pair one in Settings")
)

// refusalForms are all of them, for the translation test.
var refusalForms []sentence.Form

func refusal(key, text string) sentence.Form {
	f := sentence.Form{Key: key, Text: text}
	refusalForms = append(refusalForms, f)
	return f
}
