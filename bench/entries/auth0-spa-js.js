import { Auth0Client } from '@auth0/auth0-spa-js';
// The constructor, not createAuth0Client() (that one also calls checkSession, a network round trip).
window.__ready = new Auth0Client({ domain: location.host, clientId: 'bench', cacheLocation: 'memory' });
