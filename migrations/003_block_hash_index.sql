-- Blocks by hash (the API's chain.block and any tool holding a hash): an index instead of a scan
-- of the blocks table. Genesis and ethereum-profile blocks have no block_hash.
CREATE INDEX blocks_block_hash ON blocks (block_hash) WHERE block_hash IS NOT NULL;
