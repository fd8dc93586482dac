// Faro web chat: sends the person's messages, shows the replies that arrive by
// Server-Sent Events, reconnects and catches up. No framework; the page's sentences
// come from data-* attributes of <body> (rendered from locales/ by the server).
(function () {
  'use strict';
  var T = document.body.dataset;
  var $ = function (id) { return document.getElementById(id); };
  var log = $('log'), quick = $('quick'), typing = $('typing'), offline = $('offline');
  var form = $('composer'), text = $('text');
  var picker = $('picker'), search = $('picker-search'), list = $('picker-list');
  var es = null, lastId = '', backoff = 1000, reconnectTimer = 0, typingTimer = 0;
  var seen = {}, mine = {}, places = null, started = false;
  // ?start=CODE: an organization's code, as in a Telegram deep link. Sent once with
  // the start, then taken out of the address so that a reload does not send it again.
  var code = (/[?&]start=([A-Za-z0-9_-]{1,64})(?:&|$)/.exec(location.search) || [])[1] || '';
  if (code && window.history && history.replaceState) {
    history.replaceState(null, '', location.pathname);
  }

  function el(tag, cls, txt) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (txt) { n.textContent = txt; }
    return n;
  }

  function newId() {
    var a = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(a);
    var s = '';
    for (var i = 0; i < a.length; i++) { s += ('0' + a[i].toString(16)).slice(-2); }
    return s;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  // rich fills a bubble with text: paragraphs, links for web addresses and phone numbers.
  var linkRe = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])|(\+?\d[\d \-]{4,}\d)/g;
  function rich(node, s) {
    var paras = (s || '').split(/\n{2,}/);
    for (var i = 0; i < paras.length; i++) {
      var p = el('p'), t = paras[i], last = 0, m;
      linkRe.lastIndex = 0;
      while ((m = linkRe.exec(t)) !== null) {
        var digits = m[2] ? m[2].replace(/[^\d+]/g, '') : '';
        if (m[2] && digits.replace('+', '').length < 6) { continue; }
        p.appendChild(document.createTextNode(t.slice(last, m.index)));
        var a = el('a', '', m[0]);
        a.href = m[1] ? m[1] : 'tel:' + digits;
        if (m[1]) { a.target = '_blank'; a.rel = 'noopener noreferrer'; }
        p.appendChild(a);
        last = m.index + m[0].length;
      }
      p.appendChild(document.createTextNode(t.slice(last)));
      node.appendChild(p);
    }
  }

  function clock(unix) {
    var d = unix ? new Date(unix * 1000) : new Date();
    return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }

  function bubble(from, s, at) {
    var row = el('div', 'msg ' + from);
    if (from === 'operator') { row.appendChild(el('div', 'who', T.operator)); }
    var b = el('div', 'bubble');
    rich(b, s);
    b.appendChild(el('div', 'meta', clock(at)));
    row.appendChild(b);
    log.insertBefore(row, typing);
    scrollDown();
    return row;
  }

  function note(s, action, label) {
    var n = el('div', 'note', s);
    if (action) {
      var b = el('button', '', label);
      b.type = 'button';
      b.addEventListener('click', function () { n.parentNode.removeChild(n); action(); });
      n.appendChild(b);
    }
    log.insertBefore(n, typing);
    scrollDown();
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) { scrollDown(); typingTimer = setTimeout(function () { typing.hidden = true; }, 20000); }
  }

  // quick replies: the options of the last reply, and the district list when it asks
  // where the person is.
  function options(ev) {
    quick.textContent = '';
    closePicker();
    var bs = ev.buttons || [];
    for (var i = 0; i < bs.length; i++) {
      (function (btn) {
        var b = el('button', '', btn.label);
        b.type = 'button';
        b.addEventListener('click', function () { send({ payload: btn.payload, label: btn.label }, btn.label); });
        quick.appendChild(b);
      })(bs[i]);
    }
    if (ev.ask_location) {
      var p = el('button', 'place', '📍 ' + T.pickDistrict);
      p.type = 'button';
      p.id = 'pick-district';
      p.addEventListener('click', openPicker);
      quick.appendChild(p);
    }
  }

  function fold(s) {
    return (s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }

  function fillPicker() {
    list.textContent = '';
    var q = fold(search.value.trim()), shown = 0;
    for (var i = 0; i < places.length && shown < 80; i++) {
      var p = places[i];
      if (q ? fold(p[1]).indexOf(q) < 0 : p[2] !== 'Lima, Lima') { continue; }
      (function (p) {
        var li = el('li'), b = el('button', '', p[1]);
        b.type = 'button';
        b.appendChild(el('small', '', p[2]));
        b.addEventListener('click', function () { closePicker(); send({ place: p[0] }, p[1]); });
        li.appendChild(b);
        list.appendChild(li);
      })(p);
      shown++;
    }
    if (!shown) { list.appendChild(el('li', 'note', T.noDistrict)); }
  }

  function openPicker() {
    picker.hidden = false;
    if (places) { fillPicker(); search.focus(); return; }
    var x = new XMLHttpRequest();
    x.open('GET', '/webchat/places');
    x.onload = function () {
      if (x.status !== 200) { note(T.errorNetwork); return; }
      try { places = JSON.parse(x.responseText); } catch (e) { places = []; }
      fillPicker();
    };
    x.onerror = function () { note(T.errorNetwork); };
    x.send();
  }

  function closePicker() { picker.hidden = true; search.value = ''; }

  // post sends one message; the page's id makes a retry safe (the server and the bot
  // drop a duplicate).
  function post(body, row, tries) {
    var x = new XMLHttpRequest();
    x.open('POST', '/webchat/send');
    x.setRequestHeader('Content-Type', 'application/json');
    x.timeout = 30000;
    x.onload = function () {
      if (x.status === 202) {
        if (row) { row.className = 'msg me sent'; }
        // Replies are queued before the answer: wait a moment for them.
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typing.hidden = true; }, 4000);
        return;
      }
      var code = 'invalid';
      try { code = JSON.parse(x.responseText).error || code; } catch (e) { /* keep invalid */ }
      if ((code === 'busy' || code === 'slow') && tries < 5) {
        setTimeout(function () { post(body, row, tries + 1); }, 2000 * (tries + 1));
        return;
      }
      failed(body, row, code);
    };
    x.onerror = x.ontimeout = function () {
      if (tries < 5) { setTimeout(function () { post(body, row, tries + 1); }, 2000 * (tries + 1)); return; }
      failed(body, row, 'network');
    };
    x.send(JSON.stringify(body));
  }

  function failed(body, row, code) {
    showTyping(false);
    var key = { empty: 'errorEmpty', too_long: 'errorTooLong', session: 'errorSession', busy: 'errorBusy', slow: 'errorSlow', network: 'errorNetwork' }[code] || 'errorInvalid';
    if (code === 'session') {
      if (row) { row.className = 'msg me failed'; }
      note(T[key], function () { location.reload(); }, '↻');
      return;
    }
    if (row) {
      row.className = 'msg me failed';
      row.title = T.retry;
      row.onclick = function () { row.onclick = null; row.className = 'msg me'; showTyping(true); post(body, row, 0); };
    }
    note(T[key]);
  }

  function send(fields, shown) {
    var body = { id: newId() };
    for (var k in fields) { if (Object.prototype.hasOwnProperty.call(fields, k)) { body[k] = fields[k]; } }
    var row = null;
    if (shown) { row = bubble('me', shown); mine[body.id] = true; }
    quick.textContent = '';
    showTyping(true);
    post(body, row, 0);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var s = text.value.trim();
    if (!s) { return; }
    if (s.length > 2000) { note(T.errorTooLong); return; }
    text.value = '';
    text.style.height = '';
    send({ text: s }, s);
    text.focus();
  });
  text.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event('submit')); }
  });
  text.addEventListener('input', function () {
    text.style.height = '';
    text.style.height = Math.min(text.scrollHeight, 120) + 'px';
  });
  search.addEventListener('input', fillPicker);
  $('picker-close').addEventListener('click', closePicker);

  function onEvent(e) {
    if (e.lastEventId) {
      if (seen[e.lastEventId]) { return; }
      seen[e.lastEventId] = true;
      lastId = e.lastEventId;
    }
    var ev;
    try { ev = JSON.parse(e.data); } catch (err) { return; }
    if (ev.from === 'me') {
      if (ev.client && mine[ev.client]) { return; } // already on screen
      bubble('me', ev.text, ev.at).className = 'msg me sent';
      quick.textContent = ''; // the options were answered
      closePicker();
      return;
    }
    showTyping(false);
    var row = bubble(ev.from === 'operator' ? 'operator' : 'bot', ev.text, ev.at);
    options(ev);
    // A long reply (a list of services) is read from its start; a short one with the
    // options under it, at the bottom.
    if (row.offsetHeight > log.clientHeight * 0.6) {
      log.scrollTop = row.offsetTop - 8;
    } else {
      scrollDown();
    }
  }

  function connect() {
    clearTimeout(reconnectTimer);
    if (es) { es.close(); }
    es = new EventSource('/webchat/events' + (lastId ? '?after=' + encodeURIComponent(lastId) : ''));
    es.onopen = function () { offline.hidden = true; backoff = 1000; };
    es.onmessage = onEvent;
    es.addEventListener('ready', function (e) {
      offline.hidden = true;
      var d = {};
      try { d = JSON.parse(e.data); } catch (err) { /* not fresh */ }
      if ((d.fresh || code) && !started) {
        started = true;
        showTyping(true);
        var start = { id: newId(), start: true };
        if (code) { start.code = code; }
        post(start, null, 0);
      }
    });
    es.onerror = function () {
      offline.hidden = false;
      if (es.readyState === 2) { // closed for good: reconnect ourselves, slower each time
        reconnectTimer = setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 30000);
      }
    };
  }
  window.addEventListener('online', function () { if (!es || es.readyState === 2) { connect(); } });
  connect();
})();
