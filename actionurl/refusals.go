package actionurl

import "github.com/dialbridge/dialbridge/i18n/sentence"

// Every sentence a person reads when dialbridge refuses a dial request, in
// English with its translation key: the tray's notification and
// `dialbridge dial` word it in the person's language through i18n.Error,
// while the log and the web page or program that asked get the English
// sentence. i18n/translations/refusal.*.json hold the same keys
// (TestEveryRefusalIsTranslatedWithItsPlaceholders).
var (
	sayBlocked       = refusalForms.Add("refusal.blocked", "blocked number")
	sayNotAllowed    = refusalForms.Add("refusal.not_allowed", "refused: {{.Origin}} may not make this phone dial (add it to listener.allowed_origins to allow it)")
	sayNeverAllowed  = refusalForms.Add("refusal.never_allowed", "refused: the person chose to never let {{.Origin}} dial")
	sayNobodyAlways  = refusalForms.Add("refusal.nobody_always", "refused: every dial needs confirmation (listener.confirm = \"always\") and no one is at the screen to confirm")
	sayNobody        = refusalForms.Add("refusal.nobody", "refused: this request needs confirmation and no one is at the screen to confirm")
	sayTooMany       = refusalForms.Add("refusal.too_many", "too many dial requests; wait a moment and try again")
	sayAskingAlready = refusalForms.Add("refusal.asking_already", "another dial request is waiting for the person's answer; try again in a moment")
	sayPromptFailed  = refusalForms.Add("refusal.prompt_failed", "refused: the confirmation could not be shown")
	sayUnconfirmed   = refusalForms.Add("refusal.unconfirmed", "not confirmed within {{.Seconds}} s (nobody answered the confirmation prompt)")
	sayDeclined      = refusalForms.Add("refusal.declined", "refused by the person at the phone")
	sayNoPhone       = refusalForms.Add("refusal.no_phone", "no phone is paired yet; pair one in Settings")
)

// refusalForms are all of them, for the translation test.
var refusalForms sentence.Forms
