// Faro operator console: live updates. Every action works without this file (forms
// POST and redirect); with it, the queue and the open chat follow the events of every
// replica (Server-Sent Events) and catch up after each reconnection.
(function () {
  'use strict';
  var body = document.body;
  var base = body.getAttribute('data-base');
  if (!base || !window.EventSource || !window.fetch) { return; }
  var user = body.getAttribute('data-user') || '';
  var key = body.getAttribute('data-key') || '';
  var live = document.getElementById('live');

  function status(on) {
    if (!live) { return; }
    live.hidden = false;
    live.textContent = live.getAttribute(on ? 'data-text-on' : 'data-text-off');
    live.className = 'live ' + (on ? 'on' : 'off');
  }

  function fetchInto(id, url, done) {
    var el = document.getElementById(id);
    if (!el) { return; }
    fetch(url, { credentials: 'same-origin', headers: { 'X-Fragment': '1' }, cache: 'no-store' })
      .then(function (r) {
        if (r.status === 401) { window.location.href = base + '/login'; return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (typeof html !== 'string') { return; }
        el.innerHTML = html;
        if (done) { done(el); }
      })
      .catch(function () { /* offline: the next event or reconnection catches up */ });
  }

  // chatChanged: the ticket changed hands or state; the compose forms of this page no
  // longer fit. Reload when nothing is being typed, else say so.
  function chatChanged(el) {
    var k = el.querySelector('#chat-key');
    if (!k || k.getAttribute('data-key') === key) { return; }
    if (!typing()) { window.location.reload(); return; }
    var note = document.getElementById('changed');
    if (note) { note.hidden = false; }
  }

  function typing() {
    var areas = document.querySelectorAll('textarea');
    for (var i = 0; i < areas.length; i++) { if (areas[i].value.trim() !== '') { return true; } }
    return false;
  }

  // moved: the person's ticket now lives under her name under a new secret (a
  // rotation); the chat open here follows it, unless something is being typed.
  function moved(to) {
    if (!typing()) { window.location.href = base + '/chat/' + to; return; }
    var note = document.getElementById('changed');
    if (note) { note.hidden = false; }
  }

  function catchUp() {
    fetchInto('queue', base + '/queue');
    if (user) { fetchInto('live-chat', base + '/chat/' + user + '/live', chatChanged); }
  }

  var pending = null;
  function soon() { // coalesce a burst of events into one fetch
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; catchUp(); }, 400);
  }

  var es = null;
  var wait = 1000;
  function connect() {
    es = new EventSource(base + '/events');
    es.onopen = function () { wait = 1000; status(true); catchUp(); };
    es.addEventListener('change', function (e) {
      var d = {};
      try { d = JSON.parse(e.data); } catch (x) { d = {}; }
      if (d.kind === 'moved' && user && d.user === user && /^[0-9a-f]+$/.test(d.to || '')) {
        moved(d.to);
        return;
      }
      if (!user || !d.user || d.user === user || document.getElementById('queue')) { soon(); }
    });
    es.onerror = function () {
      status(false);
      if (es.readyState === 2) { // CLOSED: the browser gave up (a 401 too); retry with backoff
        es.close();
        catchUp(); // a fragment answering 401 sends her to the login page
        setTimeout(connect, wait);
        wait = Math.min(wait * 2, 30000);
      }
    };
  }
  connect();
  setInterval(catchUp, 60000); // waiting times move even when nothing happens
}());
