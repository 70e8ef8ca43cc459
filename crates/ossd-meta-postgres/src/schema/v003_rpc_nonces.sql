-- The RPC signature nonces seen by any node (docs/scale-out.md, "Caches"): a nonce recorded
-- here is refused by every node until `expires_at` (Unix seconds of the node that recorded it,
-- as the per-node cache). The leader deletes expired rows.
CREATE TABLE ossd_rpc_nonce (
    key        TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
