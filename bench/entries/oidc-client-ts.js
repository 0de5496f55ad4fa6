import { UserManager } from 'oidc-client-ts';
window.__ready = new UserManager({
  authority: location.origin + '/oidc',
  client_id: 'bench',
  redirect_uri: location.origin + '/callback',
});
