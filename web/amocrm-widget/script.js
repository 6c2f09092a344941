// Switchboard's amoCRM / Kommo widget: it opens the hub's chat window inside the CRM.
//  - card (lcard, ccard): a button in the right column opens the window over the card's
//    communication (feed) area; the window's × or leaving the card closes it (SPEC F5–F7);
//  - widget page (left menu): the window fills #work-area-<code> (F4);
//  - installs without a left-menu page: "all chats" in the right column opens the full-page
//    window in a full-screen overlay (F4).
// The window learns who the user is from a hub session that this script gets with
// $authorizedAjax (the CRM signs a disposable token) and hands over by postMessage, never in a
// URL (docs/architecture.md, "Widget": app → switchboard:ready | renew | close; here → switchboard:session).
define([], function () {
  'use strict';
  var HUB = '__SWITCHBOARD_PUBLIC_URL__';
  var HUB_ORIGIN = new URL(HUB).origin;
  var PREFIX = 'switchboard-widget';
  var current = null; // the widget instance of the current area (one at a time)

  // One delegated click handler for the right-column buttons, whichever instance drew them.
  document.addEventListener('click', function (ev) {
    var el = ev.target && ev.target.closest && ev.target.closest('[data-switchboard-open]');
    if (el && current) {
      ev.preventDefault();
      current.openFromPanel(el.getAttribute('data-switchboard-open'));
    }
  });

  return function () {
    var self = this;
    var win = null; // the open window: {root, iframe, closable, onMessage}
    var baseTitle = null; // the CRM tab's own title while the window shows a count in front of it

    function text(key) {
      var all = (self.i18n && self.i18n('widget')) || {};
      return all[key] || key;
    }

    function area() {
      var s = self.system ? self.system() : {};
      return s.area || '';
    }

    function card() {
      var app = window.APP || window.AMOCRM;
      var c = app && app.data && app.data.current_card;
      return c && c.id ? c : null;
    }

    // query is the chat window's scope for this card: a deal or a contact.
    function cardQuery() {
      var c = card();
      if (!c) return null;
      if (area() === 'lcard') return 'crm_lead_id=' + encodeURIComponent(c.id);
      if (area() === 'ccard') return 'crm_contact_id=' + encodeURIComponent(c.id);
      return null;
    }

    // frameURL is the chat window's address. It carries the CRM's language, so the window fetches
    // that language's texts while the session is on its way (docs/performance.md, first load).
    function frameURL(mode, query) {
      var app = window.APP || window.AMOCRM;
      var lang = app && app.lang_id;
      return HUB + '/app/?mode=' + mode + (query ? '&' + query : '') + '&host=' + encodeURIComponent(location.origin) +
        (lang ? '&lang=' + encodeURIComponent(lang) : '');
    }

    // session asks the hub for a session with a fresh disposable token (each one is single use).
    // The first one of a card's window names the card (query): the hub starts re-reading it from
    // the CRM then, while the frame loads, instead of when the window asks for its first list.
    function session(query) {
      return new Promise(function (resolve, reject) {
        self.$authorizedAjax({ url: HUB + '/api/v1/sessions' + (query ? '?' + query : ''), type: 'POST', dataType: 'json' })
          .then(function (body) { resolve(body); }, function (xhr) { reject(xhr); });
      });
    }

    function showError(xhr) {
      if (!win) return;
      var body = xhr && (xhr.responseJSON || xhr.body);
      var msg = body && body.error && body.error.message;
      var box = document.createElement('div');
      box.className = PREFIX + '__error';
      box.setAttribute('role', 'alert');
      box.textContent = text('session_failed') + (msg ? ' ' + msg : '');
      box.style.cssText = 'position:absolute;left:0;right:0;top:0;padding:12px 16px;background:#fdecea;color:#8a1c1c;font:14px sans-serif;z-index:2';
      win.root.appendChild(box);
    }

    // handOver posts a session to the window: on its first switchboard:ready the one asked for
    // when the frame was created (w.early); a renewal, or a reloaded frame, gets a fresh one.
    function handOver(w, renew) {
      var pending = (!renew && w.early) || session();
      w.early = null;
      pending.then(function (s) {
        if (win === w) w.iframe.contentWindow.postMessage({ type: 'switchboard:session', session: s }, HUB_ORIGIN);
      }, function (xhr) {
        if (win === w) showError(xhr);
      });
    }

    // open puts the chat window in container (filling it); closable windows obey the app's ×.
    function open(container, mode, query, closable) {
      close();
      var root = document.createElement('div');
      root.className = PREFIX + '__window';
      root.style.cssText = 'position:absolute;inset:0;background:#fff;z-index:50';
      var iframe = document.createElement('iframe');
      // A mark for the first-load measurement (docs/performance.md): when the frame was asked for.
      if (window.performance && performance.mark) performance.mark('switchboard:frame');
      iframe.src = frameURL(mode, query);
      iframe.title = text('name');
      iframe.setAttribute('allow', 'microphone; clipboard-write; fullscreen');
      iframe.style.cssText = 'border:0;width:100%;height:100%;display:block';
      root.appendChild(iframe);
      if (getComputedStyle(container).position === 'static') container.style.position = 'relative';
      container.appendChild(root);
      // The session is asked for now, while the frame loads, not after it says it is ready: the
      // token exchange and the window's bundle go alongside (docs/performance.md, first load).
      var w = { root: root, iframe: iframe, closable: closable, early: session(query) };
      w.early.catch(function () {}); // a failure is shown when the window asks for it
      w.onMessage = function (ev) {
        if (ev.origin !== HUB_ORIGIN || ev.source !== iframe.contentWindow) return;
        var type = ev.data && ev.data.type;
        if (type === 'switchboard:ready' || type === 'switchboard:renew') handOver(w, type === 'switchboard:renew');
        else if (type === 'switchboard:close' && w.closable) close();
        else if (type === 'switchboard:unanswered') showCount(Number(ev.data.count) || 0);
      };
      window.addEventListener('message', w.onMessage);
      win = w;
      return w;
    }

    // showCount puts the chat window's unanswered count in front of the CRM tab's title (B8).
    function showCount(n) {
      if (baseTitle === null) baseTitle = document.title.replace(/^\(\d+\) /, '');
      document.title = (n > 0 ? '(' + n + ') ' : '') + baseTitle;
    }

    function close() {
      if (!win) return;
      if (baseTitle !== null) document.title = baseTitle;
      baseTitle = null;
      window.removeEventListener('message', win.onMessage);
      if (win.onKey) document.removeEventListener('keydown', win.onKey);
      if (win.overlay) win.overlay.remove();
      else win.root.remove();
      win = null;
    }

    // feedArea is the card's communication area (amoCRM's DOM; not an official API, so a card
    // without one gets the full-screen overlay instead).
    function feedArea() {
      return document.querySelector('.card-holder__feed, .notes-wrapper, .card-entity-form__feed');
    }

    // fullScreen opens the full-page window in an overlay with its own close button.
    function fullScreen() {
      var overlay = document.createElement('div');
      overlay.className = PREFIX + '__overlay';
      overlay.style.cssText = 'position:fixed;inset:0;z-index:10000;background:rgba(0,0,0,.45);padding:24px';
      var box = document.createElement('div');
      box.style.cssText = 'position:relative;width:100%;height:100%;background:#fff;border-radius:6px;overflow:hidden';
      overlay.appendChild(box);
      document.body.appendChild(overlay);
      var w = open(box, 'page', null, true);
      w.overlay = overlay;
      // Esc closes the overlay, from the CRM's page here and from inside the window by its
      // switchboard:close.
      w.onKey = function (ev) { if (ev.key === 'Escape') close(); };
      document.addEventListener('keydown', w.onKey);
      var x = document.createElement('button');
      x.type = 'button';
      x.className = PREFIX + '__overlay-close';
      x.setAttribute('aria-label', text('close'));
      x.title = text('close');
      x.textContent = '×';
      x.style.cssText = 'position:absolute;top:4px;right:10px;z-index:60;border:0;background:none;color:#fff;font:28px/1 sans-serif;cursor:pointer';
      x.addEventListener('click', close);
      overlay.appendChild(x);
    }

    this.openFromPanel = function (what) {
      var query = cardQuery();
      var feed = feedArea();
      if (what === 'card' && query && feed) open(feed, 'card', query, true);
      else fullScreen();
    };

    function panel() {
      var buttons = '';
      if (cardQuery()) {
        buttons += '<button type="button" class="button-input ' + PREFIX + '__open" data-switchboard-open="card" ' +
          'style="width:100%;margin-bottom:8px">' + escapeHTML(text('open_card')) + '</button>';
      }
      buttons += '<button type="button" class="button-input ' + PREFIX + '__full" data-switchboard-open="page" ' +
        'style="width:100%">' + escapeHTML(text('open_full')) + '</button>';
      return '<div class="' + PREFIX + '__panel">' + buttons + '</div>';
    }

    this.callbacks = {
      render: function () {
        current = self;
        if (/card$/.test(area())) {
          self.render_template({ caption: { class_name: PREFIX + '__caption' }, body: '', render: panel() });
        }
        return true;
      },
      init: function () { return true; },
      bind_actions: function () { return true; },
      initMenuPage: function () {
        current = self;
        var code = self.get_settings().widget_code;
        var container = document.getElementById('work-area-' + code);
        if (container) open(container, 'page', null, false);
      },
      settings: function ($modal_body) {
        var body = $modal_body && ($modal_body[0] || $modal_body);
        if (!body || !body.appendChild) return;
        var p = document.createElement('p');
        p.className = PREFIX + '__settings';
        p.textContent = text('settings_text') + ' ';
        var a = document.createElement('a');
        a.href = HUB + '/cabinet/';
        a.target = '_blank';
        a.rel = 'noopener';
        a.textContent = text('settings_link');
        p.appendChild(a);
        body.appendChild(p);
      },
      onSave: function () { return true; },
      destroy: function () {
        close();
        if (current === self) current = null;
      }
    };
    return this;
  };

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
});
