// The WebAssembly text of keccak-256, written out from the FIPS 202 description of Keccak-f[1600]
// (section 3.2): the ρ offsets and π positions come from the spec's walk over the lanes, the ι
// round constants from its rc LFSR, so no table is typed in by hand. bin/build-wasm.mjs compiles
// the text into machine/crypto/keccak-wasm.ts.
//
// Memory layout (one module instance, never grown):
//   0..199    the state, 25 little-endian u64 lanes, lane (x, y) at 8 * (x + 5y)
//   200..231  the digest, after `finish`
//   256..447  the 24 round constants
//   512..     the input: `absorb` takes whole 136-byte blocks from here, `finish` the last < 136
//             bytes (padded in place, so 136 bytes must fit)

const STATE = 0;
export const OUT = 200;
const RC_AT = 256;
export const IN = 512;
export const RATE = 136;
/** Two 64 KiB pages: the input area holds this many whole blocks. */
export const IN_BLOCKS = Math.floor((2 * 65536 - IN) / RATE);

/** ρ rotation offset of each lane, by index x + 5y. */
function rhoOffsets() {
  const r = new Array(25).fill(0);
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    r[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return r;
}

/** rc(t) of FIPS 202 algorithm 5. */
function rcBit(t) {
  if (t % 255 === 0) return 1;
  let R = [1, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 1; i <= t % 255; i++) {
    R = [0, ...R];
    R[0] ^= R[8];
    R[4] ^= R[8];
    R[5] ^= R[8];
    R[6] ^= R[8];
    R = R.slice(0, 8);
  }
  return R[0];
}

/** ι's constant of each of the 24 rounds. */
function roundConstants() {
  const out = [];
  for (let ir = 0; ir < 24; ir++) {
    let c = 0n;
    for (let j = 0; j <= 6; j++) if (rcBit(j + 7 * ir)) c |= 1n << BigInt((1 << j) - 1);
    out.push(c);
  }
  return out;
}

const a = (i) => `$a${i}`;
const b = (i) => `$b${i}`;
const get = (v) => `(local.get ${v})`;
const xor = (p, q) => `(i64.xor ${p} ${q})`;

function dataString(constants) {
  let s = '';
  for (const c of constants) for (let k = 0; k < 8; k++) s += '\\' + Number((c >> BigInt(8 * k)) & 0xffn).toString(16).padStart(2, '0');
  return s;
}

export function keccakWat() {
  const rho = rhoOffsets();
  const L = [];
  L.push('(module');
  L.push(' (memory (export "mem") 2)');
  L.push(` (data (i32.const ${RC_AT}) "${dataString(roundConstants())}")`);
  // One block: XOR the 17 rate lanes at $p into the state, then the 24 rounds, the lanes in locals.
  L.push(' (func $block (param $p i32)');
  const locals = ['(local $r i32)'];
  for (let i = 0; i < 25; i++) locals.push(`(local ${a(i)} i64)`, `(local ${b(i)} i64)`);
  for (let x = 0; x < 5; x++) locals.push(`(local $c${x} i64)`, `(local $d${x} i64)`);
  L.push('  ' + locals.join(' '));
  for (let i = 0; i < 25; i++) {
    const lane = `(i64.load offset=${STATE + 8 * i} (i32.const 0))`;
    L.push(`  (local.set ${a(i)} ${i < RATE / 8 ? xor(lane, `(i64.load offset=${8 * i} ${get('$p')})`) : lane})`);
  }
  L.push('  (loop $round');
  // θ: each lane takes the parities of the two neighbouring columns.
  for (let x = 0; x < 5; x++) L.push(`   (local.set $c${x} ${xor(xor(xor(xor(get(a(x)), get(a(x + 5))), get(a(x + 10))), get(a(x + 15))), get(a(x + 20)))})`);
  for (let x = 0; x < 5; x++) L.push(`   (local.set $d${x} ${xor(get(`$c${(x + 4) % 5}`), `(i64.rotl ${get(`$c${(x + 1) % 5}`)} (i64.const 1))`)})`);
  // ρ and π: lane (x, y), rotated, moves to (y, 2x + 3y).
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      const from = x + 5 * y;
      const v = xor(get(a(from)), get(`$d${x}`));
      L.push(`   (local.set ${b(y + 5 * ((2 * x + 3 * y) % 5))} ${rho[from] === 0 ? v : `(i64.rotl ${v} (i64.const ${rho[from]}))`})`);
    }
  }
  // χ: each row mixes with the complement of its next lane and the one after.
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const next = `(i64.xor ${get(b(((x + 1) % 5) + 5 * y))} (i64.const -1))`;
      L.push(`   (local.set ${a(x + 5 * y)} ${xor(get(b(x + 5 * y)), `(i64.and ${next} ${get(b(((x + 2) % 5) + 5 * y))})`)})`);
    }
  }
  // ι, then the next round.
  L.push(`   (local.set ${a(0)} ${xor(get(a(0)), `(i64.load offset=${RC_AT} (i32.shl ${get('$r')} (i32.const 3)))`)})`);
  L.push(`   (local.set $r (i32.add ${get('$r')} (i32.const 1)))`);
  L.push(`   (br_if $round (i32.lt_u ${get('$r')} (i32.const 24))))`);
  for (let i = 0; i < 25; i++) L.push(`  (i64.store offset=${STATE + 8 * i} (i32.const 0) ${get(a(i))})`);
  L.push(' )');
  // absorb(len): the whole blocks of the len bytes at IN (len a multiple of 136).
  L.push(` (func (export "absorb") (param $len i32) (local $p i32) (local $end i32)
  (local.set $p (i32.const ${IN}))
  (local.set $end (i32.add (i32.const ${IN}) (local.get $len)))
  (block $done
   (loop $next
    (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const ${RATE})) (local.get $end)))
    (call $block (local.get $p))
    (local.set $p (i32.add (local.get $p) (i32.const ${RATE})))
    (br $next))))`);
  L.push(` (func (export "reset") (memory.fill (i32.const ${STATE}) (i32.const 0) (i32.const 200)))`);
  // finish(len): the last len < 136 bytes at IN, padded pad10*1 with Keccak's domain bit 0x01
  // (not SHA-3's 0x06), one last block, and the first 32 bytes of the state to OUT.
  L.push(` (func (export "finish") (param $len i32)
  (memory.fill (i32.add (i32.const ${IN}) (local.get $len)) (i32.const 0) (i32.sub (i32.const ${RATE}) (local.get $len)))
  (i32.store8 offset=${IN} (local.get $len) (i32.const 1))
  (i32.store8 offset=${IN + RATE - 1} (i32.const 0) (i32.or (i32.load8_u offset=${IN + RATE - 1} (i32.const 0)) (i32.const 128)))
  (call $block (i32.const ${IN}))
  (memory.copy (i32.const ${OUT}) (i32.const ${STATE}) (i32.const 32)))`);
  L.push(')');
  return L.join('\n') + '\n';
}
