#!/usr/bin/env bash
# E-invoices end to end: `kontingent bill --format cii` on one book per VAT category (S 19 %, S 7 %,
# E, AE, Z) and a credit note must pass the CII D16B schema and every fatal EN 16931 rule of the
# official validator, and the validator must catch a broken total of ours, so that a pass means
# something. The validator is third-party and lives outside the repository: this test is skipped
# (exit 77) where it or the tools it runs (xmllint, java, Saxon-HE) are missing.
# usage: einvoice_test.sh KONTINGENT INVOICE_BOOKS_DIR DEFAULT_VALIDATOR
#   KONTINGENT_EN16931_VALIDATOR, when set to an existing file, is used instead of DEFAULT_VALIDATOR.
set -u
cli=$1 books=$2
skip=77
validator=
for candidate in "${KONTINGENT_EN16931_VALIDATOR:-}" "$3"; do
  if [ -n "$candidate" ] && [ -f "$candidate" ]; then validator=$candidate; break; fi
done
[ -n "$validator" ] || { echo "SKIP: no EN 16931 validator (set KONTINGENT_EN16931_VALIDATOR, or put it at $3)"; exit $skip; }
[ -x "$validator" ] || { echo "SKIP: $validator is not executable"; exit $skip; }
# Without files it only checks its tools: exit 2 when one is missing.
"$validator" >/dev/null 2>&1
[ $? -eq 2 ] && { echo "SKIP: $("$validator" 2>&1)"; exit $skip; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# bill NAME LINES BOOK ENGAGEMENT AS_OF [--credit]: the draft as $work/NAME.xml, with LINES lines
# (one per category with leakage, SPEC §11: every book has several).
bill() {
  local name=$1 lines=$2 book=$books/$3 engagement=$4 as_of=$5
  shift 5
  "$cli" bill "$book" --engagement "$engagement" --as-of "$as_of" --format cii "$@" >"$work/$name.xml" 2>"$work/err"
  local code=$? got
  if [ $code -ne 0 ]; then
    fail "$name: kontingent bill exited $code: $(cat "$work/err")"
    rm "$work/$name.xml"
    return
  fi
  got=$(grep -c '<ram:IncludedSupplyChainTradeLineItem>' "$work/$name.xml")
  if [ "$got" -eq "$lines" ]; then ok; else fail "$name: $got lines, expected $lines"; head -n 5 "$work/$name.xml"; fi
}
bill s19 4 s19.book.json acme-site 2026-03-10
bill s19-credit-note 2 s19.book.json acme-logo 2026-03-10 --credit
bill s7 4 s7.book.json roman-lektorat 2026-02-28
bill e-kleinunternehmer 4 e-kleinunternehmer.book.json speisekarte 2026-03-31
bill ae-reverse-charge 3 ae-reverse-charge.book.json bolt-retainer 2026-03-31
bill z-zero 4 z-zero.book.json pv-dach 2026-03-10

# The demo book: every engagement of its most draining client, one draft each (numbered in a row).
demo=$books/../../../examples/data/studio.book.json
if "$cli" bill "$demo" --client krueger --format cii --output "$work/demo/" 2>"$work/err"; then
  for f in "$work"/demo/*.xml; do mv "$f" "$work/demo-$(basename "$f")"; done
  [ "$(ls "$work"/demo-*.xml | wc -l)" -ge 2 ] && ok || fail "demo: expected drafts for several engagements of krueger"
else
  fail "demo: kontingent bill failed: $(cat "$work/err")"
fi

# The credit note says what it is and which invoice it takes back (the later of the two).
grep -q '<ram:TypeCode>381</ram:TypeCode>' "$work/s19-credit-note.xml" && ok || fail "credit note: no type code 381"
grep -q '<ram:IssuerAssignedID>RE-2026-0003</ram:IssuerAssignedID>' "$work/s19-credit-note.xml" && ok ||
  fail "credit note: does not refer to invoice RE-2026-0003"

# Ours, with a grand total that no longer adds up.
mkdir "$work/broken"
sed 's|<ram:GrandTotalAmount>[^<]*</ram:GrandTotalAmount>|<ram:GrandTotalAmount>1.00</ram:GrandTotalAmount>|' \
  "$work/s19.xml" >"$work/broken/s19.xml"

# One file per validator run, two at a time: each run starts a JVM (~3 s), and the machine has two
# cores. Each file's findings and exit code land beside it.
# shellcheck disable=SC2016
printf '%s\n' "$work"/*.xml "$work/broken/s19.xml" |
  xargs -P 2 -n 1 sh -c '"$0" "$1" >"$1.findings" 2>&1; echo $? >"$1.rc"' "$validator"

for f in "$work"/*.xml; do
  name=$(basename "$f" .xml)
  if [ "$(cat "$f.rc")" = 0 ]; then
    ok
    echo "valid: $name"
  else
    fail "$name: the EN 16931 validator refused it (exit $(cat "$f.rc")):"
    cat "$f.findings"
  fi
  # Warnings do not fail the test, but are worth seeing.
  [ -s "$f.findings" ] && [ "$(cat "$f.rc")" = 0 ] && sed 's/^/  /' "$f.findings"
done
broken=$work/broken/s19.xml
if [ "$(cat "$broken.rc")" = 1 ] && grep -q 'BR-CO-15' "$broken.findings"; then
  ok
else
  fail "broken total: expected exit 1 and BR-CO-15, got exit $(cat "$broken.rc"):"
  cat "$broken.findings"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
