// The demo chain's workload: deterministic keys, the genesis, and blocks of realistic zksync
// traffic — L1→L2 deposits, an ERC-20 and many transfers among many accounts, calls that revert,
// one transaction per block that fails validation (nonce too high), withdrawals through the base
// token and messages to L1. Everything is derived from indices and the block number, so two runs
// build the same chain; what a continued run needs (nonces, token balances, whether the token is
// deployed) comes from the stored state.
import { readFileSync } from 'node:fs';
import { bigIntToBytes, bytesToBigInt, concatBytes, hexToBytes } from '../../machine/common/bytes.ts';
import { keccak256, privateKeyToAddress } from '../../machine/crypto/index.ts';
import { createAddress } from '../../machine/ee/evm/calls.ts';
import type { ZkBlockTx } from '../../machine/bootloader/zksync/build.ts';
import type { BlockOutput } from '../../machine/bootloader/types.ts';
import { L2_BASE_TOKEN_ADDRESS } from '../../machine/hooks/system/addresses.ts';
import type { PreStateAccount } from '../../machine/oracle/memory.ts';
import type { BlockMetadata } from '../../machine/oracle/types.ts';
import { L1_MESSENGER_ADDRESS } from '../../machine/system/io.ts';
import { signTransaction } from '../../machine/tx/encode.ts';
import { signEip712Transaction } from '../../machine/tx/zksync/eip712.ts';
import type { Chain } from '../../storage/chain.ts';

export const DEMO_CHAIN_ID = 270n;
export const DEMO_ACCOUNTS = 128;
export const OPERATOR = 0x0beef0000000000000000000000000000000c0den;
export const BASE_FEE = 1000n;
export const NATIVE_PRICE = 10n;
export const GAS_PER_PUBDATA = 1n;
export const BLOCK_GAS_LIMIT = 1_000_000_000n;
export const GENESIS_TIMESTAMP = 1_700_000_000n;
export const BLOCK_TIME = 2n;
const E18 = 10n ** 18n;
export const INITIAL_BALANCE = 1000n * E18;
export const TOKEN_SUPPLY = 10n ** 27n;
/** What a holder gets from the deployer before it starts sending tokens. */
const TOKEN_GRANT = 10n ** 22n;
/** The L1 side: who deposits, who receives withdrawals. */
const L1_SENDER = 0x1111000000000000000000000000000000001111n;
const L1_RECEIVER = 0x2222000000000000000000000000000000002222n;

const ERC20 = JSON.parse(readFileSync(new URL('./erc20.json', import.meta.url), 'utf8')) as { bytecode: string };
const word = (v: bigint): Uint8Array => bigIntToBytes(v, 32);
const selector = (sig: string): Uint8Array => keccak256(new TextEncoder().encode(sig)).slice(0, 4);
const TRANSFER = selector('transfer(address,uint256)');
const WITHDRAW = selector('withdraw(address)');
const SEND_TO_L1 = selector('sendToL1(bytes)');

/** The key of demo account i (deterministic: 0x…d3e0 ‖ i). */
export const demoKey = (i: number): Uint8Array => bigIntToBytes(0xd3e0_0000n + BigInt(i) + 1n, 32);

export interface DemoAccount {
  index: number;
  key: Uint8Array;
  address: bigint;
  balanceSlot: bigint;
}

/** The ERC-20 balance slot of a holder: keccak(holder ‖ 1). */
export const tokenBalanceSlot = (holder: bigint): bigint => bytesToBigInt(keccak256(concatBytes(word(holder), word(1n))));

export function demoAccounts(n = DEMO_ACCOUNTS): DemoAccount[] {
  return Array.from({ length: n }, (_, index) => {
    const key = demoKey(index);
    const address = privateKeyToAddress(key);
    return { index, key, address, balanceSlot: tokenBalanceSlot(address) };
  });
}

/** The token: the first contract account 0 deploys. */
export const demoToken = (accounts: DemoAccount[]): bigint => createAddress(accounts[0].address, 0n);

export function demoGenesis(accounts: DemoAccount[]): Map<bigint, PreStateAccount> {
  return new Map(accounts.map((a) => [a.address, { balance: INITIAL_BALANCE, nonce: 0n, code: new Uint8Array(0), storage: new Map() }]));
}

export function demoMetadata(number: bigint, timestamp: bigint, blockHashes: bigint[]): BlockMetadata {
  return {
    chainId: DEMO_CHAIN_ID,
    blockNumber: number,
    timestamp,
    blockHashes,
    eip1559BaseFee: BASE_FEE,
    gasPerPubdata: GAS_PER_PUBDATA,
    nativePrice: NATIVE_PRICE,
    coinbase: OPERATOR,
    gasLimit: BLOCK_GAS_LIMIT,
    mixHash: number,
    blobBaseFee: 1n,
  };
}

/** A small deterministic generator (mulberry32): the demo seeds it by block number, the bench by run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What each planned transaction is meant to do (for the summary and the tests). */
export type TxKind = 'deposit' | 'deploy' | 'grant' | 'token' | 'eth' | 'revert' | 'withdraw' | 'message' | 'nonce-too-high';

export interface PlannedBlock {
  txs: ZkBlockTx[];
  kinds: TxKind[];
}

/**
 * What the workload knows about the chain: nonces and token balances of the demo accounts, and
 * whether the token exists. Loaded from the stored state; after each block, updated from its
 * state diff (so a transaction that did not do what was planned cannot desynchronise nonces).
 */
export class DemoState {
  readonly nonces: bigint[];
  readonly tokens: bigint[];
  tokenDeployed: boolean;
  readonly token: bigint;
  private readonly bySlot = new Map<bigint, number>();
  private readonly byAddress = new Map<bigint, number>();
  private depositSerial = 0n;

  constructor(
    readonly accounts: DemoAccount[],
    chain: Chain,
  ) {
    this.token = demoToken(accounts);
    this.nonces = accounts.map((a) => chain.accountAt(a.address)?.nonce ?? 0n);
    const tokenAccount = chain.accountAt(this.token);
    this.tokenDeployed = tokenAccount !== null && tokenAccount.code.length > 0;
    this.tokens = accounts.map((a) => (this.tokenDeployed ? chain.storageAt(this.token, a.balanceSlot) : 0n));
    accounts.forEach((a) => {
      this.bySlot.set(a.balanceSlot, a.index);
      this.byAddress.set(a.address, a.index);
    });
    this.depositSerial = BigInt(chain.head()) * 1000n;
  }

  /** Takes the block's effects from its state diff. */
  apply(out: BlockOutput): void {
    for (const d of out.stateDiff) {
      const i = this.byAddress.get(d.address);
      if (i !== undefined) this.nonces[i] = d.nonce;
      if (d.address === this.token) {
        if (d.code !== null && d.code.length > 0) this.tokenDeployed = true;
        for (const [slot, value] of d.storage) {
          const h = this.bySlot.get(slot);
          if (h !== undefined) this.tokens[h] = value;
        }
      }
    }
  }

  /** Builds block `number`'s transactions: `size` of them (at least 4). */
  plan(number: number, size: number): PlannedBlock {
    const r = rng(number * 2654435761);
    const n = this.accounts.length;
    const nonces = [...this.nonces];
    const tokens = [...this.tokens];
    const txs: ZkBlockTx[] = [];
    const kinds: TxKind[] = [];
    // Within a block, half the accounts only send and the other half only receive (the halves swap
    // every block): a balance that moves one way only never shrinks the block's pubdata, which a
    // transaction's pubdata_used cannot yet express (a negative count; see the README).
    const senders = this.accounts.filter((a) => (a.index + number) % 2 === 1).map((a) => a.index);
    const receivers = this.accounts.filter((a) => (a.index + number) % 2 === 0).map((a) => a.index);
    const pick = (): number => senders[Math.floor(r() * senders.length)];
    const other = (_s: number): number => receivers[Math.floor(r() * receivers.length)];
    const send = (kind: TxKind, s: number, fields: { to: bigint | null; value?: bigint; data?: Uint8Array; gasLimit?: bigint }, style: number) => {
      const a = this.accounts[s];
      const nonce = nonces[s]++;
      const gasLimit = fields.gasLimit ?? 300_000n;
      const value = fields.value ?? 0n;
      const data = fields.data ?? new Uint8Array(0);
      let envelope: Uint8Array;
      if (style === 0 && fields.to !== null) {
        envelope = signEip712Transaction({ nonce, to: fields.to, value, data, gasLimit, maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n, gasPerPubdata: 50_000n }, a.key, DEMO_CHAIN_ID);
      } else if (style === 1) {
        envelope = signTransaction({ type: 0, chainId: DEMO_CHAIN_ID, nonce, to: fields.to, value, data, gasLimit, maxFeePerGas: 1500n }, a.key);
      } else {
        envelope = signTransaction({ type: 2, chainId: DEMO_CHAIN_ID, nonce, to: fields.to, value, data, gasLimit, maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n }, a.key);
      }
      txs.push({ envelope });
      kinds.push(kind);
    };
    const style = (): number => {
      const x = r();
      return x < 0.1 ? 0 : x < 0.3 ? 1 : 2; // 10 % EIP-712, 20 % legacy, 70 % EIP-1559
    };

    // L1→L2 deposits first, as priority operations come (about 3 %).
    const deposits = Math.max(1, Math.round(size * 0.03));
    for (let i = 0; i < deposits && txs.length < size; i++) {
      const to = this.accounts[other(0)].address;
      const value = E18 / 100n + BigInt(Math.floor(r() * 1e6));
      const gasLimit = 300_000n;
      txs.push({ l1: { from: L1_SENDER, to, gasLimit, gasPerPubdataByteLimit: 800n, maxFeePerGas: 1000n, nonce: this.depositSerial++, value, toMint: value + 1000n * gasLimit, refundRecipient: L1_SENDER } });
      kinds.push('deposit');
    }
    if (!this.tokenDeployed && nonces[0] === 0n) {
      send('deploy', 0, { to: null, data: concatBytes(hexToBytes(ERC20.bytecode), word(TOKEN_SUPPLY)), gasLimit: 3_000_000n }, 2);
      tokens[0] = TOKEN_SUPPLY;
    } else if (!this.tokenDeployed) {
      throw new Error(`the demo token ${this.token.toString(16)} is not deployed and account 0 has nonce ${nonces[0]}: this chain was not made by zkos demo`);
    }
    // One transaction per block that fails validation: a nonce 5 ahead (rejected, no trace).
    const rejectAt = txs.length + Math.floor(r() * Math.max(1, size - txs.length));

    while (txs.length < size) {
      if (txs.length === rejectAt) {
        const s = pick();
        const a = this.accounts[s];
        const envelope = signTransaction({ type: 2, chainId: DEMO_CHAIN_ID, nonce: nonces[s] + 5n, to: this.accounts[other(s)].address, value: 1n, gasLimit: 100_000n, maxFeePerGas: 2000n, maxPriorityFeePerGas: 100n }, a.key);
        txs.push({ envelope });
        kinds.push('nonce-too-high');
        continue;
      }
      const s = pick();
      const to = other(s);
      const x = r();
      if (x < 0.6) {
        if (tokens[s] === 0n) {
          // The sender has no tokens yet: a sending holder grants some to a receiver without any
          // (it sends them in a later block, when the halves have swapped); the sender pays ETH.
          const holder = senders.find((h) => tokens[h] >= 2n * TOKEN_GRANT);
          const needy = receivers.find((h) => tokens[h] === 0n);
          if (holder !== undefined && needy !== undefined) {
            send('grant', holder, { to: this.token, data: concatBytes(TRANSFER, word(this.accounts[needy].address), word(TOKEN_GRANT)), gasLimit: 200_000n }, 2);
            tokens[holder] -= TOKEN_GRANT;
            tokens[needy] += TOKEN_GRANT;
          } else {
            send('eth', s, { to: this.accounts[to].address, value: 1n + BigInt(Math.floor(r() * 1e9)), gasLimit: 100_000n }, style());
          }
          continue;
        }
        const amount = 1n + BigInt(Math.floor(r() * Number(tokens[s] < 1_000_000n ? tokens[s] : 1_000_000n)));
        const amt = amount > tokens[s] ? tokens[s] : amount;
        send('token', s, { to: this.token, data: concatBytes(TRANSFER, word(this.accounts[to].address), word(amt)), gasLimit: 200_000n }, style());
        tokens[s] -= amt;
        tokens[to] += amt;
      } else if (x < 0.75) {
        send('eth', s, { to: this.accounts[to].address, value: BigInt(1 + Math.floor(r() * 1e9)), gasLimit: 100_000n }, style());
      } else if (x < 0.83) {
        // A token transfer of more than the sender holds: the ERC-20 reverts (nonce and fee kept).
        send('revert', s, { to: this.token, data: concatBytes(TRANSFER, word(this.accounts[to].address), word(tokens[s] + TOKEN_SUPPLY)), gasLimit: 200_000n }, style());
      } else if (x < 0.91) {
        send('withdraw', s, { to: L2_BASE_TOKEN_ADDRESS, value: BigInt(1 + Math.floor(r() * 1e12)), data: concatBytes(WITHDRAW, word(L1_RECEIVER)), gasLimit: 300_000n }, 2);
      } else {
        const msg = new TextEncoder().encode(`zkos demo block ${number} message ${txs.length} from ${s}`);
        const padded = concatBytes(msg, new Uint8Array((32 - (msg.length % 32)) % 32));
        send('message', s, { to: L1_MESSENGER_ADDRESS, data: concatBytes(SEND_TO_L1, word(32n), word(BigInt(msg.length)), padded), gasLimit: 300_000n }, 2);
      }
    }
    return { txs, kinds };
  }
}
