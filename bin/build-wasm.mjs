// Regenerates the machine's embedded WebAssembly modules (base64 in a .ts file, so machine/ loads
// them without I/O) with wabt (devDependency):
//   machine/hooks/precompiles/blake2f-wasm.ts  from machine/hooks/precompiles/wasm/blake2f.wat
//   machine/crypto/keccak-wasm.ts              from machine/crypto/wasm/keccak-wat.mjs (generated text)
//
//   node bin/build-wasm.mjs          write them
//   node bin/build-wasm.mjs --check  exit 1 if any is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { IN, IN_BLOCKS, keccakWat, OUT, RATE } from '../machine/crypto/wasm/keccak-wat.mjs';

const path = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));

const MODULES = [
  {
    out: 'machine/hooks/precompiles/blake2f-wasm.ts',
    source: 'machine/hooks/precompiles/wasm/blake2f.wat',
    wat: () => readFileSync(path('machine/hooks/precompiles/wasm/blake2f.wat'), 'utf8'),
    what: 'The BLAKE2b compression function F for the 0x09 precompile',
    exports: ['compress', 'mem'],
    constant: 'BLAKE2F_WASM_BASE64',
    extra: '',
  },
  {
    out: 'machine/crypto/keccak-wasm.ts',
    source: 'machine/crypto/wasm/keccak-wat.mjs',
    wat: keccakWat,
    what: 'keccak-256 (Keccak-f[1600], rate 136 bytes)',
    exports: ['absorb', 'finish', 'reset', 'mem'],
    constant: 'KECCAK_WASM_BASE64',
    extra:
      `/** Where the module takes its input, and how many whole 136-byte blocks fit there. */\n` +
      `export const KECCAK_IN = ${IN};\nexport const KECCAK_IN_BLOCKS = ${IN_BLOCKS};\nexport const KECCAK_RATE = ${RATE};\n` +
      `/** Where \`finish\` leaves the 32-byte digest. */\nexport const KECCAK_OUT = ${OUT};\n`,
  },
];

const wabt = await wabtInit();
let stale = 0;
for (const m of MODULES) {
  const mod = wabt.parseWat(m.source, m.wat());
  mod.validate();
  const { buffer } = mod.toBinary({ log: false, write_debug_names: false, canonicalize_lebs: true });
  mod.destroy();
  // Validate with the engine too, and check the exports the TS side relies on.
  const instance = new WebAssembly.Instance(new WebAssembly.Module(buffer), {});
  for (const name of m.exports) if (!(name in instance.exports)) throw new Error(`${m.source} must export "${name}"`);
  const lines = Buffer.from(buffer).toString('base64').match(/.{1,100}/g) ?? [];
  const text =
    `// GENERATED from ${m.source} by \`node bin/build-wasm.mjs\`; do not edit.\n` +
    `// ${m.what} as a WebAssembly module (${buffer.length} bytes), base64.\n` +
    `export const ${m.constant} =\n` +
    lines.map((l) => `  '${l}'`).join(' +\n') +
    ';\n' +
    m.extra;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path(m.out), 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${m.out} is stale: run node bin/build-wasm.mjs`);
      stale++;
    } else console.log(`${m.out} is up to date (${buffer.length} bytes)`);
  } else {
    writeFileSync(path(m.out), text);
    console.log(`wrote ${m.out} (${buffer.length} bytes of wasm)`);
  }
}
if (stale > 0) process.exit(1);
