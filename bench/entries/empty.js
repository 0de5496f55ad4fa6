// Baseline: an empty module. Its load time is the floor every candidate pays (fetch + parse of one module).
window.__ready = null;
