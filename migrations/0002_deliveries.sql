-- The register of deliveries (version 2): the validated delivery of each ministry for each year
-- (reference date 1 January), kept whole; a new delivery of the same ministry and year replaces
-- the old one.

CREATE TABLE deliveries (
    year        INTEGER NOT NULL,
    ministry    TEXT NOT NULL,
    stored      TEXT NOT NULL,            -- YYYY-MM-DD
    files       TEXT NOT NULL,            -- the delivery files, as given
    rows        INTEGER NOT NULL,
    fte         REAL NOT NULL,
    PRIMARY KEY (year, ministry)
);

CREATE TABLE delivery_rows (
    year        INTEGER NOT NULL,
    ministry    TEXT NOT NULL,
    unit        TEXT NOT NULL,
    sector      TEXT NOT NULL,
    gemeente    TEXT NOT NULL,
    fte         REAL NOT NULL,
    FOREIGN KEY (year, ministry) REFERENCES deliveries(year, ministry) ON DELETE CASCADE
);

CREATE INDEX delivery_rows_by_year ON delivery_rows(year, ministry);
