import { AuthClient } from '@supabase/auth-js';
// The constructor starts initialize() itself; the client is ready when that settles (no network without a
// session or URL tokens). persistSession:false = in-memory storage, like our `storage: 'memory'`.
const client = new AuthClient({ url: location.origin + '/auth/v1', persistSession: false });
window.__ready = client.initialize().then(() => client);
