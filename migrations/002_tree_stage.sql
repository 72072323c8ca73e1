-- The tree stage (design.md "data flow"): the flat Blake2s state tree of every stored block,
-- derived from the stored storage writes, kept so that the tape of any stored block can be built
-- later. We keep tree *versions*, not proofs captured at execution: a proof is 64 sibling hashes
-- (2 KiB) per slot a block touches, while a version costs one row per new leaf — the values of
-- every version are already in slot_history. The tree as of block n is rebuilt from the leaves
-- with idx < next_free(n), each with its slot_history value as of n.

-- Leaves in index order (0 and 1 are the guards and are not stored). A leaf's (address, key) is
-- the tree-level storage slot it holds: (0x8003, account) for account-properties hashes.
CREATE TABLE tree_leaves (
  idx     INTEGER PRIMARY KEY,
  address BLOB    NOT NULL,
  key     BLOB    NOT NULL
);

-- The state commitment after each block, and the block's public input (reference §5.1), which
-- the tree stage computes with a proving-mode run of the block against the tree before it.
-- Genesis (block 0) has a commitment and no public input.
CREATE TABLE tree_commitments (
  block        INTEGER PRIMARY KEY,
  root         BLOB    NOT NULL,
  next_free    INTEGER NOT NULL,
  public_input BLOB
);
