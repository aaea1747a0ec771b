-- A book database of schema version 1 (PRAGMA user_version 1), as kontingent wrote it before book
-- version 2: SPEC example A saved as .kdb, dumped with sqlite3's .dump. Never rewrite it: the store must
-- keep reading such files and migrate them in place (tests/cpp/store_test.cpp).
PRAGMA journal_mode = WAL;
PRAGMA user_version = 1;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('format','kontingent-book-db/1');
CREATE TABLE clients (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, channel TEXT NOT NULL);
INSERT INTO clients VALUES(0,'acme','ACME GmbH','referral');
CREATE TABLE engagements (
  position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, client TEXT NOT NULL REFERENCES clients(id), title TEXT NOT NULL,
  currency TEXT NOT NULL, start TEXT NOT NULL, end TEXT, review_by TEXT,
  pricing TEXT NOT NULL, rate_cents INTEGER NOT NULL, fixed_price_cents INTEGER, contingent_seconds INTEGER,
  contingent_price_cents INTEGER, rollover_max_seconds INTEGER, included_rounds INTEGER NOT NULL,
  extra_round_price_cents INTEGER, rounding_increment_seconds INTEGER, rounding_mode TEXT,
  call_free_seconds INTEGER, call_block_seconds INTEGER, call_fee_cents INTEGER,
  rush_lead_seconds INTEGER, rush_surcharge_micro_percent INTEGER, no_show_notice_seconds INTEGER, no_show_fee_cents INTEGER,
  entry_count INTEGER NOT NULL DEFAULT 0);
INSERT INTO engagements VALUES(0,'acme-site','acme','Website relaunch','EUR','2026-01-05','2026-06-30','2026-03-31','fixed',9500,480000,NULL,NULL,NULL,2,35000,900,'up',900,1800,4000,172800,50000000,86400,12000,10);
CREATE TABLE requests (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,
  received TEXT NOT NULL, due TEXT, quote_cents INTEGER, declined INTEGER NOT NULL,
  PRIMARY KEY (engagement, position), UNIQUE (engagement, id));
INSERT INTO requests VALUES('acme-site',0,'R1','revision','2026-02-01T09:00','2026-02-05T09:00',NULL,0);
INSERT INTO requests VALUES('acme-site',1,'R2','revision','2026-02-10T09:00','2026-02-11T09:00',NULL,0);
INSERT INTO requests VALUES('acme-site',2,'R3','revision','2026-02-20T09:00',NULL,NULL,0);
INSERT INTO requests VALUES('acme-site',3,'C1','change','2026-02-15T09:00','2026-02-16T17:00',NULL,0);
CREATE TABLE entries (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, start TEXT NOT NULL,
  seconds INTEGER NOT NULL, kind TEXT NOT NULL, request TEXT, note TEXT NOT NULL, written_as_minutes INTEGER NOT NULL,
  PRIMARY KEY (engagement, position)) WITHOUT ROWID;
INSERT INTO entries VALUES('acme-site',0,'2026-01-06T09:00',10800,'scope',NULL,'wireframes',1);
INSERT INTO entries VALUES('acme-site',1,'2026-01-07T09:00',12000,'scope',NULL,'first layout',0);
INSERT INTO entries VALUES('acme-site',2,'2026-02-02T10:00',3000,'revision','R1','',1);
INSERT INTO entries VALUES('acme-site',3,'2026-02-10T14:00',4200,'revision','R2','',1);
INSERT INTO entries VALUES('acme-site',4,'2026-02-21T10:00',2400,'revision','R3','',1);
INSERT INTO entries VALUES('acme-site',5,'2026-02-15T13:00',6000,'change','C1','extra landing page',1);
INSERT INTO entries VALUES('acme-site',6,'2026-02-03T11:00',1500,'call',NULL,'',1);
INSERT INTO entries VALUES('acme-site',7,'2026-02-12T16:00',3000,'call',NULL,'venting about their week',1);
INSERT INTO entries VALUES('acme-site',8,'2026-02-13T10:00',600,'call',NULL,'',1);
INSERT INTO entries VALUES('acme-site',9,'2026-02-14T08:00',1800,'internal',NULL,'invoicing',1);
CREATE TABLE appointments (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
  cancelled TEXT, PRIMARY KEY (engagement, position));
INSERT INTO appointments VALUES('acme-site',0,'2026-02-17T10:00','no_show',NULL);
INSERT INTO appointments VALUES('acme-site',1,'2026-02-18T10:00','cancelled','2026-02-18T08:00');
INSERT INTO appointments VALUES('acme-site',2,'2026-02-19T10:00','cancelled','2026-02-16T10:00');
INSERT INTO appointments VALUES('acme-site',3,'2026-02-24T10:00','kept',NULL);
CREATE TABLE invoices (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, id TEXT NOT NULL UNIQUE, date TEXT NOT NULL,
  PRIMARY KEY (engagement, position));
INSERT INTO invoices VALUES('acme-site',0,'INV-1','2026-02-28');
CREATE TABLE invoice_lines (
  invoice TEXT NOT NULL REFERENCES invoices(id), position INTEGER NOT NULL, category TEXT NOT NULL, amount_cents INTEGER NOT NULL,
  PRIMARY KEY (invoice, position));
INSERT INTO invoice_lines VALUES('INV-1',0,'base',480000);
INSERT INTO invoice_lines VALUES('INV-1',1,'revision',35000);
CREATE TABLE payments (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, invoice TEXT NOT NULL REFERENCES invoices(id),
  date TEXT NOT NULL, amount_cents INTEGER NOT NULL, PRIMARY KEY (engagement, position));
INSERT INTO payments VALUES('acme-site',0,'INV-1','2026-03-10',515000);
CREATE TABLE timer (one INTEGER PRIMARY KEY CHECK (one = 1), engagement TEXT NOT NULL, start TEXT NOT NULL, kind TEXT NOT NULL,
  request TEXT NOT NULL, note TEXT NOT NULL);
COMMIT;
