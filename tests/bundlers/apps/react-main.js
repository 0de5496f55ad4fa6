// Entry of the React app for Vite, webpack, esbuild and Parcel (StrictMode: the provider is mounted,
// disposed and mounted again, as in development).
import { StrictMode, createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import Portal from './portal.js';

createRoot(document.getElementById('root')).render(h(StrictMode, null, h(Portal)));
