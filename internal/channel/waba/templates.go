package waba

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

type templatePage struct {
	Data []struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Language   string `json:"language"`
		Status     string `json:"status"`
		Category   string `json:"category"`
		Components []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"components"`
	} `json:"data"`
	Paging struct {
		Next string `json:"next"`
	} `json:"paging"`
}

// maxTemplatePages stops a provider that keeps answering with a next page.
const maxTemplatePages = 100

var placeholder = regexp.MustCompile(`\{\{\s*([0-9]+|[a-z_][a-z0-9_]*)\s*\}\}`)

// Templates lists every message template of the business account, following paging.next.
func (a *Adapter) Templates(ctx context.Context) ([]hub.Template, error) {
	if a.WABAID == "" {
		return nil, channel.Permanent(channel.CodeRejected, "", "the connection has no WhatsApp Business Account id")
	}
	next := a.BaseURL + "/" + a.WABAID + "/message_templates?" + url.Values{
		"fields": {"name,status,category,language,components"}, "limit": {"100"}}.Encode()
	var out []hub.Template
	for page := 0; next != "" && page < maxTemplatePages; page++ {
		var p templatePage
		if err := a.call(ctx, http.MethodGet, next, "", nil, &p); err != nil {
			return nil, err
		}
		for _, d := range p.Data {
			t := hub.Template{Kind: "waba", Name: d.Name, Language: d.Language, Status: d.Status, Category: d.Category}
			for _, c := range d.Components {
				if strings.EqualFold(c.Type, "BODY") {
					t.Body = c.Text
					t.Params = countParams(c.Text)
				}
			}
			out = append(out, t)
		}
		next = p.Paging.Next
	}
	return out, nil
}

// countParams counts the distinct placeholders of a template body.
func countParams(body string) int {
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(body, -1) {
		seen[m[1]] = true
	}
	return len(seen)
}
