// A small EVM assembler for hand-written test contracts: mnemonics, numbers (pushed with the
// smallest PUSH), raw hex, and labels (a label is a JUMPDEST; a reference pushes its offset).
const OPS: Record<string, number> = {
  STOP: 0x00, ADD: 0x01, MUL: 0x02, SUB: 0x03, DIV: 0x04, LT: 0x10, GT: 0x11, EQ: 0x14, ISZERO: 0x15,
  AND: 0x16, OR: 0x17, SHL: 0x1b, SHR: 0x1c, KECCAK256: 0x20, ADDRESS: 0x30, BALANCE: 0x31, ORIGIN: 0x32,
  CALLER: 0x33, CALLVALUE: 0x34, CALLDATALOAD: 0x35, CALLDATASIZE: 0x36, CALLDATACOPY: 0x37,
  RETURNDATASIZE: 0x3d, RETURNDATACOPY: 0x3e, SELFBALANCE: 0x47, POP: 0x50, MLOAD: 0x51, MSTORE: 0x52,
  SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57, GAS: 0x5a, JUMPDEST: 0x5b, PUSH0: 0x5f,
  LOG0: 0xa0, LOG1: 0xa1, LOG2: 0xa2, LOG3: 0xa3, CALL: 0xf1, RETURN: 0xf3, DELEGATECALL: 0xf4, STATICCALL: 0xfa, REVERT: 0xfd,
  INVALID: 0xfe,
};
for (let i = 1; i <= 16; i++) {
  OPS[`DUP${i}`] = 0x7f + i;
  OPS[`SWAP${i}`] = 0x8f + i;
}

export type AsmItem = string | bigint | number | { label: string } | { ref: string };

export const label = (name: string): AsmItem => ({ label: name });
export const ref = (name: string): AsmItem => ({ ref: name });

function push(v: bigint): number[] {
  if (v === 0n) return [0x5f];
  const bytes: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) bytes.unshift(Number(x & 0xffn));
  return [0x5f + bytes.length, ...bytes];
}

export function assemble(...items: AsmItem[]): Uint8Array {
  const out: number[] = [];
  const labels = new Map<string, number>();
  const fixups: Array<[at: number, name: string]> = [];
  for (const it of items) {
    if (typeof it === 'bigint' || typeof it === 'number') out.push(...push(BigInt(it)));
    else if (typeof it === 'object' && 'label' in it) {
      labels.set(it.label, out.length);
      out.push(0x5b);
    } else if (typeof it === 'object') {
      fixups.push([out.length + 1, it.ref]);
      out.push(0x61, 0, 0);
    } else if (it.startsWith('0x')) {
      const h = it.slice(2);
      for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.slice(i, i + 2), 16));
    } else {
      const op = OPS[it];
      if (op === undefined) throw new Error(`unknown mnemonic ${it}`);
      out.push(op);
    }
  }
  for (const [at, name] of fixups) {
    const dest = labels.get(name);
    if (dest === undefined) throw new Error(`unknown label ${name}`);
    out[at] = dest >> 8;
    out[at + 1] = dest & 0xff;
  }
  return Uint8Array.from(out);
}
