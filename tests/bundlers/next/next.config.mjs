// `output: 'export'`: the matrix serves the prerendered app from its own static server (nothing here is
// needed by nexudus-auth itself).
export default { output: 'export', images: { unoptimized: true } };
