// Regenerates machine/hooks/precompiles/blake2f-wasm.ts (the BLAKE2F WebAssembly binary, base64)
// from blake2f.wat beside this script, with wabt (devDependency).
//
//   node machine/hooks/precompiles/wasm/build.mjs          write blake2f-wasm.ts
//   node machine/hooks/precompiles/wasm/build.mjs --check  exit 1 if blake2f-wasm.ts is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const watPath = fileURLToPath(new URL('./blake2f.wat', import.meta.url));
const outPath = fileURLToPath(new URL('../blake2f-wasm.ts', import.meta.url));

const wabt = await wabtInit();
const mod = wabt.parseWat('blake2f.wat', readFileSync(watPath, 'utf8'));
mod.validate();
const { buffer } = mod.toBinary({ log: false, write_debug_names: false, canonicalize_lebs: true });
mod.destroy();

// Validate with the engine too, and check the exports the TS side relies on.
const instance = new WebAssembly.Instance(new WebAssembly.Module(buffer), {});
if (typeof instance.exports.compress !== 'function' || !(instance.exports.mem instanceof WebAssembly.Memory)) {
  throw new Error('blake2f.wat must export "compress" and "mem"');
}

const b64 = Buffer.from(buffer).toString('base64');
const lines = b64.match(/.{1,100}/g) ?? [];
const text =
  `// GENERATED from wasm/blake2f.wat by \`node machine/hooks/precompiles/wasm/build.mjs\`; do not edit.\n` +
  `// The BLAKE2b compression function F for the 0x09 precompile as a WebAssembly module\n` +
  `// (${buffer.length} bytes), base64.\n` +
  `export const BLAKE2F_WASM_BASE64 =\n` +
  lines.map((l) => `  '${l}'`).join(' +\n') +
  ';\n';

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${outPath} is stale: run node machine/hooks/precompiles/wasm/build.mjs`);
    process.exit(1);
  }
  console.log(`${outPath} is up to date (${buffer.length} bytes)`);
} else {
  writeFileSync(outPath, text);
  console.log(`wrote ${outPath} (${buffer.length} bytes of wasm)`);
}
