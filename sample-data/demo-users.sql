-- CapConduit demo users, each with the password "demo" (bcrypt below). Loaded after demo-data.sql (the sellers),
-- and never when capconduit.admin.password is set: an installation with a configured administrator has no users
-- whose password is published in the README.

INSERT INTO users (username, password_hash, role, seller_id) VALUES
    ('admin',   '{bcrypt}$2a$10$GvSqlry0sXny5I497g.KfuKGwyvoKtSbk2oQ1k/b98Sun9Nv13Hhe', 'ADMIN',  NULL),
    ('staff',   '{bcrypt}$2a$10$GvSqlry0sXny5I497g.KfuKGwyvoKtSbk2oQ1k/b98Sun9Nv13Hhe', 'STAFF',  NULL),
    ('seller1', '{bcrypt}$2a$10$GvSqlry0sXny5I497g.KfuKGwyvoKtSbk2oQ1k/b98Sun9Nv13Hhe', 'SELLER',
        (SELECT id FROM sellers WHERE name = 'Acme Leads')),
    ('seller2', '{bcrypt}$2a$10$GvSqlry0sXny5I497g.KfuKGwyvoKtSbk2oQ1k/b98Sun9Nv13Hhe', 'SELLER',
        (SELECT id FROM sellers WHERE name = 'Bright Media'));
