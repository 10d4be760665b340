package lookup

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

// URLSource asks a CRM over HTTP: the URL template's <$remote_party> is
// filled with the number as the phone sent it, escaped for where it stands
// by the same code as the outgoing action URLs, and the CRM answers JSON
// {"name": …, "company": …, "url": …}. HTTP 404 or an answer without name
// and company means the CRM does not know the number.
type URLSource struct {
	tmpl     *outgoing.Template
	client   *http.Client
	username string
	password func() string
}

// NewURLSource parses the template; only <$remote_party> has a value in a
// lookup, so a template with any other placeholder is refused.
func NewURLSource(template, username string, password func() string, client *http.Client) (*URLSource, error) {
	t, err := outgoing.ParseTemplate(template)
	if err != nil {
		return nil, err
	}
	for i := range outgoing.Placeholders() {
		if p := outgoing.Placeholder(i); p != outgoing.PRemoteParty && t.Uses(p) {
			return nil, say("url_placeholder", "{{.Placeholder}} has no value in a lookup; only {{.Party}} does", map[string]any{"Placeholder": p, "Party": outgoing.PRemoteParty}, nil)
		}
	}
	if client == nil {
		client = http.DefaultClient
	}
	if password == nil {
		password = func() string { return "" }
	}
	return &URLSource{tmpl: t, client: client, username: username, password: password}, nil
}

// Label names the source by its host.
func (s *URLSource) Label() string {
	u, err := url.Parse(s.tmpl.String())
	if err != nil {
		return "url"
	}
	return "url " + u.Host
}

// Find asks the CRM.
func (s *URLSource) Find(ctx context.Context, n Number) (Contact, bool, error) {
	var v outgoing.Values
	v[outgoing.PRemoteParty] = n.Raw
	target := s.tmpl.Expand(&v)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return Contact{}, false, err
	}
	req.Header.Set("Accept", "application/json")
	if s.username != "" {
		req.SetBasicAuth(s.username, s.password())
	}
	resp, err := s.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Contact{}, false, say("crm_unreachable", "the CRM at {{.Host}} did not answer", map[string]any{"Host": req.URL.Host}, phone.NetCause(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return Contact{}, false, nil
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return Contact{}, false, say("crm_auth", "the CRM at {{.Host}} refused the user name or password (HTTP {{.Status}})", map[string]any{"Host": req.URL.Host, "Status": resp.StatusCode}, nil)
	case resp.StatusCode != http.StatusOK:
		return Contact{}, false, say("crm_status", "the CRM at {{.Host}} answered HTTP {{.Status}}", map[string]any{"Host": req.URL.Host, "Status": resp.StatusCode}, nil)
	}
	var c struct {
		Name    string `json:"name"`
		Company string `json:"company"`
		URL     string `json:"url"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&c); err != nil {
		return Contact{}, false, say("crm_json", `the CRM at {{.Host}} answered something other than {"name": …, "company": …, "url": …}`, map[string]any{"Host": req.URL.Host}, err)
	}
	if c.Name == "" && c.Company == "" {
		return Contact{}, false, nil
	}
	return Contact(c), true, nil
}
