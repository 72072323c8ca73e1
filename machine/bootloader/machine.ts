// The block machine (design.md): the one place that says what happens in what order.
//
//   init ─▶ blockContext ─▶ txLoop ─┬─▶ readTx ─▶ validate ─▶ frameDispatch ─▶ refund ─▶ record ─┐
//                                   └◀─────────────────────────────────────────────────────────┘
//                                   └─▶ finalize ─▶ done
//
// The definition is an xstate machine. Its actions run in the order the machine dictates; each
// state's work is done on entry and a NEXT event moves on. Running an xstate actor costs ~6 µs
// per event, too much per transaction, so runBlock executes the same definition through a table
// compiled from the machine's own state nodes; runBlockWithActor drives the real actor, and a test
// checks both visit the same states.
import { createActor, setup, type AnyStateMachine } from 'xstate';
import type { StateNode } from 'xstate';
import { BlockExecution } from './block.ts';
import type { Profile } from './profile.ts';
import type { Oracle } from '../oracle/types.ts';
import type { BlockOutput } from './types.ts';
import type { IoEventSink } from '../system/events.ts';

type Ctx = { block: BlockExecution };

const ACTIONS = {
  init: (b: BlockExecution) => b.init(),
  blockContext: (b: BlockExecution) => b.blockContext(),
  readTx: (b: BlockExecution) => b.readTx(),
  validate: (b: BlockExecution) => b.validate(),
  execute: (b: BlockExecution) => b.execute(),
  refund: (b: BlockExecution) => b.refund(),
  record: (b: BlockExecution) => b.record(),
  finalize: (b: BlockExecution) => b.finalize(),
} as const;

const GUARDS = {
  hasTx: (b: BlockExecution) => b.hasTx(),
  isValid: (b: BlockExecution) => b.isValid(),
} as const;

type ActionName = keyof typeof ACTIONS;
type GuardName = keyof typeof GUARDS;

function actionsFor() {
  const out = {} as Record<ActionName, (a: { context: Ctx }) => void>;
  for (const k of Object.keys(ACTIONS) as ActionName[]) out[k] = ({ context }) => ACTIONS[k](context.block);
  return out;
}

function guardsFor() {
  const out = {} as Record<GuardName, (a: { context: Ctx }) => boolean>;
  for (const k of Object.keys(GUARDS) as GuardName[]) out[k] = ({ context }) => GUARDS[k](context.block);
  return out;
}

export const blockMachine = setup({
  types: { context: {} as Ctx, input: {} as Ctx, events: {} as { type: 'NEXT' } },
  actions: actionsFor(),
  guards: guardsFor(),
}).createMachine({
  id: 'block',
  context: ({ input }) => input,
  initial: 'init',
  states: {
    init: { entry: 'init', on: { NEXT: 'blockContext' } },
    blockContext: { entry: 'blockContext', on: { NEXT: 'txLoop' } },
    txLoop: {
      initial: 'readTx',
      states: {
        readTx: { entry: 'readTx', on: { NEXT: [{ guard: 'hasTx', target: 'validate' }, { target: '#block.finalize' }] } },
        validate: { entry: 'validate', on: { NEXT: [{ guard: 'isValid', target: 'frameDispatch' }, { target: 'record' }] } },
        frameDispatch: { entry: 'execute', on: { NEXT: 'refund' } },
        refund: { entry: 'refund', on: { NEXT: 'record' } },
        record: { entry: 'record', on: { NEXT: 'readTx' } },
      },
    },
    finalize: { entry: 'finalize', on: { NEXT: 'done' } },
    done: { type: 'final' },
  },
});

// ---- the compiled table ------------------------------------------------------------------------

interface CompiledState {
  id: string;
  entry: ((b: BlockExecution) => void) | null;
  transitions: Array<{ guard: ((b: BlockExecution) => boolean) | null; target: number }>;
  final: boolean;
}

function leafOf(node: StateNode<any, any>): StateNode<any, any> {
  let n = node;
  while (n.type === 'compound') n = n.initial.target[0];
  return n;
}

function compile(machine: AnyStateMachine): { states: CompiledState[]; initial: number } {
  const leaves: StateNode<any, any>[] = [];
  const visit = (n: StateNode<any, any>) => {
    if (n.type === 'atomic' || n.type === 'final') leaves.push(n);
    for (const child of Object.values(n.states)) visit(child);
  };
  visit(machine.root);
  const index = new Map(leaves.map((n, i) => [n.id, i]));
  const states = leaves.map((n): CompiledState => {
    const entryNames = n.entry.map((a: any) => a.type ?? a);
    if (entryNames.length > 1) throw new Error(`state ${n.id}: one entry action at most`);
    const entry = entryNames.length ? ACTIONS[entryNames[0] as ActionName] : null;
    const defs = n.transitions.get('NEXT') ?? [];
    const transitions = defs.map((t: any) => {
      const g = t.guard === undefined ? null : GUARDS[(typeof t.guard === 'string' ? t.guard : t.guard.type) as GuardName];
      return { guard: g ?? null, target: index.get(leafOf(t.target[0]).id)! };
    });
    return { id: n.id, entry, transitions, final: n.type === 'final' };
  });
  return { states, initial: index.get(leafOf(machine.root).id)! };
}

const COMPILED = compile(blockMachine);

export interface RunOptions {
  /** Record the sequence of states visited. */
  trace?: boolean;
  /** Receives the block's IO events in order. */
  events?: IoEventSink;
  /**
   * The memory budget for heaps and return data, in bytes (default DEFAULT_ARENA_BYTES). Running
   * out fails the block with ArenaExhausted.
   */
  arenaBytes?: number;
}

/** Executes one block: the oracle supplies everything; the result is the block's output. */
export function runBlock(oracle: Oracle, profile: Profile, opts: RunOptions = {}): BlockOutput {
  const b = new BlockExecution(oracle, profile, opts.events ?? null, opts.arenaBytes);
  const { states, initial } = COMPILED;
  const trace: string[] | null = opts.trace ? [] : null;
  let s = states[initial];
  try {
    for (;;) {
      if (trace) trace.push(s.id);
      if (s.entry) s.entry(b);
      if (s.final) break;
      let next = -1;
      for (const t of s.transitions) {
        if (t.guard === null || t.guard(b)) {
          next = t.target;
          break;
        }
      }
      s = states[next];
    }
  } finally {
    b.close();
  }
  const out = b.output!;
  out.trace = trace;
  return out;
}

/** The same block through the real xstate actor: slower, for audits and for checking the table. */
export function runBlockWithActor(oracle: Oracle, profile: Profile, opts: RunOptions = {}): BlockOutput {
  const b = new BlockExecution(oracle, profile, opts.events ?? null, opts.arenaBytes);
  const trace: string[] = [];
  const actor = createActor(blockMachine, { input: { block: b } });
  // The error handler keeps xstate from rethrowing a failed block asynchronously: it is thrown below.
  actor.subscribe({ next: (snap) => trace.push(leafId(snap.value)), error: () => {} });
  try {
    actor.start();
    while (actor.getSnapshot().status === 'active') actor.send({ type: 'NEXT' });
  } finally {
    b.close();
  }
  const snap = actor.getSnapshot();
  if (snap.status === 'error') throw snap.error;
  const out = b.output!;
  out.trace = trace;
  return out;
}

function leafId(value: unknown): string {
  let v = value;
  let id = 'block';
  while (typeof v === 'object' && v !== null) {
    const [k, inner] = Object.entries(v as Record<string, unknown>)[0];
    id += '.' + k;
    v = inner;
  }
  return id + '.' + String(v);
}
