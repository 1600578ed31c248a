import { EVENTS_PATH } from './inject.js';

/**
 * The script every HTML page gets (served at /__gohot/client.js). It follows the page
 * status on the event stream: it reloads once the app it came from was replaced by one that
 * is ready, shows build failures and crashes in an overlay built with textContent (never
 * innerHTML: compiler output quotes source), and swaps stylesheets in place. All tabs share
 * one connection where the browser has BroadcastChannel and Web Locks: the tab holding the
 * lock connects and relays; when it closes, the next tab takes the lock and connects.
 */
export function clientScript(): string {
  return CLIENT.replace('__EVENTS__', JSON.stringify(EVENTS_PATH));
}

const CLIENT = `(() => {
  'use strict';
  const me = document.currentScript;
  const epoch = Number(me && me.dataset.gohotEpoch);
  const OVERLAY_ID = 'gohot-overlay';

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  };
  const text = (tag, value, attrs) => {
    const node = el(tag, attrs);
    node.textContent = value;
    return node;
  };

  const STYLE = [
    ':host{all:initial}',
    '.backdrop{position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.66);display:flex;align-items:flex-start;justify-content:center;overflow:auto;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}',
    '.box{margin:48px 16px;max-width:960px;width:100%;background:#1e1e1e;color:#e8e8e8;border-top:6px solid #e5484d;border-radius:6px;padding:20px 24px;box-shadow:0 8px 32px rgba(0,0,0,.5)}',
    'h2{margin:0 0 12px;font-size:18px;color:#ff8589}',
    'ul{list-style:none;margin:0 0 12px;padding:0}',
    'li{padding:6px 0;border-bottom:1px solid #333;white-space:pre-wrap;word-break:break-word}',
    'a{color:#7cc4ff}',
    '.pkg{color:#999;margin-left:8px}',
    '.msg{display:block;color:#fff}',
    'pre{white-space:pre-wrap;word-break:break-word;background:#111;padding:12px;border-radius:4px;max-height:50vh;overflow:auto}',
    'summary{cursor:pointer;color:#bbb}',
    '.hint{color:#999;margin-top:12px}',
  ].join('');

  const hideOverlay = () => {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  };
  const showOverlay = (problem) => {
    hideOverlay();
    const host = el('div', { id: OVERLAY_ID });
    const root = host.attachShadow({ mode: 'open' });
    const box = el('div', { class: 'box', role: 'alert' });
    if (problem.kind === 'build-failed') {
      box.append(text('h2', 'Build failed'));
      const list = el('ul');
      for (const d of problem.diagnostics) {
        const item = el('li', { class: 'diagnostic' });
        if (d.file !== undefined) {
          const where = d.file + (d.line !== undefined ? ':' + d.line + (d.column !== undefined ? ':' + d.column : '') : '');
          item.append(d.href !== undefined ? text('a', where, { href: d.href, class: 'location' }) : text('span', where, { class: 'location' }));
        }
        if (d.importPath !== undefined) item.append(text('span', d.importPath, { class: 'pkg' }));
        item.append(text('span', d.message, { class: 'msg' }));
        list.append(item);
      }
      box.append(list);
      const details = el('details', { class: 'output' }, text('summary', 'Full output'), text('pre', problem.text));
      box.append(details);
      box.append(text('div', 'The page keeps showing the last app that built; it reloads after the next successful build.', { class: 'hint' }));
    } else {
      box.append(text('h2', 'The app exited'));
      const end = problem.app.kind === 'killed' ? 'was killed by ' + problem.app.signal : 'exited with code ' + problem.app.code;
      box.append(text('pre', 'The app (pid ' + problem.pid + ') ' + end + '.', { class: 'end' }));
      if (problem.lines.length > 0) {
        box.append(text('div', 'Its last output:', { class: 'hint' }));
        box.append(text('pre', problem.lines.join(String.fromCharCode(10)), { class: 'lines' }));
      }
      box.append(text('div', 'The page reloads when the app runs again.', { class: 'hint' }));
    }
    root.append(text('style', STYLE), el('div', { class: 'backdrop' }, box));
    (document.body || document.documentElement).append(host);
  };

  const swapStylesheets = () => {
    const stamp = String(Date.now());
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set('gohot', stamp);
      const next = link.cloneNode();
      next.href = url.href;
      next.addEventListener('load', () => link.remove(), { once: true });
      next.addEventListener('error', () => next.remove(), { once: true });
      link.after(next);
    }
  };

  let reloading = false;
  const onStatus = (s) => {
    if (reloading) return;
    if (s.problem) showOverlay(s.problem);
    else hideOverlay();
    if (s.ready && !s.problem && s.epoch !== epoch) {
      reloading = true;
      location.reload();
    }
  };
  const dispatch = (msg) => {
    if (msg.type === 'status') onStatus(msg.data);
    else if (msg.type === 'assets') {
      if (msg.data.cssOnly) swapStylesheets();
      else location.reload();
    }
  };

  const connect = (onMessage) => {
    let delayMs = 250;
    const open = () => {
      const source = new EventSource(__EVENTS__);
      const relay = (type) => (e) => {
        delayMs = 250;
        onMessage({ type, data: JSON.parse(e.data) });
      };
      source.addEventListener('status', relay('status'));
      source.addEventListener('assets', relay('assets'));
      // gohot stopped or restarted: reconnect with a growing pause, up to 5 s.
      source.onerror = () => {
        source.close();
        setTimeout(open, delayMs);
        delayMs = Math.min(delayMs * 2, 5000);
      };
    };
    open();
  };

  const Channel = self.BroadcastChannel;
  const locks = navigator.locks;
  if (Channel === undefined || locks === undefined) {
    connect(dispatch);
    return;
  }
  const channel = new Channel('gohot-events');
  let leader = false;
  let last;
  channel.onmessage = (e) => {
    if (e.data === 'hello') {
      if (leader && last !== undefined) channel.postMessage(last);
    } else dispatch(e.data);
  };
  locks.request('gohot-events', () => {
    leader = true;
    connect((msg) => {
      if (msg.type === 'status') last = msg;
      dispatch(msg);
      channel.postMessage(msg);
    });
    return new Promise(() => {});
  });
  channel.postMessage('hello');
})();
`;
