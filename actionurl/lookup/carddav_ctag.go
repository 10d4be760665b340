package lookup

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/emersion/go-vcard"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/carddav"
)

// ctagPropfind asks a collection for its ctag, the CalendarServer
// property that changes whenever any card in it changes.
const ctagPropfind = `<?xml version="1.0" encoding="utf-8"?>` +
	`<propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/"><prop><CS:getctag/></prop></propfind>`

// ctagAnswer is the part of the PROPFIND's multistatus that holds the ctag;
// a server without one answers the property with 404 and an empty value.
type ctagAnswer struct {
	Responses []struct {
		Propstats []struct {
			Status string `xml:"DAV: status"`
			Prop   struct {
				Ctag string `xml:"http://calendarserver.org/ns/ getctag"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: propstat"`
	} `xml:"DAV: response"`
}

// fetchByCtag syncs a server that has no sync-collection: nothing when its
// ctag is the one of the last read, else every card (full). A server
// without a ctag is read in full each time, which startSync does only
// when the copy is older than Every.
func (s *CardDAVSource) fetchByCtag(ctx context.Context, hc webdav.HTTPClient, c *carddav.Client, path string, was syncState) (syncResult, bool, error) {
	ctag, err := s.readCtag(ctx, hc)
	if err != nil {
		return syncResult{}, false, s.explain(err)
	}
	res := syncResult{updated: map[string]vcard.Card{}, noSync: true, ctag: ctag}
	if ctag != "" && ctag == was.ctag && was.synced {
		return res, false, nil
	}
	objs, err := c.QueryAddressBook(ctx, path, &carddav.AddressBookQuery{DataRequest: carddav.AddressDataRequest{AllProp: true}})
	if err != nil {
		return syncResult{}, false, s.explain(err)
	}
	for _, o := range objs {
		res.updated[o.Path] = o.Card
	}
	return res, true, nil
}

// readCtag asks the address book for its ctag; "" when it keeps none.
func (s *CardDAVSource) readCtag(ctx context.Context, hc webdav.HTTPClient) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "PROPFIND", s.o.URL, strings.NewReader(ctagPropfind))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	req.Header.Set("Depth", "0")
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusMultiStatus {
		return "", fmt.Errorf("PROPFIND getctag: %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return parseCtag(io.LimitReader(resp.Body, 1<<20))
}

// parseCtag reads the ctag from a PROPFIND's multistatus: "" when the
// server keeps none (the property answered with 404, or missing).
func parseCtag(r io.Reader) (string, error) {
	var a ctagAnswer
	if err := xml.NewDecoder(r).Decode(&a); err != nil {
		return "", fmt.Errorf("PROPFIND getctag: the answer is not a multistatus: %w", err)
	}
	for _, r := range a.Responses {
		for _, p := range r.Propstats {
			if strings.Contains(p.Status, " 200 ") && p.Prop.Ctag != "" {
				return p.Prop.Ctag, nil
			}
		}
	}
	return "", nil
}

// refusedLogin reports whether a WebDAV error is the server refusing the
// credentials (go-webdav keeps its HTTP error type internal; its message
// carries the status code).
func refusedLogin(err error) bool {
	return containsAny(err.Error(), "401", "403")
}
