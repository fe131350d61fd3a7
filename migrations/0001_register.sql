-- The register of cases (version 1): every case BZK advises on, its dates and status, the
-- responsible minister's decision, and every advice given for it with what it was computed from.

CREATE TABLE cases (
    number      TEXT PRIMARY KEY NOT NULL,
    id          TEXT NOT NULL,
    title       TEXT NOT NULL,
    ministry    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    fte         REAL NOT NULL,
    received    TEXT NOT NULL,            -- YYYY-MM-DD
    advised     TEXT,                     -- date of the last advice given
    decided     TEXT,                     -- date of the minister's decision
    status      TEXT NOT NULL CHECK (status IN
                    ('ontvangen', 'in behandeling', 'advies uitgebracht', 'besluit genomen')),
    decision    TEXT,                     -- the decision in the ministry's words
    followed    INTEGER CHECK (followed IN (0, 1)),
    motivation  TEXT,                     -- required when the advice was not followed
    case_toml   TEXT NOT NULL,            -- the case file as registered
    CHECK (followed IS NULL OR followed = 1 OR motivation IS NOT NULL)
);

CREATE TABLE advices (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_number     TEXT NOT NULL REFERENCES cases(number),
    given           TEXT NOT NULL,        -- YYYY-MM-DD
    input_digest    TEXT NOT NULL,
    engine_version  TEXT NOT NULL,
    rules_digest    TEXT NOT NULL,
    output_json     TEXT NOT NULL
);

CREATE INDEX advices_by_case ON advices(case_number, seq);
