// Preloaded into the tests' Azurite (node --require): it ends when the test process that started it
// is gone. A test host that is killed never runs its exit handlers, and its Azurite would otherwise
// live on, holding memory and ports on a machine other builds share.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    process.exit(0);
  }
}, 1000).unref();
