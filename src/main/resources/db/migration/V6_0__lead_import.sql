-- Lead and DNC import (issue 6).

-- Every row an import did not take, keyed by the import (Spring Batch job instance: a restart adds no
-- second copy). Read by the downloadable reject report.
CREATE TABLE lead_import_rejects (
    job_instance_id bigint  NOT NULL,
    row_number      integer NOT NULL,          -- spreadsheet row (the header is row 1)
    raw_value       text,                      -- the offending cell as written in the file
    reason          text    NOT NULL,
    PRIMARY KEY (job_instance_id, row_number)
);

-- Shape of the per-import staging tables (lead_import_stage_<job instance id>, UNLOGGED, created by the
-- import and dropped when its rows reach leads). Never holds rows itself.
CREATE TABLE lead_import_stage (
    row_number  integer NOT NULL,
    phone       text    NOT NULL,
    time_zone   text,
    first_name  text,
    last_name   text,
    full_name   text,
    email       text,
    address     text,
    city        text,
    state       text,
    postal_code text,
    country     text,
    extra       jsonb   NOT NULL DEFAULT '{}'
);
