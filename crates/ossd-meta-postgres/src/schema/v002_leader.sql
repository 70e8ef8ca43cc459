-- The cluster leader's lease (docs/scale-out.md, "Leader"): one row, held by `holder` until
-- `expires_at` (the database's clock, so node clocks do not matter).
CREATE TABLE ossd_leader (
    id         INT PRIMARY KEY CHECK (id = 0),
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
INSERT INTO ossd_leader (id, holder, expires_at)
    VALUES (0, '', TIMESTAMPTZ '1970-01-01 00:00:00+00');
