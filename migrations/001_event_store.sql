-- The event store (design.md "storage/"). One SQLite transaction writes one block: its row in
-- every table below, or nothing.
--
-- Encodings: addresses are 20-byte BLOBs, 256-bit values (slot keys and values, hashes, fees)
-- 32-byte big-endian BLOBs, so BLOB order is numeric order. u64 fields that a chain keeps small
-- (numbers, timestamps, gas) are INTEGERs.

-- The block context a block ran in (blobBaseFee included: it is not in the oracle log) and what
-- it produced. The 256 previous block hashes are not repeated here: the oracle log's
-- BlockMetadata answer (query 3) holds them. Block 0 is genesis (profile 'genesis', no log).
CREATE TABLE blocks (
  number          INTEGER PRIMARY KEY,
  profile         TEXT    NOT NULL,
  chain_id        INTEGER NOT NULL,
  timestamp       INTEGER NOT NULL,
  gas_limit       INTEGER NOT NULL,
  base_fee        BLOB    NOT NULL,
  gas_per_pubdata BLOB    NOT NULL,
  native_price    BLOB    NOT NULL,
  coinbase        BLOB    NOT NULL,
  mix_hash        BLOB    NOT NULL,
  blob_base_fee   BLOB    NOT NULL,
  gas_used        INTEGER NOT NULL,
  tx_count        INTEGER NOT NULL,
  -- keccak of the canonical encoding of receipts, logs and state diffs (storage/digest.ts).
  output_digest   BLOB    NOT NULL,
  -- Block-level outputs of the zksync profile; NULL when the profile gives none (ethereum).
  -- The counts say how many rows of logs / l2_to_l1_logs / l2_to_l1_messages the output listed.
  block_hash        BLOB,
  header            BLOB,    -- RLP of the 16-field header; block_hash = keccak(header)
  tx_rolling_hash   BLOB,
  priority_ops_hash BLOB,
  upgrade_tx_hash   BLOB,
  event_count       INTEGER,
  l2_log_count      INTEGER,
  l2_message_count  INTEGER
);

-- What a replay needs, and nothing else needs: the oracle log and the IO events, each a compact
-- binary blob (storage/oracle-log.ts, storage/io-events.ts) with its CRC-32.
CREATE TABLE block_logs (
  block          INTEGER PRIMARY KEY,
  oracle_log     BLOB    NOT NULL,
  oracle_crc     INTEGER NOT NULL,
  oracle_queries INTEGER NOT NULL,
  io_events      BLOB    NOT NULL,
  io_crc         INTEGER NOT NULL,
  io_event_count INTEGER NOT NULL
);

-- Transactions as received, with their result: a receipt ('success' / 'reverted') or a rejection
-- ('rejected': error_code and error_message, nothing else).
CREATE TABLE transactions (
  block               INTEGER NOT NULL,
  idx                 INTEGER NOT NULL,
  raw                 BLOB    NOT NULL,
  status              TEXT    NOT NULL CHECK (status IN ('success', 'reverted', 'rejected')),
  hash                BLOB,
  tx_type             INTEGER,
  sender              BLOB,
  recipient           BLOB,
  gas_used            INTEGER,
  cumulative_gas_used INTEGER,
  effective_gas_price BLOB,
  output              BLOB,
  created             BLOB,
  out_of_native       INTEGER,
  log_count           INTEGER NOT NULL,
  -- zksync receipts only (NULL otherwise): native resource and pubdata used, L2→L1 logs left.
  native_used         INTEGER,
  pubdata_used        INTEGER,
  l2_log_count        INTEGER,
  error_code          TEXT,
  error_message       TEXT,
  PRIMARY KEY (block, idx)
);
CREATE INDEX transactions_hash ON transactions (hash) WHERE hash IS NOT NULL;

-- Logs (EVM events) of successful transactions, numbered within their block.
CREATE TABLE logs (
  block     INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_idx    INTEGER NOT NULL,
  address   BLOB    NOT NULL,
  topic0    BLOB,
  topic1    BLOB,
  topic2    BLOB,
  topic3    BLOB,
  data      BLOB    NOT NULL,
  PRIMARY KEY (block, log_index)
) WITHOUT ROWID;
CREATE INDEX logs_address ON logs (address, block);
CREATE INDEX logs_topic0 ON logs (topic0, block) WHERE topic0 IS NOT NULL;

-- L2→L1 logs (zksync, reference §5.4) in block order; a receipt's are those of its tx_number.
CREATE TABLE l2_to_l1_logs (
  block     INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_number INTEGER NOT NULL,
  sender    BLOB    NOT NULL,
  key       BLOB    NOT NULL,
  value     BLOB    NOT NULL,
  PRIMARY KEY (block, log_index)
) WITHOUT ROWID;

-- User messages to L1 (zksync), each with its L2→L1 log.
CREATE TABLE l2_to_l1_messages (
  block     INTEGER NOT NULL,
  idx       INTEGER NOT NULL,
  tx_number INTEGER NOT NULL,
  sender    BLOB    NOT NULL,
  data      BLOB    NOT NULL,
  hash      BLOB    NOT NULL,
  PRIMARY KEY (block, idx)
);

-- The Ethereum view of a block's state diff. Code is referenced by its blake2s hash (a preimage).
CREATE TABLE account_diffs (
  block           INTEGER NOT NULL,
  address         BLOB    NOT NULL,
  nonce           INTEGER NOT NULL,
  balance         BLOB    NOT NULL,
  code_hash       BLOB    NOT NULL,
  bytecode_hash   BLOB,
  storage_cleared INTEGER NOT NULL,
  PRIMARY KEY (block, address)
) WITHOUT ROWID;

CREATE TABLE slot_diffs (
  block   INTEGER NOT NULL,
  address BLOB    NOT NULL,
  key     BLOB    NOT NULL,
  value   BLOB    NOT NULL,
  PRIMARY KEY (block, address, key)
) WITHOUT ROWID;

-- State with history: every tree-level storage write (account-properties hashes at address
-- 0x8003 keyed by the account's address, and slots) at the block that wrote it. The value of a
-- slot as of block n is its row with the greatest block <= n; no row at all means the slot was
-- never written (InitialStorageSlot's isNew). Block 0 holds the genesis state.
CREATE TABLE slot_history (
  address BLOB    NOT NULL,
  key     BLOB    NOT NULL,
  block   INTEGER NOT NULL,
  value   BLOB    NOT NULL,
  PRIMARY KEY (address, key, block)
) WITHOUT ROWID;
-- A block's storage writes in tree order (for the tree stage).
CREATE INDEX slot_history_block ON slot_history (block);

-- Preimages by blake2s hash (account-property encodings, bytecode), with the block that first
-- stored each.
CREATE TABLE preimages (
  hash  BLOB    PRIMARY KEY,
  bytes BLOB    NOT NULL,
  block INTEGER NOT NULL
);
