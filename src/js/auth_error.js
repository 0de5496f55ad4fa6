// The one `AuthError` class of nexudus-auth. Rust imports it as a wasm-bindgen snippet and the
// package entry (pkg/index.js) re-exports this same module, so `err instanceof AuthError` holds.
export class AuthError extends Error {
  constructor(code, message, status, description, extra) {
    super(message);
    this.name = 'AuthError';
    /** Contract code, e.g. 'invalid_credentials'. */
    this.code = code;
    /** HTTP status when a server answered, else null. */
    this.status = status == null ? null : status;
    /** The server's own description (error_description / Message / detail), else null. */
    this.description = description == null ? null : description;
    if (extra) {
      if (extra.resetToken != null) this.resetToken = extra.resetToken;
      if (extra.errors != null) this.errors = extra.errors;
      if (extra.retryAfter != null) this.retryAfter = extra.retryAfter;
    }
  }
}
