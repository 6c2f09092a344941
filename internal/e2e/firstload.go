package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// firstLoadJS collects, from the CRM shell page holding the chat window's (same-origin) frame,
// every step of the chain a manager waits through before the first contact list: the CRM page's
// own load, the resources both documents fetched (the widget's script, the frame, the bundle, the
// token and session exchange, the API calls) and the marks the widget and the window set
// (switchboard:frame, :session, :hello, :first-list), each as start and end in ms after the CRM
// page's navigation start, or after the page's mark named from (a click) when there is one. The
// frame's times are moved onto the page's clock by the difference of the two documents'
// timeOrigin. Only what started between that start and the first list counts.
const firstLoadJS = `((from) => {
  const f = document.querySelector('iframe[src*="/app/"]');
  const fw = f.contentWindow;
  const list = fw.performance.getEntriesByName('switchboard:first-list')[0];
  if (!list) return null;
  const shift = fw.performance.timeOrigin - performance.timeOrigin;
  const origin = from ? performance.getEntriesByName(from)[0].startTime : 0;
  const done = list.startTime + shift - origin;
  const steps = [];
  const short = (url) => { const u = new URL(url); return u.pathname.replace(/-[A-Z0-9]{8}\./, '.') + (u.pathname.startsWith('/app/') && u.search ? '?' + u.searchParams.get('mode') : ''); };
  const add = (where, what, start, end) => {
    start -= origin; end -= origin;
    if (start >= -0.5 && start <= done + 0.5) steps.push({ where, what, start: Math.round(start), end: Math.round(end) });
  };
  const read = (perf, where, off) => {
    const nav = perf.getEntriesByType('navigation')[0];
    add(where, 'document ' + short(nav.name), off, nav.responseEnd + off);
    add(where, 'document parsed (DOMContentLoaded)', off, nav.domContentLoadedEventEnd + off);
    for (const r of perf.getEntriesByType('resource')) add(where, r.initiatorType + ' ' + short(r.name), r.startTime + off, r.responseEnd + off);
    for (const m of perf.getEntriesByType('mark')) if (m.name.startsWith('switchboard:')) add(where, 'mark ' + m.name, m.startTime + off, m.startTime + off);
  };
  read(performance, 'crm', 0);
  read(fw.performance, 'window', shift);
  steps.sort((a, b) => a.start - b.start || a.end - b.end);
  return { total: Math.round(done), window: Math.round(list.startTime), steps };
})`

type loadStep struct {
	Where, What string
	Start, End  float64
}

// logFirstLoad logs how long the first contact list took from the CRM page's navigation start
// (or from the page's performance mark named from, when not empty), and each step on the way;
// it never asserts a time (docs/performance.md).
func logFirstLoad(t *testing.T, b *Browser, what, from string) {
	t.Helper()
	b.WaitFor("the first list's mark", `document.querySelector('iframe[src*="/app/"]').contentWindow.performance.getEntriesByName('switchboard:first-list').length`, 0)
	var chain struct {
		Total, Window float64
		Steps         []loadStep
	}
	b.Eval(firstLoadJS+"("+JS(from)+")", &chain)
	var s strings.Builder
	since := "the CRM page's navigation start"
	if from != "" {
		since = from
	}
	fmt.Fprintf(&s, "first contact list on screen, %s: %.0f ms after %s (the window's own part %.0f ms; fresh sandbox, headless Chromium)", what, chain.Total, since, chain.Window)
	for _, st := range chain.Steps {
		fmt.Fprintf(&s, "\n  %5.0f → %5.0f ms  %-6s %s", st.Start, st.End, st.Where, st.What)
	}
	t.Log(s.String())
}
