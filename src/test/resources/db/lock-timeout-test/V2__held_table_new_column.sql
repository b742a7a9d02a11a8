ALTER TABLE held ADD COLUMN added int;
