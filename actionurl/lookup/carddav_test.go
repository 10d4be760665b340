package lookup

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// startRadicale runs Debian's CardDAV server (radicale, installed by
// .ci/deps.sh) on a free port of 127.0.0.1 with the user "me" (password
// "pw") and an empty address book, and returns the address book's URL.
func startRadicale(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("radicale")
	if err != nil {
		t.Fatal("radicale is not installed: run .ci/deps.sh (Debian package radicale)")
	}
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	conf := fmt.Sprintf("[server]\nhosts = %s\n[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = plain\n"+
		"[storage]\nfilesystem_folder = %s\n[rights]\ntype = owner_only\n",
		addr, filepath.Join(dir, "users"), filepath.Join(dir, "collections"))
	for name, text := range map[string]string{"config": conf, "users": "me:pw\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--config", filepath.Join(dir, "config"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	book := "http://" + addr + "/me/contacts/"
	mkcol := `<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><set><prop>` +
		`<resourcetype><collection/><CR:addressbook/></resourcetype></prop></set></mkcol>`
	for deadline := time.Now().Add(20 * time.Second); ; {
		code, err := davRequest("MKCOL", book, "application/xml", mkcol)
		if err == nil && code == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("radicale did not come up at %s: %d %v", addr, code, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return book
}

func davRequest(method, target, ctype, body string) (int, error) {
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.SetBasicAuth("me", "pw")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func putCard(t *testing.T, book, uid, name, tel string) {
	t.Helper()
	card := fmt.Sprintf("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:%s\r\nFN:%s\r\nN:;%s;;;\r\nTEL:%s\r\nEND:VCARD\r\n", uid, name, name, tel)
	if code, err := davRequest("PUT", book+uid+".vcf", "text/vcard", card); err != nil || code/100 != 2 {
		t.Fatalf("PUT %s: %d %v", uid, code, err)
	}
}

// tokenSpy records the sync-token of every sync-collection request.
type tokenSpy struct {
	mu     sync.Mutex
	tokens []string
}

func (s *tokenSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == "REPORT" && req.Body != nil {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		if b := string(body); strings.Contains(b, "sync-collection") {
			_, rest, _ := strings.Cut(b, "sync-token>")
			tok, _, _ := strings.Cut(rest, "<")
			s.mu.Lock()
			s.tokens = append(s.tokens, tok)
			s.mu.Unlock()
		}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestACardDAVAddressBookIsSyncedByTokenAndLookedUpLocally(t *testing.T) {
	book := startRadicale(t)
	putCard(t, book, "anna", "Anna Schmidt", "+49 (0)30 1234567")
	key := Keyer(berlin)
	spy := &tokenSpy{}
	src, err := NewCardDAVSource(CardDAVOptions{URL: book, Username: "me", Password: func() string { return "pw" },
		Client: &http.Client{Transport: spy}, Every: time.Hour}, key)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	find := func(nr string) string {
		c, _, err := src.Find(ctx, Number{Raw: nr, Key: key(nr)})
		if err != nil {
			t.Fatal(err)
		}
		return c.Name
	}
	if got := find("030 1234567"); got != "Anna Schmidt" {
		t.Fatalf("after the first sync: %q", got)
	}
	putCard(t, book, "bernd", "Bernd Kraus", "tel:+49-30-5550100")
	if code, err := davRequest("DELETE", book+"anna.vcf", "", ""); err != nil || code/100 != 2 {
		t.Fatalf("DELETE: %d %v", code, err)
	}
	if got := find("030 5550100"); got != "" {
		t.Fatalf("Bernd is known before the next sync: %q", got)
	}
	if err := src.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, gone := find("030 5550100"), find("030 1234567"); got != "Bernd Kraus" || gone != "" {
		t.Fatalf("after the second sync: Bernd is %q, Anna is %q", got, gone)
	}
	spy.mu.Lock()
	tokens := spy.tokens
	spy.mu.Unlock()
	if len(tokens) != 2 || tokens[0] != "" || tokens[1] == "" {
		t.Errorf("sync tokens sent: %q; want none, then the first sync's", tokens)
	}
	if synced, n, err := src.Status(); synced.IsZero() || n != 1 || err != nil {
		t.Errorf("Status = %v, %d, %v", synced, n, err)
	}

	wrong, _ := NewCardDAVSource(CardDAVOptions{URL: book, Username: "me", Password: func() string { return "wrong" }}, key)
	if _, _, err := wrong.Find(ctx, Number{Key: key("0305550100")}); err == nil || !strings.Contains(err.Error(), "refused the user name or password") {
		t.Errorf("a wrong password: %v", err)
	}
}
