-- Who added a do-not-call number, so a seller is shown the reason only of the numbers it added: a reason is a note
-- about a person and a call ("asked on the call of 2 Dec"), the business of the seller that wrote it, while the
-- list itself (which numbers may not be called) is everyone's. Null: added by ADMIN or STAFF, or by an import.
-- Nullable without a default, the column is added without rewriting the table; all rows null, the foreign key's
-- check reads the table once.
ALTER TABLE dnc_numbers ADD COLUMN added_by_seller_id bigint REFERENCES sellers (id) ON DELETE SET NULL;
