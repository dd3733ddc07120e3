-- The working calendar: official holidays and make-up working days per year, plus a region's
-- local days on top. A year counts as covered only once its notice is imported.
CREATE TABLE calendar_years (
    year         integer NOT NULL,
    region       text NOT NULL DEFAULT '',      -- '' = the State Council's national notice
    imported_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, region)
);

CREATE TABLE calendar_days (
    day     date NOT NULL,
    region  text NOT NULL DEFAULT '',
    kind    text NOT NULL CHECK (kind IN ('rest', 'work')),
    name    text NOT NULL DEFAULT '',
    PRIMARY KEY (day, region)
);
