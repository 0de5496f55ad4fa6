/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Nexudus API origin; the page's origin when unset. */
  readonly VITE_NEXUDUS_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
