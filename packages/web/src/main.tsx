import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startI18n } from './i18n';

/** After a release an open tab may ask for a chunk the new build no longer has: load the new build once. */
const RELOADED_AT = 'asistone.reloadedForChunks';
window.addEventListener('vite:preloadError', (event) => {
  try {
    const last = Number(sessionStorage.getItem(RELOADED_AT));
    if (Date.now() - last < 60_000) return; // Reloaded a minute ago: a real outage, not a release.
    sessionStorage.setItem(RELOADED_AT, String(Date.now()));
  } catch {
    return;
  }
  event.preventDefault();
  window.location.reload();
});

// The app renders once the visitor's language is loaded: no key is ever shown untranslated.
void startI18n().then(() => {
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
