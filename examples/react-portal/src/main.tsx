import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NexudusAuthProvider } from 'nexudus-auth/react';
import './styles.css';

// The Nexudus API origin (e.g. https://myspace.spaces.nexudus.com); default: the page's own origin.
const baseUrl = (import.meta.env.VITE_NEXUDUS_BASE_URL || window.location.origin).replace(/\/+$/, '');

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');
createRoot(root).render(
  <StrictMode>
    <NexudusAuthProvider options={{ baseUrl }}>
      <App baseUrl={baseUrl} />
    </NexudusAuthProvider>
  </StrictMode>,
);
