// The sandbox CRM's widget host: what amoCRM gives a widget, for the real script.js.
//  - an AMD `define` that takes the widget module;
//  - APP / AMOCRM: lang_id, constant('user'|'account'|'managers'|'user_rights'),
//    data.current_card, getWidgetsArea(), getBaseEntity(), isCard();
//  - the widget object: system(), get_settings(), i18n(), render_template(),
//    $authorizedAjax() (a disposable token from /sandbox/amocrm/token, signed as amoCRM signs);
//  - the lifecycle: render → init → bind_actions on every area, initMenuPage on the widget's
//    page, destroy when leaving an area (links move without reloading, as in amoCRM).
(function () {
  'use strict';
  var page = read();
  var Widget = null;
  var widget = null;
  var langs = {};

  function read() {
    return JSON.parse(document.getElementById('shell-data').textContent);
  }

  window.define = function (deps, factory) {
    if (typeof deps === 'function') { factory = deps; deps = []; }
    if (deps.length) throw new Error('sandbox CRM: no AMD modules are provided here: ' + deps.join(', '));
    Widget = factory();
  };
  window.define.amd = {};

  window.APP = window.AMOCRM = {
    get lang_id() { return page.lang; },
    constant: function (key) {
      return { user: page.user, account: page.account, managers: page.managers,
        user_rights: { is_admin: page.user.is_admin, is_free_user: false } }[key];
    },
    data: {
      get current_card() { return page.card ? { id: page.card.id, model: {} } : false; }
    },
    getWidgetsArea: function () { return page.widgets_area; },
    getBaseEntity: function () { return page.base_entity; },
    isCard: function () { return !!page.card; }
  };

  // authorizedAjax: $.ajax-like options, a promise with jqXHR's then/done/fail. Errors reject
  // with {status, responseJSON, responseText} like a failed jqXHR.
  function authorizedAjax(opts) {
    var p = fetch(page.widget.token_url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_id: page.user.id, account: page.account.code })
    }).then(function (r) {
      return r.ok ? r.json() : Promise.reject({ status: r.status });
    }).then(function (t) {
      var headers = { 'X-Auth-Token': t.token };
      var body;
      if (opts.data !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data);
      }
      return fetch(opts.url, { method: (opts.type || opts.method || 'GET').toUpperCase(), headers: headers, body: body, mode: 'cors' });
    }).then(function (r) {
      return r.text().then(function (txt) {
        var json = null;
        try { json = JSON.parse(txt); } catch (e) { json = null; }
        return r.ok ? json : Promise.reject({ status: r.status, responseJSON: json, responseText: txt });
      });
    });
    p.done = function (f) { p.then(f, function () {}); return p; };
    p.fail = function (f) { p.then(null, f); return p; };
    return p;
  }

  var base = {
    system: function () {
      return { area: page.area, amouser_id: page.user.id, amouser: page.user.login, amohash: 'sandbox',
        subdomain: page.account.subdomain, domain: location.host, server: location.host };
    },
    get_settings: function () {
      return { widget_code: page.widget.code, path: page.widget.path, images_path: page.widget.path + '/images',
        version: page.widget.version, oauth_client_uuid: page.widget.client_uuid, active: 'Y', status: 'installed' };
    },
    i18n: function (key) { var l = langs[page.widget_lang] || {}; return l[key]; },
    render_template: function (opts) {
      var column = document.getElementById('widgets_block');
      if (!column) return;
      var block = document.createElement('div');
      block.className = 'widget-block ' + ((opts.caption && opts.caption.class_name) || '');
      block.setAttribute('data-widget-code', page.widget.code);
      var caption = document.createElement('div');
      caption.className = 'widget-block__caption';
      var img = document.createElement('img');
      img.src = page.widget.path + '/images/logo_min.png';
      img.alt = '';
      caption.appendChild(img);
      caption.appendChild(document.createTextNode(((langs[page.widget_lang] || {}).widget || {}).name || page.widget.code));
      var body = document.createElement('div');
      body.className = 'widget-block__body';
      body.innerHTML = (opts.body || '') + (opts.render || '');
      block.appendChild(caption);
      block.appendChild(body);
      column.appendChild(block);
    },
    $authorizedAjax: authorizedAjax
  };

  function enter() {
    if (!widget) {
      widget = Object.create(base);
      widget = Widget.call(widget) || widget;
    }
    var cb = widget.callbacks;
    if (cb.render() === true) {
      cb.init();
      cb.bind_actions();
    }
    if (page.area === 'widget_page' && cb.initMenuPage) {
      cb.initMenuPage({ location: 'widget_page', item_code: 'chats' });
    }
  }

  function leave() {
    if (widget && widget.callbacks.destroy) widget.callbacks.destroy();
  }

  // go moves to another area without reloading: the widget is destroyed, the page swapped, and
  // the widget rendered again for the new area.
  function go(url, push) {
    fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      leave();
      document.getElementById('shell').replaceWith(document.adoptNode(doc.getElementById('shell')));
      document.getElementById('shell-data').textContent = doc.getElementById('shell-data').textContent;
      document.title = doc.title;
      page = read();
      if (push) history.pushState(null, '', url);
      // A move before script.js arrived: the first load renders the widget in the new area.
      if (Widget) enter();
    });
  }

  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[data-nav]');
    if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    go(a.href, true);
  });
  window.addEventListener('popstate', function () { go(location.href, false); });
  document.addEventListener('change', function (ev) {
    if (ev.target.id === 'user-switcher') location.href = location.pathname + '?as=' + encodeURIComponent(ev.target.value);
    // Another account has other cards: the switcher's options lead to its list (or widget page).
    if (ev.target.id === 'account-switcher') location.href = ev.target.selectedOptions[0].dataset.href;
  });

  // Typing in a feed's reply box tells amoCRM — and through the integration the customer — that
  // the manager is typing, at most once every 4 seconds, as amoCRM's own feed does.
  var typedAt = 0;
  document.addEventListener('input', function (ev) {
    var form = ev.target.closest && ev.target.closest('form.feed-reply');
    if (!form || Date.now() - typedAt < 4000) return;
    typedAt = Date.now();
    fetch(form.action.replace(/\/reply$/, '/typing'), { method: 'POST', credentials: 'same-origin',
      body: new URLSearchParams({ chat_id: form.elements.chat_id.value }) });
  });

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }

  // amoCRM loads a widget only in accounts its integration is installed in.
  if (!page.installed) {
    document.documentElement.setAttribute('data-widget-ready', 'not-installed');
    return;
  }
  // The language file and the script are fetched together; the widget starts once both are in.
  Promise.all([
    fetch(page.widget.path + '/i18n/' + page.widget_lang + '.json').then(function (r) { return r.json(); })
      .then(function (l) { langs[page.widget_lang] = l; }),
    loadScript(page.widget.path + '/script.js')
  ])
    .then(function () {
      if (!Widget) throw new Error('sandbox CRM: script.js did not define a widget');
      enter();
      document.documentElement.setAttribute('data-widget-ready', '1');
    })
    .catch(function (e) { console.error(e); });
})();
