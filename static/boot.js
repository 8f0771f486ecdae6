// Starts the app. A file of its own rather than an inline script, so the page's
// Content-Security-Policy can forbid inline scripts altogether.
import init from './driftwise-web.js';

init({ module_or_path: new URL('./driftwise-web_bg.wasm', import.meta.url) }).catch((error) => {
  const message = document.createElement('p');
  message.className = 'boot-error';
  message.textContent = `driftwise could not start: ${error}`;
  document.body.append(message);
});
