// The machine's embedded WebAssembly modules (bin/build-wasm.mjs writes them as base64 in .ts
// files): compiled and instantiated synchronously, without I/O or imports.

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The exports of a fresh instance of the module; throws when WebAssembly cannot run it. */
export function instantiateEmbedded(base64: string): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(base64ToBytes(base64)), {}).exports;
}
