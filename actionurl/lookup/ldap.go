package lookup

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dialbridge/dialbridge/phone"
	"github.com/go-ldap/ldap/v3"
)

// LDAPOptions configure an LDAP directory source.
type LDAPOptions struct {
	// URL is ldap://host[:port] or ldaps://host[:port].
	URL string
	// BaseDN is where people are searched ("ou=people,dc=example,dc=com").
	BaseDN string
	// Username is the DN to bind as; empty binds anonymously.
	Username string
	// Password returns the bind password (read from the keyring).
	Password func() string
	// NumberAttributes hold numbers; nil means telephoneNumber, mobile
	// and homePhone.
	NumberAttributes []string
	// NameAttribute defaults to cn, CompanyAttribute to o.
	NameAttribute, CompanyAttribute string
	// Timeout bounds one lookup (connecting, binding, searching); 0 means
	// two seconds, which a call never waits for anyway (see Service.Ask).
	Timeout time.Duration
	// TLS is the configuration for ldaps:// (nil: the system's roots).
	TLS *tls.Config
}

// LDAPSource asks a directory per call. Directories hold numbers in any
// spelling, so it searches for entries whose number ends in the number's
// last digits (LDAP's telephone number matching ignores blanks and dashes)
// and keeps the first one whose number has the same key.
type LDAPSource struct {
	o   LDAPOptions
	key KeyFunc
}

// NewLDAPSource checks the URL and fills in the defaults.
func NewLDAPSource(o LDAPOptions, key KeyFunc) (*LDAPSource, error) {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "" {
		return nil, say("ldap_url", "{{.URL}} is not an ldap:// or ldaps:// URL with a host", map[string]any{"URL": strconv.Quote(o.URL)}, nil)
	}
	if len(o.NumberAttributes) == 0 {
		o.NumberAttributes = []string{"telephoneNumber", "mobile", "homePhone"}
	}
	if o.NameAttribute == "" {
		o.NameAttribute = "cn"
	}
	if o.CompanyAttribute == "" {
		o.CompanyAttribute = "o"
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Password == nil {
		o.Password = func() string { return "" }
	}
	return &LDAPSource{o: o, key: key}, nil
}

// Label names the source by its host.
func (s *LDAPSource) Label() string {
	u, _ := url.Parse(s.o.URL)
	return "ldap " + u.Host
}

// tailDigits is how many of a number's last digits the search asks for:
// enough to find few entries, few enough to match every spelling.
const tailDigits = 6

// Find searches the directory.
func (s *LDAPSource) Find(ctx context.Context, n Number) (Contact, bool, error) {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, n.Key)
	if len(digits) == 0 {
		return Contact{}, false, nil
	}
	tail := digits[max(0, len(digits)-tailDigits):]
	deadline := time.Now().Add(s.o.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	host := s.Label()[len("ldap "):]
	conn, err := ldap.DialURL(s.o.URL, ldap.DialWithDialer(&net.Dialer{Deadline: deadline}), ldap.DialWithTLSConfig(s.o.TLS))
	if err != nil {
		return Contact{}, false, say("ldap_unreachable", "the directory at {{.Host}} cannot be reached", map[string]any{"Host": host}, phone.NetCause(err))
	}
	defer conn.Close()
	conn.SetTimeout(time.Until(deadline))
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if s.o.Username != "" {
		if err := conn.Bind(s.o.Username, s.o.Password()); err != nil {
			if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
				return Contact{}, false, say("ldap_auth", "the directory at {{.Host}} refused the user name or password of {{.User}}", map[string]any{"Host": host, "User": s.o.Username}, nil)
			}
			return Contact{}, false, say("ldap_bind", "the directory at {{.Host}} did not let {{.User}} in", map[string]any{"Host": host, "User": s.o.Username}, err)
		}
	}
	var filter strings.Builder
	filter.WriteString("(|")
	for _, a := range s.o.NumberAttributes {
		fmt.Fprintf(&filter, "(%s=*%s)", ldap.EscapeFilter(a), ldap.EscapeFilter(tail))
	}
	filter.WriteString(")")
	attrs := append([]string{s.o.NameAttribute, s.o.CompanyAttribute}, s.o.NumberAttributes...)
	req := ldap.NewSearchRequest(s.o.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 50,
		int(time.Until(deadline)/time.Second)+1, false, filter.String(), attrs, nil)
	res, err := conn.Search(req)
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		if ctx.Err() != nil {
			return Contact{}, false, say("ldap_timeout", "the directory at {{.Host}} did not answer in time", map[string]any{"Host": host}, ctx.Err())
		}
		return Contact{}, false, say("ldap_search", "the directory at {{.Host}} could not be searched under {{.BaseDN}}", map[string]any{"Host": host, "BaseDN": s.o.BaseDN}, err)
	}
	if res == nil {
		return Contact{}, false, nil
	}
	for _, e := range res.Entries {
		for _, a := range s.o.NumberAttributes {
			for _, v := range e.GetAttributeValues(a) {
				if s.key(v) == n.Key {
					c := Contact{Name: e.GetAttributeValue(s.o.NameAttribute), Company: e.GetAttributeValue(s.o.CompanyAttribute)}
					if c.Name != "" || c.Company != "" {
						return c, true, nil
					}
				}
			}
		}
	}
	return Contact{}, false, nil
}
