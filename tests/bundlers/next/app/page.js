// A server component: `next build` prerenders it, which renders the 'use client' portal (and imports
// nexudus-auth and nexudus-auth/react) on the server. portal.js is copied from ../../apps/ by the matrix.
import Portal from './portal.js';

export default function Page() {
  return <Portal />;
}
