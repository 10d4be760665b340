package outgoing

import "github.com/dialbridge/dialbridge/i18n/sentence"

// Every reason a delivery failed, in English with its translation key:
// the journal keeps the sentence beside its English words, so that the
// Journal window and `dialbridge journal` word it in the person's
// language through i18n.Error, while the log and the control API's
// last_error keep the English. i18n/translations/outgoing.*.json hold the
// same keys (TestEveryDeliveryReasonIsTranslatedWithItsPlaceholders).
var (
	sayBadURL      = reasonForms.Add("outgoing.err.bad_url", "the URL cannot be requested")
	sayUnreachable = reasonForms.Add("outgoing.err.unreachable", "{{.Host}} cannot be reached")
	sayTryLater    = reasonForms.Add("outgoing.err.try_later", "{{.Host}} answered HTTP {{.Status}} ({{.StatusText}}); dialbridge tries again later")
	sayAnswered    = reasonForms.Add("outgoing.err.answered", "{{.Host}} answered HTTP {{.Status}} ({{.StatusText}})")
	sayRefused     = reasonForms.Add("outgoing.err.refused", "{{.Host}} refused the request with HTTP {{.Status}} ({{.StatusText}}); check the URL in the settings")
	sayTimeout     = reasonForms.Add("outgoing.err.timeout", "{{.Host}} did not answer in time")
	sayCanceled    = reasonForms.Add("outgoing.err.canceled", "the request to {{.Host}} was canceled")
	sayGaveUp      = reasonForms.Add("outgoing.err.gave_up", "gave up after {{.Attempts}} attempts")
	sayStopped     = reasonForms.Add("outgoing.err.stopped_before_browser", "dialbridge stopped before it could open the browser")

	sayNotWebAddress = reasonForms.Add("outgoing.err.not_web_address", "{{.URL}} is not a web address")
	sayBlanks        = reasonForms.Add("outgoing.err.blanks", "{{.URL}} contains blanks or control characters")
	sayInvalidURL    = reasonForms.Add("outgoing.err.invalid_url", "{{.URL}} is not a valid URL")
	sayNotHTTP       = reasonForms.Add("outgoing.err.not_http", "only http:// and https:// addresses are opened in the browser, not {{.URL}}")
	sayNoHost        = reasonForms.Add("outgoing.err.no_host", "{{.URL}} has no host")
	sayCannotStart   = reasonForms.Add("outgoing.err.opener_start", "cannot open the browser with {{.Opener}}")
	sayOpenerFailed  = reasonForms.Add("outgoing.err.opener_failed", "{{.Opener}} could not open the browser")
	sayNotInstalled  = reasonForms.Add("outgoing.err.not_installed", "it is not installed")
)

// reasonForms are all of them, for the translation test.
var reasonForms sentence.Forms
