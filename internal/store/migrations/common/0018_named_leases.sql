-- Work only one instance may do at a time, named (a MAX bot's long poll: two pollers would
-- split its updates between them): the holder writes its id and the end of its lease, renews it
-- while it works, and another instance takes over once the lease has run out (the holder died).
CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    lease_until  BIGINT NOT NULL
);
