/**
 * Renderer entry: styles, the bridge wiring (events → stores), then the app.
 * Runs sandboxed with no Node; everything it knows comes from `window.studio`.
 */
// Fast refresh without the inline <script> Vite would inject (the CSP forbids inline scripts);
// an empty module in production builds.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The app-wide sheets first; each feature's own sheet comes with its components (after these).
import './styles/base.css';
// The controls' sheets live beside their primitives (app/controls/) but load here, in this order:
// every view uses them, and the layout and feature sheets after them refine them.
import './app/controls/buttons.css';
import './app/controls/inputs.css';
import './app/controls/field.css';
import './app/controls/switch.css';
import './app/controls/segmented.css';
import './app/controls/disclosure.css';
import './app/controls/banner.css';
import './app/controls/feedback.css';
import './styles/shell.css';
// The studio's columns: feature sheets, but loaded here (where styles/studio.css was) so that the
// layout and feature sheets after them still refine them in the same order.
import './features/studio/studio-layout.css';
import './features/prompt/prompt-column.css';
import './features/params/params-column.css';
import './features/studio/canvas-area.css';
import './features/results/job-card.css';
import './styles/pages.css';
import { App } from './app/App';
import { asClientError, platform } from './app/client';
import { connectStudio } from './app/connect-studio';
import { useToken } from './features/welcome/token-store';

// macOS draws the window buttons over the toolbar (titleBarStyle: hiddenInset): CSS leaves room.
document.documentElement.dataset.platform = platform();

try {
  connectStudio();
} catch (e) {
  // No bridge (opened outside the app): App shows this instead of a blank window.
  useToken.setState({ error: asClientError(e) });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
