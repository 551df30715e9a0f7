// Live sessions: the count and the screen follow the session's events (Server-Sent Events).
// Progressive enhancement: without JavaScript the presenter page reloads itself every 5 s and
// the facilitator's controls are plain forms.
'use strict';

(function () {
  var root = document.querySelector('.js-live');
  if (!root || !window.EventSource) return;
  var mode = root.getAttribute('data-mode');
  var version = Number(root.getAttribute('data-version'));
  var source = new EventSource(root.getAttribute('data-events'));

  var plural = function (n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  };

  // Said as the page says it (sessions/session.room.ts), announced by its live region.
  var showCount = function (data) {
    var k = Number(root.getAttribute('data-k'));
    document.querySelectorAll('.js-count').forEach(function (el) {
      el.textContent =
        data.expected === null
          ? data.n + ' answered'
          : data.n + ' answered (of ' + data.expected + ')';
    });
    document.querySelectorAll('.js-k').forEach(function (el) {
      el.textContent = data.kReached
        ? 'Enough answers to show the results.'
        : 'Results show from ' + k + ' answers: ' + data.missingForK + ' more needed.';
      el.classList.toggle('live-k--reached', data.kReached);
    });
    document.querySelectorAll('.js-reveal').forEach(function (button) {
      var label = button.getAttribute('data-label');
      button.disabled = !data.kReached;
      button.setAttribute('aria-disabled', String(!data.kReached));
      button.textContent = data.kReached
        ? label
        : label + ' — ' + plural(data.missingForK, 'more answer', 'more answers') + ' needed';
    });
  };

  // The presenter takes the new screen from its own page; the facilitator's page, whose forms
  // may hold what the coach is typing, reloads only for a change made elsewhere.
  var refresh = function () {
    if (mode !== 'presenter') {
      window.location.reload();
      return;
    }
    fetch(window.location.href, { credentials: 'same-origin' })
      .then(function (res) {
        return res.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').querySelector('.js-live');
        if (!next) return;
        root.innerHTML = next.innerHTML;
        root.setAttribute('data-version', next.getAttribute('data-version'));
      });
  };

  source.addEventListener('count', function (event) {
    showCount(JSON.parse(event.data));
  });
  source.addEventListener('state', function (event) {
    var data = JSON.parse(event.data);
    if (data.state === 'ended') source.close();
    if (data.version === version) return;
    version = data.version;
    refresh();
  });
})();
