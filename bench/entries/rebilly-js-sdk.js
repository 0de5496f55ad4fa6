import { RebillyAPI } from 'rebilly-js-sdk';
window.__ready = RebillyAPI({ publishableKey: 'pk_sandbox_bench', organizationId: 'bench-org', sandbox: true });
