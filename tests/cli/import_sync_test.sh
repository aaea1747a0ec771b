#!/usr/bin/env bash
# `kontingent import` re-importing safely (docs/import.md, "Re-importing safely"): an edited timer
# is reported as an overlap, not added twice; --replace-period replaces a period's entries in one
# save and says what was added, changed and removed; --dry-run writes nothing; --strict refuses a
# file with rows it would leave out; solidtime exports are read. Every error leaves the book byte
# for byte as it was, with its message and exit code.
# usage: import_sync_test.sh KONTINGENT TEST_DATA_DIR
set -euo pipefail
cli=$1 data=$2
imp=$data/import
source "$(dirname "$0")/harness.sh"
run_in=$imp  # short file names in the output
unchanged() {  # unchanged NAME: the book is byte for byte what it was before
  if cmp -s "$book" "$work/before.json"; then pass; else fail "$1: the book changed"; fi
}

book=$work/book.json
cp "$imp/studio.book.json" "$book"
run "import the week" 0 import --from toggl sync-week.csv --into "$book"
cp "$book" "$work/before.json"

# Default mode: the edited timer overlaps its entry and is skipped and reported.
run "default mode" 0 import --from toggl sync-week-edited.csv --into "$book" --dry-run
out_is "default mode" <<TEXT
sync-week-edited.csv (Toggl Track, dates read as YYYY-MM-DD)
  rows read:  7
  imported:   2 (relaunch 2)
  duplicates: 3 (already in the book, not imported again)
  skipped:    2
    1 no engagement for client "Kunde Zwei", project "Other"
    1 overlaps an entry already in the book
    line 2: relaunch 2026-03-02T09:00 9:45 scope "wireframes" overlaps 2026-03-02T09:00 7:30 scope "wireframes"
  new requests: relaunch/R2 relaunch/C3
  without a due date (their rush cannot be known): relaunch/C3
$book: not written (--dry-run)
TEXT
unchanged "default mode --dry-run"

# --strict: the rows left out are an error, and nothing is written.
run "strict" 1 import --from toggl sync-week-edited.csv --into "$book" --strict
errs "strict" 'kontingent: sync-week-edited.csv: strict: 2 of 7 rows would not be imported (1 no engagement for client "Kunde Zwei", project "Other"; 1 overlaps an entry already in the book); nothing was imported'
unchanged "strict"
run "strict sync" 1 import --from toggl sync-week-edited.csv --into "$book" --strict --replace-period 2026-03-01..2026-03-31
errs "strict sync" 'kontingent: sync-week-edited.csv: strict: 1 of 7 rows would not be imported (1 no engagement for client "Kunde Zwei", project "Other"); nothing was imported'
unchanged "strict sync"

# --replace-period --dry-run: the summary, nothing written.
sync_summary() {
  cat <<TEXT
sync-week-edited.csv (Toggl Track, dates read as YYYY-MM-DD)
  rows read:  7
  replacing:  2026-03-01..2026-03-31 of drei-logo, relaunch
  imported:   2 (relaunch 3)
  changed:    1
    line 2: relaunch 2026-03-02T09:00 7:30 scope "wireframes" -> 2026-03-02T09:00 9:45 scope "wireframes"
  removed:    1
    relaunch 2026-03-04T10:00 0:30 call "call with Anna"
  duplicates: 2 (already in the book, not imported again)
  outside the period: 1 (left out)
  skipped:    1
    1 no engagement for client "Kunde Zwei", project "Other"
  new requests: relaunch/R2 relaunch/C3
  without a due date (their rush cannot be known): relaunch/C3
TEXT
}
run "sync dry run" 0 import --from toggl sync-week-edited.csv --into "$book" --replace-period 2026-03-01..2026-03-31 --dry-run
{ sync_summary; echo "$book: not written (--dry-run)"; } | out_is "sync dry run"
unchanged "sync dry run"

# The sync itself: one save; the report shows 9:45 h, not 7:30 + 9:45.
run "sync" 0 import --from toggl sync-week-edited.csv --into "$book" --replace-period 2026-03-01..2026-03-31
{ sync_summary; echo "$book: saved"; } | out_is "sync"
if grep -A1 '"start": "2026-03-02T09:00"' "$book" | grep -q '"end": "2026-03-02T18:45"'; then pass; else fail "sync: the changed entry is not 09:00-18:45"; fi
if grep -q 'call with Anna' "$book"; then fail "sync: the removed call is still there"; else pass; fi
if grep -q '"due": "2026-03-12T23:59"' "$book"; then pass; else fail "sync: R2 has no due date"; fi

# Again: nothing to do, the book untouched.
cp "$book" "$work/before.json"
run "sync again" 0 import --from toggl sync-week-edited.csv --into "$book" --replace-period 2026-03-01..2026-03-31
if tail -1 "$work/out" | grep -qx "$book: unchanged (nothing to add, change or remove)"; then pass; else fail "sync again: $(tail -1 "$work/out")"; fi
unchanged "sync again"

# Usage errors: exit 2, the book untouched.
run "bad period" 2 import --from toggl sync-week.csv --into "$book" --replace-period 2026-03
errs "bad period" 'kontingent: --replace-period: expected FROM..TO (two dates YYYY-MM-DD), got "2026-03"'
unchanged "bad period"
run "backwards period" 2 import --from toggl sync-week.csv --into "$book" --replace-period 2026-03-31..2026-03-01
errs "backwards period" 'kontingent: --replace-period: the period ends 2026-03-01, before it starts 2026-03-31'
unchanged "backwards period"
run "impossible period" 2 import --from toggl sync-week.csv --into "$book" --replace-period 2026-02-30..2026-03-01
errs "impossible period" 'kontingent: --replace-period: impossible date "2026-02-30"'
unchanged "impossible period"

# Errors from tags: exit 1, the book untouched. (A request the book has keeps its own due date, so
# these go into a book without R2.)
cp "$imp/studio.book.json" "$book"
cp "$book" "$work/before.json"
run "two due dates" 1 import --from toggl errors/due-twice.csv --into "$book"
errs "two due dates" 'kontingent: errors/due-twice.csv:3:91: due 2026-03-14T23:59, but line 2 gives revision round "R2" the due date 2026-03-12T23:59'
unchanged "two due dates"
run "due before received" 1 import --from toggl errors/due-before-received.csv --into "$book" --replace-period 2026-03-01..2026-03-31
errs "due before received" 'kontingent: errors/due-before-received.csv:2:35: due 2026-03-01T23:59 is before revision round "R2" was received 2026-03-05T09:00 (the start of its first entry)'
unchanged "due before received"

# solidtime: its export is read, its running timer counted.
run "solidtime" 0 import --from solidtime solidtime-quirks.csv --into "$book"
out_is "solidtime" <<TEXT
solidtime-quirks.csv (solidtime, dates read as YYYY-MM-DD)
  rows read:  4
  imported:   3 (relaunch 3)
  duplicates: 0
  skipped:    1
    1 timer still running (no end)
$book: saved
TEXT
cp "$book" "$work/before.json"
run "solidtime bad instant" 1 import --from solidtime errors/solidtime-bad-instant.csv --into "$book"
errs "solidtime bad instant" 'kontingent: errors/solidtime-bad-instant.csv:2:39: not an instant: "2026-03-02 08:00:00" (expected YYYY-MM-DDTHH:MM:SSZ)'
unchanged "solidtime bad instant"

# --help tells the truth about the new options.
run "help" 0 import --help
for words in "--replace-period TEXT" "--dry-run" "--strict" "toggl, clockify, harvest, kimai, timeclock or solidtime"; do
  if grep -qF -- "$words" "$work/out"; then pass; else fail "help: no \"$words\""; fi
done

finish "import sync"
