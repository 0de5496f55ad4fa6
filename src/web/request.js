// Builds a `Request` from plain parts in one call (used by src/web/fetch.rs). Through web-sys the same
// takes eight imports (Headers::new/set, RequestInit::new and four setters, Request::new_with_str_and_init),
// each a glue function plus its call code in the wasm (bench/RESULTS.md "Item 2"). `headers` is a flat
// array [name, value, name, value, ...]; an invalid header or URL throws, as `new Request` does.
export function buildRequest(method, url, headers, body, signal) {
  const h = new Headers();
  for (let i = 0; i < headers.length; i += 2) h.set(headers[i], headers[i + 1]);
  return new Request(url, { method, headers: h, body, signal });
}
