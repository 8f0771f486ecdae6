// <driftwise-review>: the driftwise app inside a host page (an internal portal), in a shadow root
// of its own so neither page's styles reach the other. Nothing is fetched from anywhere but the
// folder this file is in. One element per page.
//
//   <script type="module" src="driftwise/embed.js"></script>
//   <driftwise-review id="review"></driftwise-review>
//
//   review.addEventListener('driftwise-ready', () => review.load({
//     files: [{ name: 'base.yaml', text }, { name: 'prod.yaml', text }],
//     policy: { name: 'driftwise.yaml', text },       // optional
//     provider: 'aws',                                 // optional
//   }));
//   review.addEventListener('driftwise-report', (e) => e.detail);  // the report (JSON), each check
//   review.addEventListener('driftwise-plan', (e) => e.detail);    // the plan, each time it changes
//   review.addEventListener('driftwise-export', (e) => e.detail);  // { format } of an export
import init from './driftwise-web.js';

const base = new URL('./', import.meta.url);
let started;

class DriftwiseReview extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const shadow = this.attachShadow({ mode: 'open' });
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = new URL('app.css', base).href;
    const root = document.createElement('div');
    root.className = 'driftwise-root';
    shadow.append(style, root);
    this.root = root;
    globalThis.driftwiseMount = { root, base: base.href };
    started ??= init({ module_or_path: new URL('driftwise-web_bg.wasm', base) }).catch((error) => {
      root.textContent = `driftwise could not start: ${error}`;
    });
  }

  /** Replaces the app's files: `{ files: [{ name, text }], policy?: { name, text }, provider? }`. */
  load(input) {
    this.root.dispatchEvent(new CustomEvent('driftwise-load', { detail: input }));
  }
}

customElements.define('driftwise-review', DriftwiseReview);
