#!/usr/bin/env bash
# `kontingent bill` end to end (docs/invoicing.md, docs/cli.md, SPEC §11): the draft of SPEC worked
# example A with an owner, to the letter in German and English; its JSON; --record and what the
# report and a second bill say afterwards; drafts that match the report's leakage for every
# engagement of every test book; a credit note; a client with several engagements; --output; and
# errors that leave the book byte for byte as it was, with their messages and exit codes.
# usage: bill_test.sh KONTINGENT TEST_DATA_DIR
set -euo pipefail
cli=$1 data=$2
books=$data/invoices
py=/usr/bin/python3
source "$(dirname "$0")/harness.sh"
says() {  # says NAME TEXT: stdout is exactly the line TEXT
  printf '%s\n' "$2" | out_is "$1"
}
nothing() {  # nothing NAME TEXT: no document on stdout, the notice TEXT on stderr
  out_is "$1" </dev/null
  errs "$1" "$2"
}
# json FILE EXPR: EXPR (Python) of the JSON document in FILE, bound to `d`; `<not JSON: …>` if it is
# not, `<KeyError: …>` and the like if EXPR fails.
json() {
  "$py" - "$1" "$2" <<'PY'
import json, sys
from decimal import Decimal
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError as e:
    print(f"<not JSON: {e}>")
    sys.exit(0)
try:
    print(eval(sys.argv[2]))
except Exception as e:
    print(f"<{type(e).__name__}: {e}>")
PY
}
valid_json() {  # valid_json NAME FILE
  if "$py" -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$2" 2>"$work/json.err"; then pass
  else fail "$1: not valid JSON: $(cat "$work/json.err")"; fi
}
# report_field FIELD ID FILE: the field (unbilled, overbilled) of engagement ID in the JSON report FILE.
report_field() { json "$3" "[e['$1'] for e in d['engagements'] if e['id'] == '$2'][0]"; }

# --- the draft of worked example A, to the letter -------------------------------------------------
s19=$work/s19.json
cp "$books/s19.book.json" "$s19"
run "draft" 0 bill "$s19" --engagement acme-site
errs "draft" ""
out_is "draft, German by default" <<'EOF'
Rechnung RE-2026-0004
=====================

Datum           10.03.2026
Fällig am       24.03.2026
Leistungen bis  10.03.2026
Auftrag         Website relaunch (acme-site)

Von
  Studio Weiß & Partner
  Hauptstraße 1
  10115 Berlin
  DE
  USt-IdNr.: DE123456789
  E-Mail: rechnung@studio-weiss.example

An
  ACME <Digital> "Agentur" GmbH & Co. KG
  Königsallee 2
  40212 Düsseldorf
  DE
  Ihre Referenz: 04011000-12345-34
  E-Mail: buchhaltung@acme.example

Positionen
  1  Änderungen                                       166,25 EUR
     Änderungswunsch C1: ohne Angebot 1:45 Std. × 95,00 EUR/Std.
  2  Telefonate                                       120,00 EUR
     3 angefangene Takte à 30 min über die freien 15 min je Telefonat × 40,00 EUR
  3  Eilzuschlag                                      142,50 EUR
     Eilzuschlag 50 % auf 3 Std. × 95,00 EUR/Std. (weniger als 48 Std. Vorlauf: R2, C1)
  4  Ausfallgebühr                                    240,00 EUR
     2 versäumte oder zu spät abgesagte Termine × 120,00 EUR

Umsatzsteuer
  S 19 % auf 668,75 EUR                               127,06 EUR

Summe netto                                           668,75 EUR
Umsatzsteuer                                          127,06 EUR
Gesamtbetrag                                          795,81 EUR

Zahlung
  Zahlbar bis  24.03.2026
  IBAN         DE89 3704 0044 0532 0130 00
EOF
cp "$work/out" "$work/draft-de.txt"
run "draft in English" 0 bill "$s19" --engagement acme-site --lang en
errs "draft in English" ""
out_is "draft in English" <<'EOF'
Invoice RE-2026-0004
====================

Date            2026-03-10
Due date        2026-03-24
Services up to  2026-03-10
Engagement      Website relaunch (acme-site)

From
  Studio Weiß & Partner
  Hauptstraße 1
  10115 Berlin
  DE
  VAT ID: DE123456789
  Email: rechnung@studio-weiss.example

To
  ACME <Digital> "Agentur" GmbH & Co. KG
  Königsallee 2
  40212 Düsseldorf
  DE
  Your reference: 04011000-12345-34
  Email: buchhaltung@acme.example

Items
  1  Changes                                          166.25 EUR
     Change request C1: without a quote 1:45 h × 95.00 EUR/h
  2  Calls                                            120.00 EUR
     3 started blocks of 30 min beyond the 15 min free per call × 40.00 EUR
  3  Rush surcharge                                   142.50 EUR
     Rush surcharge 50 % on 3 h × 95.00 EUR/h (due in less than 48 h: R2, C1)
  4  No-show fees                                     240.00 EUR
     2 missed or late-cancelled appointments × 120.00 EUR

VAT
  S 19 % on 668.75 EUR                                127.06 EUR

Net total                                             668.75 EUR
VAT                                                   127.06 EUR
Total                                                 795.81 EUR

Payment
  Payable by  2026-03-24
  IBAN        DE89 3704 0044 0532 0130 00
EOF
run "explicit --lang de" 0 bill "$s19" --engagement acme-site --lang de --format text
same "explicit --lang de is the default" "$work/out" "$work/draft-de.txt"

run "draft as JSON" 0 bill "$s19" --engagement acme-site --format json
errs "draft as JSON" ""
valid_json "draft as JSON" "$work/out"
is "JSON amounts" "$(json "$work/out" "d['net'], d['tax'], d['total']")" "('668.75', '127.06', '795.81')"
is "JSON header" "$(json "$work/out" "d['format'], d['number'], d['credit_note'], d['date'], d['due'], d['as_of']")" \
  "('kontingent-invoice/1', 'RE-2026-0004', False, '2026-03-10', '2026-03-24', '2026-03-10')"
is "JSON lines" "$(json "$work/out" "[(l['category'], l['net']) for l in d['lines']]")" \
  "[('change', '166.25'), ('call', '120.00'), ('rush', '142.50'), ('no_show', '240.00')]"
is "JSON VAT group" "$(json "$work/out" "[(g['category'], g['percent'], g['net'], g['tax']) for g in d['vat_groups']]")" \
  "[('S', 19, '668.75', '127.06')]"
same "drafting writes nothing" "$s19" "$books/s19.book.json"

# --- --record ----------------------------------------------------------------------------------
run "record" 0 bill "$s19" --engagement acme-site --record
same "record prints the draft" "$work/out" "$work/draft-de.txt"
errs "record" "recorded invoice RE-2026-0004 over 668.75 EUR net (engagements[0].invoices[1])"
valid_json "the recorded book" "$s19"
is "the book has the invoice" "$(json "$s19" "[(i['date'], i.get('due'), [(l['category'], str(Decimal(l['amount']).quantize(Decimal('0.01')))) for l in i['lines']]) for e in d['engagements'] if e['id'] == 'acme-site' for i in e['invoices'] if i['id'] == 'RE-2026-0004']")" \
  "[('2026-03-10', '2026-03-24', [('change', '166.25'), ('call', '120.00'), ('rush', '142.50'), ('no_show', '240.00')])]"
is "the invoice is no credit note" "$(json "$s19" "[i.get('credit_note', False) for e in d['engagements'] for i in e['invoices'] if i['id'] == 'RE-2026-0004']")" "[False]"
run "report after recording" 0 report "$s19" --format json
is "report after recording: nothing unbilled" "$(report_field unbilled acme-site "$work/out")" "0.00"
is "report after recording: leakage 0 everywhere" "$(json "$work/out" "sorted(set([e['leakage'] for e in d['engagements'] if e['id'] == 'acme-site'][0].values()))")" "['0.00']"
cp "$s19" "$work/s19-recorded.json"
run "bill again" 0 bill "$s19" --engagement acme-site
nothing "bill again" 'nothing to bill for engagement "acme-site" as of 2026-03-10'
run "record again" 0 bill "$s19" --engagement acme-site --record
nothing "record again" 'nothing to bill for engagement "acme-site" as of 2026-03-10'
same "recording nothing leaves the book alone" "$s19" "$work/s19-recorded.json"
run "bill again, as JSON" 0 bill "$s19" --engagement acme-site --as-of 2026-03-10 --format json
nothing "bill again, as JSON" 'nothing to bill for engagement "acme-site" as of 2026-03-10'
# An invoice dated after its as-of date would not count in the report at that date: billing as of it
# again would bill the same leakage twice. Refused before any document is written, with or without --record.
cp "$books/s19.book.json" "$work/late.json"
for record in "" --record; do
  run "dated after the as-of date $record" 1 bill "$work/late.json" --engagement acme-site --as-of 2026-03-10 --date 2026-03-12 $record
  errs "dated after the as-of date $record" 'kontingent: invoice "RE-2026-0004" is dated 2026-03-12, after its as-of date 2026-03-10: the report as of 2026-03-10 would not count it, and billing as of that date again would bill the same leakage twice; date it on or before 2026-03-10, or draft it as of 2026-03-12'
  out_is "dated after the as-of date $record: no document" </dev/null
  same "dated after the as-of date $record: the book is unchanged" "$work/late.json" "$books/s19.book.json"
done

# --- every engagement of every test book: the draft is the report's leakage ---------------------
# The draft's net is the report's unbilled (net, SPEC §10), its total net + tax; a credit note's net
# is the report's overbilled. Books without VAT (E, AE, Z) have total = unbilled.
for book in "$books"/*.book.json; do
  name=$(basename "$book" .book.json)
  for as_of in "" 2026-03-31; do
    at=(${as_of:+--as-of "$as_of"})
    run "$name ${as_of:-latest}: report" 0 report "$book" --format json "${at[@]}"
    cp "$work/out" "$work/report.json"
    date=$(json "$work/report.json" "d['as_of']")
    for engagement in $(json "$book" "' '.join(e['id'] for e in d['engagements'])"); do
      what="$name/$engagement as of $date"
      unbilled=$(report_field unbilled "$engagement" "$work/report.json")
      overbilled=$(report_field overbilled "$engagement" "$work/report.json")
      for kind in bill credit; do
        flag=() expected=$unbilled nothing="nothing to bill"
        if [ $kind = credit ]; then flag=(--credit) expected=$overbilled nothing="nothing to credit"; fi
        run "$what: $kind" 0 bill "$book" --engagement "$engagement" --format json "${at[@]}" "${flag[@]}"
        if [ "$expected" = 0.00 ]; then
          nothing "$what: $kind with nothing to do" "$nothing for engagement \"$engagement\" as of $date"
          continue
        fi
        valid_json "$what: $kind" "$work/out"
        is "$what: $kind net = the report's" "$(json "$work/out" "d['net']")" "$expected"
        is "$what: $kind total = net + tax" "$(json "$work/out" "d['total'] == str(Decimal(d['net']) + Decimal(d['tax'])) and d['tax'] == str(sum(Decimal(g['tax']) for g in d['vat_groups']))")" True
        if [ "$(json "$work/out" "all(g['category'] != 'S' for g in d['vat_groups'])")" = True ]; then
          is "$what: $kind total without VAT = the report's" "$(json "$work/out" "d['total']")" "$expected"
        fi
      done
    done
  done
done

# --- a credit note for what was overbilled --------------------------------------------------------
cp "$books/s19.book.json" "$s19"
run "nothing to bill on an overbilled engagement" 0 bill "$s19" --engagement acme-logo
nothing "nothing to bill on an overbilled engagement" 'nothing to bill for engagement "acme-logo" as of 2026-03-10'
run "credit note" 0 bill "$s19" --engagement acme-logo --credit --format json
valid_json "credit note" "$work/out"
is "credit note header" "$(json "$work/out" "d['number'], d['credit_note'], d['refers_to']")" "('RE-2026-0004', True, ['RE-2026-0002', 'RE-2026-0003'])"
is "credit note lines" "$(json "$work/out" "[(l['category'], l['net']) for l in d['lines']]")" "[('revision', '350.00'), ('call', '80.00')]"
is "credit note amounts" "$(json "$work/out" "d['net'], d['tax'], d['total']")" "('430.00', '81.70', '511.70')"
run "credit note text" 0 bill "$s19" --engagement acme-logo --credit --lang en
out_is "credit note text" <<'EOF'
Credit note RE-2026-0004
========================

Date            2026-03-10
Due date        2026-03-24
Services up to  2026-03-10
Engagement      Logo & Wortmarke (acme-logo)
Refers to       RE-2026-0002, RE-2026-0003

From
  Studio Weiß & Partner
  Hauptstraße 1
  10115 Berlin
  DE
  VAT ID: DE123456789
  Email: rechnung@studio-weiss.example

To
  ACME <Digital> "Agentur" GmbH & Co. KG
  Königsallee 2
  40212 Düsseldorf
  DE
  Your reference: 04011000-12345-34
  Email: buchhaltung@acme.example

Items
  1  Revision rounds                                  350.00 EUR
     Not billable under the terms (billable 0.00 EUR, invoiced so far 350.00 EUR)
  2  Calls                                             80.00 EUR
     Not billable under the terms (billable 0.00 EUR, invoiced so far 80.00 EUR)

VAT
  S 19 % on 430.00 EUR                                 81.70 EUR

Net total                                             430.00 EUR
VAT                                                    81.70 EUR
Total                                                 511.70 EUR

Payment
  Refund by  2026-03-24
EOF
run "record the credit note" 0 bill "$s19" --engagement acme-logo --credit --record
errs "record the credit note" "recorded credit note RE-2026-0004 over 430.00 EUR net (engagements[1].invoices[2])"
is "the book has the credit note" "$(json "$s19" "[(i['credit_note'], i['refers_to'], [(l['category'], str(Decimal(l['amount']).quantize(Decimal('0.01')))) for l in i['lines']]) for e in d['engagements'] if e['id'] == 'acme-logo' for i in e['invoices'] if i['id'] == 'RE-2026-0004']")" \
  "[(True, 'RE-2026-0003', [('revision', '350.00'), ('call', '80.00')])]"
run "report after the credit note" 0 report "$s19" --format json
is "the credit note zeroes overbilled" "$(report_field overbilled acme-logo "$work/out")" "0.00"
is "and leaves nothing unbilled" "$(report_field unbilled acme-logo "$work/out")" "0.00"
run "credit again" 0 bill "$s19" --engagement acme-logo --credit
nothing "credit again" 'nothing to credit for engagement "acme-logo" as of 2026-03-10'

# --- a client with several engagements ------------------------------------------------------------
m=$work/several.json
cp "$books/s19.book.json" "$m"
run "a third engagement" 0 engagement add "$m" acme-care --client acme --title Care --pricing hourly --rate 80 \
  --rounding 15:up --start 2026-02-01
run "work on it" 0 log "$m" acme-care 2h --at 2026-02-02T09:00
cp "$m" "$work/several-before.json"
# The drafts one by one, numbered as --client numbers them: acme-site, then acme-care (acme-logo is
# overbilled, nothing to bill).
for format in text cii; do
  run "acme-site alone ($format)" 0 bill "$m" --engagement acme-site --format $format
  cp "$work/out" "$work/site.$format"
  run "acme-care alone ($format)" 0 bill "$m" --engagement acme-care --number RE-2026-0005 --format $format
  cp "$work/out" "$work/care.$format"
done
is "acme-care's draft" "$(grep -c 'Gesamtbetrag  *190,40 EUR' "$work/care.text" || true)" 1
run "client: text, one after the other" 0 bill "$m" --client acme
{ cat "$work/site.text"; echo; cat "$work/care.text"; } | out_is "client: text, one after the other"
errs "client: text, one after the other" ""
run "client: cii needs a directory" 2 bill "$m" --client acme --format cii
errs "client: cii needs a directory" "kontingent: --format cii: 2 drafts need --output DIR (one file per draft, named by its number)"
is "client: cii needs a directory, nothing printed" "$(cat "$work/out")" ""
run "client: cii needs a directory, nothing recorded" 2 bill "$m" --client acme --format cii --record
errs "client: cii needs a directory, nothing recorded" "kontingent: --format cii: 2 drafts need --output DIR (one file per draft, named by its number)"
same "client: cii needs a directory, nothing recorded" "$m" "$work/several-before.json"
run "client: json needs a directory" 2 bill "$m" --client acme --format json
errs "client: json needs a directory" "kontingent: --format json: 2 drafts need --output DIR (one file per draft, named by its number)"
run "client: cii to a directory" 0 bill "$m" --client acme --format cii --output "$work/drafts"
is "client: cii to a directory, nothing printed" "$(cat "$work/out")" ""
errs "client: cii to a directory" "wrote $work/drafts/RE-2026-0004.xml
wrote $work/drafts/RE-2026-0005.xml"
is "client: one file per draft" "$(ls -A "$work/drafts" | tr '\n' ' ')" "RE-2026-0004.xml RE-2026-0005.xml "
same "client: the first file" "$work/drafts/RE-2026-0004.xml" "$work/site.cii"
same "client: the second file" "$work/drafts/RE-2026-0005.xml" "$work/care.cii"
same "client: writing files records nothing" "$m" "$work/several-before.json"
run "client: record them all" 0 bill "$m" --client acme --format cii --output "$work/recorded" --record
errs "client: record them all" "wrote $work/recorded/RE-2026-0004.xml
wrote $work/recorded/RE-2026-0005.xml
recorded invoice RE-2026-0004 over 668.75 EUR net (engagements[0].invoices[1])
recorded invoice RE-2026-0005 over 160.00 EUR net (engagements[2].invoices[0])"
same "client: recorded the files written before" "$work/recorded/RE-2026-0005.xml" "$work/care.cii"
is "client: consecutive numbers in the book" "$(json "$m" "[(e['id'], [i['id'] for i in e['invoices']]) for e in d['engagements']]")" \
  "[('acme-site', ['RE-2026-0001', 'RE-2026-0004']), ('acme-logo', ['RE-2026-0002', 'RE-2026-0003']), ('acme-care', ['RE-2026-0005'])]"
run "client: report after recording" 0 report "$m" --format json
is "client: nothing unbilled" "$(json "$work/out" "[e['unbilled'] for e in d['engagements']]")" "['0.00', '0.00', '0.00']"
run "client: bill again" 0 bill "$m" --client acme
nothing "client: bill again" 'nothing to bill for client "acme" as of 2026-03-10'
mkdir "$work/one"
run "client: a single draft into an existing directory" 0 bill "$books/s19.book.json" --client acme --format json --output "$work/one"
errs "client: a single draft into an existing directory" "wrote $work/one/RE-2026-0004.json"
valid_json "client: a single draft into an existing directory" "$work/one/RE-2026-0004.json"
run "client: a single draft into a new directory/" 0 bill "$books/s19.book.json" --client acme --format md --output "$work/new/"
errs "client: a single draft into a new directory/" "wrote $work/new/RE-2026-0004.md"

# --- --output FILE ----------------------------------------------------------------------------------
mkdir "$work/docs"
printf 'an older, much longer document that must not shine through %.0s' {1..200} >"$work/docs/invoice.html"
run "html to stdout" 0 bill "$books/s19.book.json" --engagement acme-site --format html
cp "$work/out" "$work/invoice.html"
run "--output FILE" 0 bill "$books/s19.book.json" --engagement acme-site --format html --output "$work/docs/invoice.html"
is "--output FILE prints nothing" "$(cat "$work/out")" ""
errs "--output FILE" "wrote $work/docs/invoice.html"
same "--output FILE replaces the file with the document" "$work/docs/invoice.html" "$work/invoice.html"
is "--output FILE leaves no temporary file" "$(ls -A "$work/docs")" "invoice.html"
cp "$books/s19.book.json" "$s19"
run "--output FILE and --record" 0 bill "$s19" --engagement acme-site --output "$work/docs/invoice.txt" --record
is "--output FILE and --record print nothing" "$(cat "$work/out")" ""
errs "--output FILE and --record" "wrote $work/docs/invoice.txt
recorded invoice RE-2026-0004 over 668.75 EUR net (engagements[0].invoices[1])"
same "--output FILE: the text draft" "$work/docs/invoice.txt" "$work/draft-de.txt"
cp "$books/s19.book.json" "$s19"
run "--output into a missing directory" 3 bill "$s19" --engagement acme-site --output "$work/none/invoice.txt" --record
errs "--output into a missing directory" "kontingent: $work/none/invoice.txt: cannot save: the directory $work/none does not exist"
same "a document that cannot be written records nothing" "$s19" "$books/s19.book.json"

# --- errors: exact messages and exit codes, the book byte for byte unchanged -----------------------
cp "$books/s19.book.json" "$s19"
a=$work/a-fixed.json
cp "$data/spec-examples/a-fixed.book.json" "$a"
bad() {  # bad NAME CODE STDERR BOOK ARGS...: with and without --record
  local name=$1 code=$2 err=$3 book=$4
  shift 4
  cp "$book" "$work/before"
  for record in "" --record; do
    local what="$name${record:+ $record}"
    run "$what" "$code" bill "$book" "$@" ${record:+"$record"}
    errs "$what" "$err"
    is "$what: nothing printed" "$(cat "$work/out")" ""
    same "$what: book unchanged" "$book" "$work/before"
  done
}
run "a book without owner" 1 bill "$a" --engagement acme-site
errs_like "a book without owner" "kontingent: the book has no owner*"
owner_message=$(cat "$work/err")
bad "a book without owner" 1 "$owner_message" "$a" --engagement acme-site
bad "a number taken" 1 'kontingent: invoice number "RE-2026-0002" is taken: the book has an invoice with that id' \
  "$s19" --engagement acme-site --number RE-2026-0002
bad "a credit note's number taken" 1 'kontingent: invoice number "RE-2026-0001" is taken: the book has an invoice with that id' \
  "$s19" --engagement acme-logo --credit --number RE-2026-0001
bad "unknown engagement" 2 'kontingent: --engagement: the book has no engagement "nope"' "$s19" --engagement nope
bad "an empty engagement" 2 'kontingent: --engagement: the book has no engagement ""' "$s19" --engagement ""
bad "an empty number" 1 "kontingent: an invoice number must not be empty" "$s19" --engagement acme-site --number ""
bad "unknown client" 2 'kontingent: --client: the book has no client "nope"' "$s19" --client nope
bad "neither --engagement nor --client" 2 "kontingent: bill: give --engagement ID or --client ID" "$s19"
bad "not started by the as-of date" 1 'kontingent: engagement "acme-site" starts 2026-01-05, after the as-of date 2025-12-31' \
  "$s19" --engagement acme-site --as-of 2025-12-31
bad "impossible as-of date" 2 'kontingent: --as-of: impossible date "2026-02-30"' "$s19" --engagement acme-site --as-of 2026-02-30
bad "impossible invoice date" 2 'kontingent: --date: impossible date "2026-13-01"' "$s19" --engagement acme-site --date 2026-13-01
"$py" -c 'import json, sys
b = json.load(open(sys.argv[1], encoding="utf-8"))
del b["owner"]["vat_id"]
json.dump(b, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)' "$books/s19.book.json" "$work/no-vat-id.json"
bad "an e-invoice EN 16931 refuses" 1 \
  'kontingent: cannot write invoice "RE-2026-0004" as an e-invoice: the owner needs a "vat_id" or a "tax_number" (EN 16931 BR-CO-26, BR-S-02)' \
  "$work/no-vat-id.json" --engagement acme-site --format cii --output "$work/refused.xml"
[ ! -e "$work/refused.xml" ] && pass || fail "an e-invoice EN 16931 refuses: $work/refused.xml was written"
cp "$s19" "$work/before"
run "both --engagement and --client" 2 bill "$s19" --engagement acme-site --client acme --record
run "unknown format" 2 bill "$s19" --engagement acme-site --format pdf --record
run "unknown language" 2 bill "$s19" --engagement acme-site --lang fr --record
same "usage errors: book unchanged" "$s19" "$work/before"
run "a missing book" 3 bill "$work/none.json" --engagement acme-site
errs "a missing book" "kontingent: $work/none.json: cannot read the book file (No such file or directory)"

finish bill
