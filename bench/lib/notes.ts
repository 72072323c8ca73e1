// How each row of bench/RESULTS.md is measured (its "How" section, in Markdown).
export const METHOD_NOTES: readonly string[] = [
  '- ERC-20: the scenario of `shared/peers/erc20.json`; block 1 (deployment and setup) untimed, then the timed blocks of pre-signed',
  '  EIP-1559 transfers. zkos: `storage/chain.ts` `executeBlock` over a temporary SQLite file in the ethereum profile (decoding,',
  '  sender recovery, execution and per-block persistence timed). ethereumjs: `runTx` per transaction from the same bytes',
  '  (decoding and sender recovery timed) and the MPT state root after each block. Checked: every tx succeeds, the timed gas',
  '  equals `expected.timedGasUsed`, and both state roots (zkos: computed from its block diffs, untimed) equal the expected ones.',
  '  zkos computes no MPT root while timed; ethereumjs computes one per block, as in the peer baseline.',
  '- Forward replay: right after each ERC-20 run, `chain.replayBlock(n)` over its timed blocks on the same database (each block',
  '  run again from its stored oracle log alone, its IO events and output digest compared with the stored ones); the ratio to',
  '  first execution is per run (same database, same process), median over the runs.',
  '- Bytes: the stored blob sizes of the timed blocks (`block_logs.oracle_log`, `block_logs.io_events`) per transfer; database',
  '  size = the file after `wal_checkpoint(TRUNCATE)` (WAL included, empty by then) per 1,000 stored transactions.',
  '- compute: `shared/peers/compute.json`; one transaction per run (zkos: `runBlock` over an in-memory pre-state as in',
  '  `bench/compute.bench.ts`; ethereumjs: fresh VM, both contracts deployed untimed, then `runTx`). Checked: gas used and return',
  "  data equal the JSON's. compute.json places Fib at sender 1's CREATE address for nonce 4 (its note says nonce 1); ethereumjs",
  "  deploys each contract at the nonce that gives the JSON's address, then the shared workload tx (nonce 2) runs.",
  '- ethereumjs has no counterpart to the replay and bytes rows here: its column is "—".',
];
