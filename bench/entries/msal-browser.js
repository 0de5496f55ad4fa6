import { PublicClientApplication } from '@azure/msal-browser';
// MSAL must be initialize()d before any call; it makes no network request until a token is requested.
const pca = new PublicClientApplication({
  auth: { clientId: '00000000-0000-0000-0000-000000000000', authority: 'https://login.microsoftonline.com/common' },
  cache: { cacheLocation: 'memoryStorage' },
});
window.__ready = pca.initialize().then(() => pca);
