package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// Lookup is one source of names for numbers ([[lookup]]), asked in the
// order the file lists them.
type Lookup struct {
	// Kind is one of LookupKinds.
	Kind string `toml:"kind"`
	// Path is the address book file of the vcard and csv kinds; "~/" is the
	// home folder.
	Path string `toml:"path,omitempty"`
	// URL is the url kind's CRM template, with <$remote_party>.
	URL string `toml:"url,omitempty"`
	// URL is also the ldap kind's directory, ldap:// or ldaps://, and the
	// carddav kind's address book collection.
	// Username is sent with the url kind's requests and is the DN the
	// ldap kind binds as; the password is in the keyring under
	// LookupSecret(N).
	Username string `toml:"username,omitempty"`
	// BaseDN is where the ldap kind searches.
	BaseDN string `toml:"base_dn,omitempty"`
	// NumberAttributes are the ldap kind's attributes with numbers
	// (default telephoneNumber, mobile, homePhone); NameAttribute (cn) and
	// CompanyAttribute (o) its name and company.
	NumberAttributes []string `toml:"number_attributes,omitempty"`
	NameAttribute    string   `toml:"name_attribute,omitempty"`
	CompanyAttribute string   `toml:"company_attribute,omitempty"`
}

// LookupKinds are the kinds of [[lookup]] sources dialbridge reads.
var LookupKinds = []string{"vcard", "csv", "carddav", "ldap", "url"}

// LookupSecret is the keyring user of the password of the n-th (from 1)
// [[lookup]] source.
func LookupSecret(n int) string { return fmt.Sprintf("lookup-%d", n) }

// lookupExample is shown, commented, when no lookup source is set.
const lookupExample = `# [[lookup]]               # names for callers' numbers, sources asked in this order; none by default, e.g.:
# kind = "vcard"           # vcard | csv | carddav | ldap | url
# path = "~/contacts.vcf"  # vcard, csv: the file (csv: the header row names name, company and number columns)
# url = "https://crm.example/api/lookup?nr=<$remote_party>" # url: answers {"name": …, "company": …, "url": …}; carddav: the address book; ldap: "ldaps://dir.example"
# username = ""            # carddav, ldap, url: the user (ldap: the DN to bind as); the password lives in the keyring (user lookup-N)
# base_dn = ""             # ldap: where to search, e.g. "ou=people,dc=example,dc=com"
# number_attributes = ["telephoneNumber", "mobile", "homePhone"] # ldap
# name_attribute = "cn"    # ldap
# company_attribute = "o"  # ldap
`

// validateLookup checks every [[lookup]] source: a known kind, with what
// that kind needs and nothing it would ignore.
func validateLookup(cfg *Config) Problems {
	var ps Problems
	for i, l := range cfg.Lookup {
		key := fmt.Sprintf("lookup[%d]", i+1)
		add := func(k, id, text string, args map[string]any) {
			says := sentence.New("config.lookup."+id, text, args, nil)
			ps = append(ps, &Problem{Key: key + "." + k, Msg: key + "." + k + ": " + says.Error(), Says: says})
		}
		kind := map[string]any{"Kind": l.Kind}
		switch l.Kind {
		case "vcard", "csv":
			if strings.TrimSpace(l.Path) == "" {
				add("path", "path_empty", "is empty; a {{.Kind}} source reads a file, e.g. path = \"~/contacts.{{.Ext}}\"", map[string]any{"Kind": l.Kind, "Ext": map[string]string{"vcard": "vcf", "csv": "csv"}[l.Kind]})
			}
			if l.URL != "" {
				add("url", "file_url", "is set, but a {{.Kind}} source reads a file (path); a url is read only by kind = \"url\"", kind)
			}
			if l.Username != "" {
				add("username", "file_username", "is set, but a {{.Kind}} source reads a file and sends no user name", kind)
			}
		case "carddav":
			if u, err := url.Parse(l.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				add("url", "carddav_url", "{{.URL}} is not an address book's address like \"https://dav.example/addressbooks/me/contacts/\"", map[string]any{"URL": strconv.Quote(l.URL)})
			}
			if l.Path != "" {
				add("path", "carddav_path", "is set, but a carddav source syncs an address book from its url; a path is read only by kind = \"vcard\" or \"csv\"", nil)
			}
		case "ldap":
			if u, err := url.Parse(l.URL); err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "" {
				add("url", "ldap_url", "{{.URL}} is not a directory's address like \"ldaps://dir.example\"", map[string]any{"URL": strconv.Quote(l.URL)})
			}
			if strings.TrimSpace(l.BaseDN) == "" {
				add("base_dn", "ldap_base_dn", "is empty; an ldap source searches under it, e.g. base_dn = \"ou=people,dc=example,dc=com\"", nil)
			}
			if l.Path != "" {
				add("path", "ldap_path", "is set, but an ldap source asks a directory; a path is read only by kind = \"vcard\" or \"csv\"", nil)
			}
		case "url":
			if strings.TrimSpace(l.URL) == "" {
				add("url", "url_empty", "is empty; a url source asks a CRM, e.g. url = \"https://crm.example/api/lookup?nr=<$remote_party>\"", nil)
			} else if _, err := outgoing.ParseTemplate(l.URL); err != nil {
				ps = append(ps, &Problem{Key: key + ".url", Msg: key + ".url: " + err.Error()})
			}
			if l.Path != "" {
				add("path", "url_path", "is set, but a url source asks a CRM; a path is read only by kind = \"vcard\" or \"csv\"", nil)
			}
		default:
			add("kind", "kind", "{{.Kind}} is not one of {{.Kinds}}", map[string]any{"Kind": strconv.Quote(l.Kind), "Kinds": strings.Join(LookupKinds, ", ")})
		}
		if l.Kind != "ldap" && (l.BaseDN != "" || len(l.NumberAttributes) > 0 || l.NameAttribute != "" || l.CompanyAttribute != "") {
			add("base_dn", "directory_only", "and the other directory settings are read only by kind = \"ldap\"", nil)
		}
	}
	return ps
}
