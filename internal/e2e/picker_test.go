package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Issue 11 #5, the template picker, driven by the keyboard as far as it goes: a search box
// (accents and case aside), each template's language, the employee's language first, language
// buttons; a quick reply goes into the composer with its first blank selected, is edited and
// sent by the employee; a WABA template asks for its parameters and is sent from the form; Esc
// closes the picker. Screenshots at 1440, 480 and 360 px.
func TestTemplatePicker(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "a Russian-speaking admin", func(u SandboxUser) bool { return u.IsAdmin && u.Lang == "ru" })
	waba := sb.Connection(t, "waba", true)
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": map[string]any{"phone": "+7 916 555-07-07", "name": "Пётр Шаблонов"},
		"type": "text", "text": "Добрый день, подскажите по заказу"})

	w := openWindow(t, hub, admin, 1440, 900, "&mode=page")
	w.openChat("Пётр Шаблонов")
	w.waitBubble("подскажите по заказу")
	openPicker := func() {
		w.Eval("(q('.composer textarea').focus(), click(qa('.composer-row .icon-btn')[0]))", nil)
		w.WaitFor("the picker with its templates", "q('.dialog .template') && doc().activeElement === q('.template-search')", 10*time.Second)
	}
	shown := func() (rows []struct{ Name, Lang, Kind string }) {
		w.Eval(`qa('.dialog .template').map((e) => ({ Name: e.querySelector('.template-name').innerText, Lang: e.querySelector('.lang-tag').innerText,
			Kind: e.querySelector('.lang-tag + .tag').innerText }))`, &rows)
		return rows
	}
	keys := func(s ...string) {
		for _, k := range s {
			w.Do(5*time.Second, chromedp.KeyEvent(k))
		}
	}
	// pickEnter presses Enter in the search box as one keydown. chromedp types Enter as a keydown
	// and a separate char event, which may arrive after the pick moved the focus to the composer
	// and type a line break there; a person's Enter is one event whose keydown the picker takes.
	pickEnter := func() { w.Eval("key('.template-search', 'Enter')", nil) }
	any := w.T("app.templates.any_language")

	w.Run(t, "languages: tags, the employee's first, buttons", func(t *testing.T) {
		openPicker()
		rows := shown()
		if len(rows) < 8 || rows[0].Lang != "RU" {
			t.Fatalf("templates shown %+v: want the sandbox's templates and quick replies, Russian first", rows)
		}
		seenOther := false
		for _, r := range rows {
			switch {
			case r.Lang != "RU" && r.Lang != any:
				seenOther = true
			case seenOther:
				t.Fatalf("%+v after another language: the employee's language and any-language replies come first (%+v)", r, rows)
			}
		}
		w.Screenshot("picker-1440")
		w.clickText(".template-langs button", "ES")
		w.WaitFor("only Spanish and any-language templates", "qa('.dialog .template').length > 0 && qa('.dialog .lang-tag').every((e) => e.innerText === 'ES' || e.innerText === "+JS(any)+")", 5*time.Second)
		w.clickText(".template-langs button", w.T("app.templates.all_languages"))
		w.WaitFor("every template again", fmt.Sprintf("qa('.dialog .template').length === %d", len(rows)), 5*time.Second)
	})

	w.Run(t, "search, accents and case aside", func(t *testing.T) {
		keys("ЗАКАЗ ")
		w.WaitFor("the templates about an order", "qa('.dialog .template').length > 0 && qa('.dialog .template').every((e) => /заказ/i.test(e.innerText))", 5*time.Second)
		w.Eval("type('.template-search', 'ayudarle')", nil)
		w.WaitFor("the Spanish quick reply found by its text", "qa('.dialog .template-name').map((e) => e.innerText).join() === 'Saludo'", 5*time.Second)
		w.Eval("type('.template-search', 'nothing of the kind')", nil)
		w.WaitFor("nothing found", "!q('.dialog .template') && text('.dialog').includes("+JS(w.T("app.search.nothing"))+")", 5*time.Second)
		keys(kb.Escape)
		w.WaitFor("Esc to close the picker", "!q('.dialog')", 5*time.Second)
	})

	w.Run(t, "a quick reply goes into the composer, to be edited and sent", func(t *testing.T) {
		var sent int
		w.Eval("qa('.msg.out').length", &sent)
		openPicker()
		keys("Привет")
		w.WaitFor("the greeting", "qa('.dialog .template-name').map((e) => e.innerText).join() === 'Приветствие'", 5*time.Second)
		pickEnter()
		w.WaitFor("the reply in the composer, its blank selected", `!q('.dialog') && (() => { const a = q('.composer textarea');
			return a.value.startsWith('Здравствуйте! Меня зовут {{1}}') && doc().activeElement === a && a.value.slice(a.selectionStart, a.selectionEnd) === '{{1}}'; })()`, 5*time.Second)
		w.Screenshot("picker-quick-reply-inserted")
		var now int
		w.Eval("qa('.msg.out').length", &now)
		if now != sent {
			t.Fatalf("%d outgoing messages after picking a quick reply, %d before: it must wait in the composer", now, sent)
		}
		keys("Анна", kb.Enter)
		w.waitBubble("Здравствуйте! Меня зовут Анна, я ваш менеджер.")

		// Typed in the very moment of the pick, the name still fills the blank.
		openPicker()
		keys("Привет")
		w.WaitFor("the greeting", "qa('.dialog .template-name').map((e) => e.innerText).join() === 'Приветствие'", 5*time.Second)
		w.Eval("(key('.template-search', 'Enter'), doc().execCommand('insertText', false, 'Ольга'), true)", nil)
		w.WaitFor("the name in the blank, the picker closed", `!q('.dialog') && q('.composer textarea').value.startsWith('Здравствуйте! Меня зовут Ольга,')`, 5*time.Second)
		keys(kb.Enter)
		w.waitBubble("Здравствуйте! Меня зовут Ольга, я ваш менеджер.")
	})

	w.Run(t, "a WABA template, chosen with the arrows, is sent from its form", func(t *testing.T) {
		openPicker()
		keys("order_ready")
		w.WaitFor("the three languages of order_ready", "qa('.dialog .template').length === 3", 5*time.Second)
		keys(kb.ArrowDown, kb.ArrowDown, kb.ArrowUp)
		w.WaitFor("the second one highlighted", "qa('.dialog .template')[1].getAttribute('aria-selected') === 'true'", 5*time.Second)
		var lang string
		w.Eval("qa('.dialog .template')[1].querySelector('.lang-tag').innerText", &lang)
		pickEnter()
		w.WaitFor("the parameter form, its first blank focused", "qa('.dialog form input').length === 2 && doc().activeElement === q('.dialog form input')", 5*time.Second)
		keys("Пётр", kb.Tab, "A-17")
		w.WaitFor("the preview filled in", "text('.template-preview').includes('Пётр') && text('.template-preview').includes('A-17')", 5*time.Second)
		if lang == "" || !w.Within("text('.dialog .template-top .lang-tag') === "+JS(lang), 2*time.Second) {
			t.Fatalf("the form does not show the picked language %q", lang)
		}
		keys(kb.Enter)
		w.WaitFor("the template sent", fmt.Sprintf("!q('.dialog') && qa('.msg.out .tag').some((e) => e.innerText === %s)", JS(w.T("app.template.label", "name", "order_ready"))), 15*time.Second)
	})

	w.Run(t, "narrow frames", func(t *testing.T) {
		for _, width := range []int{480, 360} {
			w.Resize(width, 760)
			openPicker()
			w.checkLayout(t, fmt.Sprintf("the picker at %d px", width), false)
			var fits bool
			w.Eval("(() => { const r = q('.dialog').getBoundingClientRect(); return r.left >= 0 && r.right <= doc().defaultView.innerWidth; })()", &fits)
			if !fits {
				t.Errorf("the picker does not fit a %d px frame", width)
			}
			w.Screenshot(fmt.Sprintf("picker-%d", width))
			keys(kb.Escape)
			w.WaitFor("Esc to close the picker", "!q('.dialog')", 5*time.Second)
		}
	})
}
