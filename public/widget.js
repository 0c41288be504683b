/*
 * Outage Radar incident banner. Add to any page:
 *   <script src="https://<this site>/widget.js" data-lang="en" data-service="teams" async></script>
 * While an incident is active it inserts a small banner at the top of the page; otherwise nothing.
 * It requests only this site's /api/status.json (no cookies, no referrer), builds every element
 * with textContent (no HTML from data), styles through the CSSOM (works under a strict
 * style-src), and links only to incident pages of this site. Under a host CSP, allow this origin in
 * script-src and connect-src.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src || !window.fetch) return;
  var origin = new URL(script.src).origin;
  var lang = script.getAttribute('data-lang') === 'de' ? 'de' : 'en';
  var service = script.getAttribute('data-service') || '';
  var TEXT = {
    en: { confirmed: 'Microsoft outage', suspected: 'Unconfirmed reports of a Microsoft outage', details: 'Details', dismiss: 'Dismiss', label: 'Microsoft service status' },
    de: { confirmed: 'Microsoft-Störung', suspected: 'Unbestätigte Meldungen über eine Microsoft-Störung', details: 'Details', dismiss: 'Ausblenden', label: 'Status der Microsoft-Dienste' },
  }[lang];
  var DISMISS_KEY = 'outage-radar-dismissed';

  function css(el, styles) {
    for (var name in styles) el.style.setProperty(name, styles[name]);
    return el;
  }

  // Only our own incident pages, on the origin the script came from (the data's host may be
  // another name of the same site).
  function incidentUrl(value) {
    try {
      var pathname = new URL(value).pathname;
      return /^\/(en|de)\/incidents\/[a-z0-9-]+\/$/.test(pathname) ? origin + pathname : null;
    } catch (err) {
      return null;
    }
  }

  function dismissed(key) {
    try {
      return sessionStorage.getItem(DISMISS_KEY) === key;
    } catch (err) {
      return false;
    }
  }

  function render(data) {
    if (!data || !data.activeIncidents) return;
    var incidents = data.activeIncidents.filter(function (i) {
      return !service || (i.services && i.services.indexOf(service) !== -1);
    });
    if (incidents.length === 0) return;
    var key = incidents.map(function (i) { return i.id; }).sort().join(' ');
    if (dismissed(key)) return;
    var confirmed = incidents.filter(function (i) { return i.confirmed; });
    var main = confirmed[0] || incidents[0];

    var banner = css(document.createElement('div'), {
      display: 'flex', 'flex-wrap': 'wrap', gap: '0.5em 1em', 'align-items': 'center',
      padding: '0.6em 1em', background: '#fff8c5', color: '#1b1f24', 'border-bottom': '2px solid #9a6700',
      font: '15px/1.4 system-ui, sans-serif', 'text-align': 'left',
    });
    banner.setAttribute('role', 'status');
    banner.setAttribute('aria-label', TEXT.label);
    banner.setAttribute('data-outage-radar', '');
    var strong = document.createElement('strong');
    strong.textContent = (confirmed.length > 0 ? TEXT.confirmed : TEXT.suspected) + ':';
    var title = document.createElement('span');
    title.textContent = String(main.title || '').slice(0, 200) + (incidents.length > 1 ? ' (+' + (incidents.length - 1) + ')' : '');
    banner.appendChild(strong);
    banner.appendChild(title);
    var href = incidentUrl(main.urls && main.urls[lang]);
    if (href) {
      var link = css(document.createElement('a'), { color: '#0550ae', 'text-decoration': 'underline' });
      link.href = href;
      link.rel = 'noopener';
      link.textContent = TEXT.details;
      banner.appendChild(link);
    }
    var close = css(document.createElement('button'), {
      'margin-left': 'auto', font: 'inherit', color: '#1b1f24', background: 'transparent',
      border: '1px solid #9a6700', 'border-radius': '4px', padding: '0 0.6em', cursor: 'pointer',
    });
    close.type = 'button';
    close.textContent = TEXT.dismiss;
    close.addEventListener('click', function () {
      banner.remove();
      try {
        sessionStorage.setItem(DISMISS_KEY, key);
      } catch (err) {
        // Storage blocked: the banner returns on the next page, which is acceptable.
      }
    });
    banner.appendChild(close);
    document.body.insertBefore(banner, document.body.firstChild);
  }

  fetch(origin + '/api/status.json', { credentials: 'omit', referrerPolicy: 'no-referrer' })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (document.body) render(data);
      else document.addEventListener('DOMContentLoaded', function () { render(data); });
    })
    .catch(function (err) {
      if (window.console) console.warn('Outage Radar widget: status unavailable', err);
    });
})();
