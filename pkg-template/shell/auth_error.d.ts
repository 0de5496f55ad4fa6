// For tsc only (scripts/check-js.sh): the type of './auth_error.js', the package's one AuthError class
// (src/js/auth_error.js, pkg/auth_error.js once built) as the public types declare it.
export { AuthError } from '../index.js';
