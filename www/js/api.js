// The origin of the API (Nexudus, Rebilly and the mock's /mock/* helpers) this demo talks to.
//
// scripts/demo.sh: the mock serves the API, this page and the package on one origin, so it is
// `location.origin`. When the page is served from another origin (as in production, and as the
// browser tests do, see tests/e2e/pages-server.mjs), that server names the API in
// `<meta name="nexudus-api" content="http://127.0.0.1:18787">` and lists it in the CSP's connect-src.
const named = document.querySelector('meta[name="nexudus-api"]')?.getAttribute('content');

/** The API origin, without a trailing slash. */
export const API_ORIGIN = named ? new URL(named).origin : location.origin;
