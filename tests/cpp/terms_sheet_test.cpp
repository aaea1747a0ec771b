// The terms sheet: SPEC worked examples A and B worded to the letter, the Markdown and HTML forms,
// escaping of book text, exact amounts and hours, and each pricing.
#include <catch2/catch.hpp>
#include <string>

#include "kontingent/writers/terms_sheet.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

Book example(const std::string& name) { return load_book_json(test::spec_example(name)); }

std::string sheet(const Book& book, Language language, SheetFormat format = SheetFormat::text) {
  return terms_sheet(book, book.engagements.at(0), language, format);
}

/// A book of one engagement with these terms (JSON members) for client "Kundin GmbH".
Book book_with(const std::string& terms, const std::string& end = R"(, "end": "2026-12-31")", const std::string& currency = "EUR") {
  return parse_book_json(R"({"format": "kontingent-book/1", "clients": [{"id": "k", "name": "Kundin GmbH"}],
    "engagements": [{"id": "k-1", "client": "k", "title": "Pflege", "currency": ")" + currency + R"(", "start": "2026-02-01")" + end +
                         R"(, "terms": {)" + terms + "}}]}");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

/// The bullet items of a text or Markdown sheet, one per line starting with "- ".
std::size_t bullets(const std::string& text) { return count("\n" + text, "\n- "); }

}  // namespace

TEST_CASE("German terms sheet of worked example A", "[terms_sheet]") {
  CHECK(sheet(example("a-fixed.book.json"), Language::de) ==
        "Konditionen: Website relaunch\n"
        "=============================\n"
        "\n"
        "Kunde: ACME GmbH\n"
        "Laufzeit: 05.01.2026 – 30.06.2026\n"
        "Währung: EUR\n"
        "\n"
        "- Festpreis 4.800,00 € für den vereinbarten Leistungsumfang.\n"
        "- 2 Korrekturschleifen sind im Festpreis enthalten; jede weitere Korrekturschleife kostet pauschal 350,00 €.\n"
        "- Änderungswünsche: nach Angebot, sonst nach Aufwand zu 95,00 € je Stunde.\n"
        "- Arbeitszeiten werden je Eintrag auf volle 15 Minuten aufgerundet.\n"
        "- Telefonate und Besprechungen: Die ersten 15 Minuten je Gespräch sind frei; danach werden je angefangene 30 Minuten "
        "40,00 € berechnet.\n"
        "- Eilaufträge mit einer Frist von weniger als 48 Stunden nach Eingang: Aufschlag von 50 % auf den Stundensatz von "
        "95,00 € für die daran geleistete Arbeitszeit, zusätzlich zur Vergütung dieser Arbeit.\n"
        "- Termine, die weniger als 24 Stunden vorher abgesagt oder nicht wahrgenommen werden, werden mit 120,00 € berechnet.\n"
        "- Zahlbar innerhalb von 30 Tagen nach Rechnungsdatum.\n"
        "- Alle Preise netto zzgl. gesetzlicher Umsatzsteuer.\n");
}

TEST_CASE("English terms sheet of worked example A", "[terms_sheet]") {
  CHECK(sheet(example("a-fixed.book.json"), Language::en) ==
        "Terms: Website relaunch\n"
        "=======================\n"
        "\n"
        "Client: ACME GmbH\n"
        "Period: 5 January 2026 – 30 June 2026\n"
        "Currency: EUR\n"
        "\n"
        "- Fixed price of EUR 4,800.00 for the agreed scope of work.\n"
        "- 2 revision rounds are included in the fixed price; each further round costs a flat EUR 350.00.\n"
        "- Change requests: as quoted, otherwise billed by time at EUR 95.00 per hour.\n"
        "- Each time entry is rounded up to the next full 15 minutes.\n"
        "- Calls and meetings: the first 15 minutes of each call are free; after that, EUR 40.00 per 30 minutes or part thereof.\n"
        "- Rush requests with a deadline of less than 48 hours after receipt: a surcharge of 50% of the hourly rate of "
        "EUR 95.00 for the time worked on them, on top of the price of that work.\n"
        "- Appointments missed or cancelled less than 24 hours in advance are charged at EUR 120.00.\n"
        "- Payment due within 30 days of the invoice date.\n"
        "- All prices net of VAT.\n");
}

TEST_CASE("German terms sheet of worked example B (retainer with rollover)", "[terms_sheet]") {
  CHECK(sheet(example("b-retainer.book.json"), Language::de) ==
        "Konditionen: Monthly care retainer\n"
        "==================================\n"
        "\n"
        "Kunde: Bolt & Partner\n"
        "Laufzeit: 01.01.2026 – 31.03.2026\n"
        "Währung: EUR\n"
        "\n"
        "- Monatliches Stundenkontingent: 10 Stunden für 900,00 € je Kalendermonat (angefangene Monate werden voll berechnet); "
        "darüber hinaus Abrechnung nach Aufwand zu 100,00 € je Stunde. Nicht genutzte Stunden werden bis höchstens 5 Stunden "
        "in den Folgemonat übertragen.\n"
        "- Korrekturschleifen sind nicht im monatlichen Stundenkontingent enthalten; sie werden nach Aufwand zu 100,00 € je "
        "Stunde abgerechnet.\n"
        "- Änderungswünsche: nach Angebot, sonst nach Aufwand zu 100,00 € je Stunde.\n"
        "- Arbeitszeiten werden je Eintrag auf volle 6 Minuten kaufmännisch gerundet.\n"
        "- Telefonate und Besprechungen zählen als Arbeitszeit und werden auf das monatliche Stundenkontingent angerechnet.\n"
        "- Zahlbar innerhalb von 30 Tagen nach Rechnungsdatum.\n"
        "- Alle Preise netto zzgl. gesetzlicher Umsatzsteuer.\n");
}

TEST_CASE("Markdown terms sheet of worked example A", "[terms_sheet]") {
  const Book a = example("a-fixed.book.json");
  const std::string de = sheet(a, Language::de, SheetFormat::markdown);
  CHECK(de.starts_with("# Konditionen: Website relaunch\n\n**Kunde:** ACME GmbH\\\n**Laufzeit:** 05.01.2026 – 30.06.2026\\\n"
                       "**Währung:** EUR\n\n- Festpreis 4.800,00 € für den vereinbarten Leistungsumfang.\n"));
  CHECK(bullets(de) == 9);
  CHECK(de.ends_with("- Alle Preise netto zzgl. gesetzlicher Umsatzsteuer.\n"));
  const std::string en = sheet(a, Language::en, SheetFormat::markdown);
  CHECK(en.starts_with("# Terms: Website relaunch\n"));
  CHECK(bullets(en) == 9);
  // The same items as the text sheet, in the same order.
  const std::string text = sheet(a, Language::de);
  CHECK(de.substr(de.find("\n- ")) == text.substr(text.find("\n- ")));
}

TEST_CASE("HTML terms sheet of worked example A", "[terms_sheet]") {
  const std::string html = sheet(example("a-fixed.book.json"), Language::de, SheetFormat::html);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"));
  CHECK(html.ends_with("</ul>\n</body>\n</html>\n"));
  CHECK(html.find("<title>Konditionen: Website relaunch</title>") != std::string::npos);
  CHECK(html.find("<h1 style=\"font-size: 1.5em; margin: 0 0 0.5em;\">Konditionen: Website relaunch</h1>") != std::string::npos);
  CHECK(html.find("<strong>Kunde:</strong> ACME GmbH") != std::string::npos);
  CHECK(count(html, "<li") == 9);
  CHECK(count(html, "</li>") == 9);
  CHECK(html.find("<li style=\"margin-bottom: 0.4em;\">Festpreis 4.800,00 € für den vereinbarten Leistungsumfang.</li>") !=
        std::string::npos);
  // Self-contained: no external resources, no scripts, no style sheet to fetch.
  CHECK(html.find("http") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  const std::string en = sheet(example("a-fixed.book.json"), Language::en, SheetFormat::html);
  CHECK(en.find("<html lang=\"en\">") != std::string::npos);
  CHECK(count(en, "<li") == 9);
}

TEST_CASE("terms sheet escapes the book's text in Markdown and HTML", "[terms_sheet]") {
  Book b = example("a-fixed.book.json");
  b.engagements[0].title = "Logo & <Relaunch> \"Süd\" 'Ä'";
  b.clients[0].name = "Müller & Söhne <GmbH> \"Öl\" 'ß'";
  const std::string html = sheet(b, Language::de, SheetFormat::html);
  CHECK(html.find("<title>Konditionen: Logo &amp; &lt;Relaunch&gt; &quot;Süd&quot; &#39;Ä&#39;</title>") != std::string::npos);
  CHECK(html.find(">Konditionen: Logo &amp; &lt;Relaunch&gt; &quot;Süd&quot; &#39;Ä&#39;</h1>") != std::string::npos);
  CHECK(html.find("<strong>Kunde:</strong> Müller &amp; Söhne &lt;GmbH&gt; &quot;Öl&quot; &#39;ß&#39;<br>") != std::string::npos);
  CHECK(html.find("<Relaunch>") == std::string::npos);
  CHECK(html.find("<GmbH>") == std::string::npos);
  CHECK(html.find("\"Süd\"") == std::string::npos);
  CHECK(count(html, "<li") == 9);

  const std::string md = sheet(b, Language::de, SheetFormat::markdown);
  CHECK(md.starts_with("# Konditionen: Logo & \\<Relaunch\\> \"Süd\" 'Ä'\n\n**Kunde:** Müller & Söhne \\<GmbH\\> \"Öl\" 'ß'\\\n"));
  CHECK(bullets(md) == 9);

  // Plain text keeps the book's text as it is; the underline is as long as the heading in characters.
  const std::string text = sheet(b, Language::de);
  CHECK(text.starts_with("Konditionen: Logo & <Relaunch> \"Süd\" 'Ä'\n" + std::string(40, '=') + "\n\nKunde: Müller & Söhne <GmbH> \"Öl\" 'ß'\n"));

  // Markdown markup and entities in the book's text are taken literally.
  b.engagements[0].title = "*neu* [Teil_2] &auml; #1";
  CHECK(sheet(b, Language::en, SheetFormat::markdown).starts_with("# Terms: \\*neu\\* \\[Teil\\_2\\] \\&auml; \\#1\n"));
}

TEST_CASE("terms sheet of a contingent with cents and half hours", "[terms_sheet]") {
  const Book b = book_with(R"("pricing": "contingent", "rate": "99.99", "contingent_hours": 7.5, "contingent_price": "1234.56",
      "included_rounds": 1, "rush": {"lead_hours": 1.5, "surcharge_percent": 12.5},
      "no_show": {"notice_hours": 0.25, "fee": "1234567.89"}, "call_fee": {"free_minutes": 0, "block_minutes": 60, "fee": "25.5"})");
  CHECK(sheet(b, Language::de) ==
        "Konditionen: Pflege\n"
        "===================\n"
        "\n"
        "Kunde: Kundin GmbH\n"
        "Laufzeit: 01.02.2026 – 31.12.2026\n"
        "Währung: EUR\n"
        "\n"
        "- Stundenkontingent von 7,5 Stunden für 1.234,56 €; darüber hinaus Abrechnung nach Aufwand zu 99,99 € je Stunde.\n"
        "- Eine Korrekturschleife ist im Stundenkontingent enthalten; jede weitere wird nach Aufwand zu 99,99 € je Stunde "
        "abgerechnet.\n"
        "- Änderungswünsche: nach Angebot, sonst nach Aufwand zu 99,99 € je Stunde.\n"
        "- Telefonate und Besprechungen werden je angefangene Stunde mit 25,50 € berechnet. Gesprächszeit wird nicht auf das "
        "Stundenkontingent angerechnet.\n"
        "- Eilaufträge mit einer Frist von weniger als 1,5 Stunden nach Eingang: Aufschlag von 12,5 % auf den Stundensatz von "
        "99,99 € für die daran geleistete Arbeitszeit, zusätzlich zur Vergütung dieser Arbeit.\n"
        "- Termine, die weniger als 0,25 Stunden vorher abgesagt oder nicht wahrgenommen werden, werden mit 1.234.567,89 € "
        "berechnet.\n"
        "- Zahlbar innerhalb von 30 Tagen nach Rechnungsdatum.\n"
        "- Alle Preise netto zzgl. gesetzlicher Umsatzsteuer.\n");
  CHECK(sheet(b, Language::en) ==
        "Terms: Pflege\n"
        "=============\n"
        "\n"
        "Client: Kundin GmbH\n"
        "Period: 1 February 2026 – 31 December 2026\n"
        "Currency: EUR\n"
        "\n"
        "- A block of 7.5 hours for EUR 1,234.56; time beyond it is billed at EUR 99.99 per hour.\n"
        "- One revision round is included in the block of hours; each further round is billed by time at EUR 99.99 per hour.\n"
        "- Change requests: as quoted, otherwise billed by time at EUR 99.99 per hour.\n"
        "- Calls and meetings are charged at EUR 25.50 per hour or part thereof. Call time does not count against the block "
        "of hours.\n"
        "- Rush requests with a deadline of less than 1.5 hours after receipt: a surcharge of 12.5% of the hourly rate of "
        "EUR 99.99 for the time worked on them, on top of the price of that work.\n"
        "- Appointments missed or cancelled less than 0.25 hours in advance are charged at EUR 1,234,567.89.\n"
        "- Payment due within 30 days of the invoice date.\n"
        "- All prices net of VAT.\n");
}

TEST_CASE("terms sheet of an hourly engagement without an end, in CHF", "[terms_sheet]") {
  const Book b = book_with(R"("pricing": "hourly", "rate": "120", "included_rounds": 2, "extra_round_price": "80",
      "rounding": {"increment_minutes": 60, "mode": "down"}, "call_fee": {"free_minutes": 1, "block_minutes": 1, "fee": "2"},
      "rush": {"lead_hours": 1, "surcharge_percent": 0.000001}, "no_show": {"notice_hours": 0, "fee": "50"})",
                           "", "CHF");
  CHECK(sheet(b, Language::de) ==
        "Konditionen: Pflege\n"
        "===================\n"
        "\n"
        "Kunde: Kundin GmbH\n"
        "Laufzeit: ab 01.02.2026\n"
        "Währung: CHF\n"
        "\n"
        "- Abrechnung nach Aufwand zu 120,00 CHF je Stunde.\n"
        "- Die ersten 2 Korrekturschleifen werden nach Aufwand abgerechnet, jede weitere pauschal mit 80,00 CHF.\n"
        "- Änderungswünsche: nach Angebot, sonst nach Aufwand zu 120,00 CHF je Stunde.\n"
        "- Arbeitszeiten werden je Eintrag auf volle Stunden abgerundet.\n"
        "- Telefonate und Besprechungen: Die erste Minute je Gespräch ist frei; danach werden je angefangene Minute 2,00 CHF "
        "berechnet. Gesprächszeit wird nicht zusätzlich nach Aufwand abgerechnet.\n"
        "- Eilaufträge mit einer Frist von weniger als 1 Stunde nach Eingang: Aufschlag von 0,000001 % auf den Stundensatz "
        "von 120,00 CHF für die daran geleistete Arbeitszeit, zusätzlich zur Vergütung dieser Arbeit.\n"
        "- Nicht wahrgenommene Termine werden mit 50,00 CHF berechnet.\n"
        "- Zahlbar innerhalb von 30 Tagen nach Rechnungsdatum.\n"
        "- Alle Preise netto zzgl. gesetzlicher Umsatzsteuer.\n");
  const std::string en = sheet(b, Language::en);
  CHECK(en.find("Period: from 1 February 2026\n") != std::string::npos);
  CHECK(en.find("- Billed by time at CHF 120.00 per hour.\n") != std::string::npos);
  CHECK(en.find("- The first 2 revision rounds are billed by time; each further round costs a flat CHF 80.00.\n") != std::string::npos);
  CHECK(en.find("- Each time entry is rounded down to the last full hour.\n") != std::string::npos);
  CHECK(en.find("- Calls and meetings: the first minute of each call is free; after that, CHF 2.00 per minute or part thereof. "
                "Calls are billed by this fee only, not by time.\n") != std::string::npos);
  CHECK(en.find("less than 1 hour after receipt: a surcharge of 0.000001% of the hourly rate of CHF 120.00") != std::string::npos);
  CHECK(en.find("- Missed appointments are charged at CHF 50.00.\n") != std::string::npos);

  // Hourly revision rounds without a flat price are simply work by the hour; one included round.
  const Book plain = book_with(R"("pricing": "hourly", "rate": "95", "included_rounds": 3)");
  CHECK(sheet(plain, Language::de).find("\n- Korrekturschleifen werden nach Aufwand zu 95,00 € je Stunde abgerechnet.\n") != std::string::npos);
  const Book one = book_with(R"("pricing": "hourly", "rate": "95", "included_rounds": 1, "extra_round_price": "50")");
  CHECK(sheet(one, Language::de).find("\n- Die erste Korrekturschleife wird nach Aufwand abgerechnet, jede weitere pauschal mit 50,00 €.\n") !=
        std::string::npos);
  CHECK(sheet(one, Language::en).find("\n- The first revision round is billed by time; each further round costs a flat EUR 50.00.\n") !=
        std::string::npos);
  const Book none = book_with(R"("pricing": "hourly", "rate": "95", "extra_round_price": "50")");
  CHECK(sheet(none, Language::de).find("\n- Jede Korrekturschleife kostet pauschal 50,00 €.\n") != std::string::npos);
}

TEST_CASE("terms sheet of a retainer without rollover", "[terms_sheet]") {
  for (const std::string rollover : {"", R"(, "rollover_max_hours": 0)"}) {
    const Book b = book_with(R"("pricing": "retainer", "rate": "80", "contingent_hours": 20, "contingent_price": "1500",
        "included_rounds": 1, "extra_round_price": "200", "call_fee": {"free_minutes": 10, "block_minutes": 15, "fee": "20"})" + rollover);
    const std::string de = sheet(b, Language::de);
    CHECK(de.find("\n- Monatliches Stundenkontingent: 20 Stunden für 1.500,00 € je Kalendermonat (angefangene Monate werden voll "
                  "berechnet); darüber hinaus Abrechnung nach Aufwand zu 80,00 € je Stunde. Nicht genutzte Stunden verfallen am "
                  "Monatsende.\n") != std::string::npos);
    CHECK(de.find("\n- Eine Korrekturschleife ist im monatlichen Stundenkontingent enthalten; jede weitere Korrekturschleife kostet "
                  "pauschal 200,00 €.\n") != std::string::npos);
    CHECK(de.find("\n- Telefonate und Besprechungen: Die ersten 10 Minuten je Gespräch sind frei; danach werden je angefangene "
                  "15 Minuten 20,00 € berechnet. Gesprächszeit wird nicht auf das monatliche Stundenkontingent angerechnet.\n") !=
          std::string::npos);
    CHECK(de.find("übertragen") == std::string::npos);
    const std::string en = sheet(b, Language::en);
    CHECK(en.find("\n- Monthly retainer: 20 hours for EUR 1,500.00 per calendar month (part months are charged in full); time beyond "
                  "the monthly hours is billed at EUR 80.00 per hour. Unused hours expire at the end of the month.\n") != std::string::npos);
    CHECK(en.find("\n- One revision round is included in the monthly hours; each further round costs a flat EUR 200.00.\n") !=
          std::string::npos);
  }
  // A rollover of one hour is singular.
  const Book one = book_with(R"("pricing": "retainer", "rate": "80", "contingent_hours": 1, "contingent_price": "100", "rollover_max_hours": 1)");
  CHECK(sheet(one, Language::de).find(": 1 Stunde für 100,00 € je Kalendermonat") != std::string::npos);
  CHECK(sheet(one, Language::de).find("bis höchstens 1 Stunde in den Folgemonat übertragen.") != std::string::npos);
  CHECK(sheet(one, Language::en).find("up to 1 hour.") != std::string::npos);
}

TEST_CASE("terms sheet of terms without extras", "[terms_sheet]") {
  const Book b = book_with(R"("pricing": "fixed", "rate": "95", "fixed_price": "2000")");
  const std::string de = sheet(b, Language::de);
  CHECK(de.substr(de.find("\n- ")) ==
        "\n- Festpreis 2.000,00 € für den vereinbarten Leistungsumfang.\n"
        "- Korrekturschleifen sind nicht im Festpreis enthalten; sie werden nach Aufwand zu 95,00 € je Stunde abgerechnet.\n"
        "- Änderungswünsche: nach Angebot, sonst nach Aufwand zu 95,00 € je Stunde.\n"
        "- Telefonate und Besprechungen sind im Festpreis enthalten.\n"
        "- Zahlbar innerhalb von 30 Tagen nach Rechnungsdatum.\n"
        "- Alle Preise netto zzgl. gesetzlicher Umsatzsteuer.\n");
  const std::string en = sheet(b, Language::en);
  CHECK(en.substr(en.find("\n- ")) ==
        "\n- Fixed price of EUR 2,000.00 for the agreed scope of work.\n"
        "- Revision rounds are not included in the fixed price; they are billed by time at EUR 95.00 per hour.\n"
        "- Change requests: as quoted, otherwise billed by time at EUR 95.00 per hour.\n"
        "- Calls and meetings are included in the fixed price.\n"
        "- Payment due within 30 days of the invoice date.\n"
        "- All prices net of VAT.\n");
  CHECK(bullets(sheet(b, Language::de, SheetFormat::markdown)) == 6);
  CHECK(count(sheet(b, Language::de, SheetFormat::html), "<li") == 6);

  // Without a call fee, calls are worded as the base price covers them in each pricing.
  const Book hourly = book_with(R"("pricing": "hourly", "rate": "95")");
  CHECK(sheet(hourly, Language::de).find("\n- Telefonate und Besprechungen werden wie die übrige Arbeit nach Aufwand abgerechnet.\n") !=
        std::string::npos);
  CHECK(sheet(hourly, Language::en).find("\n- Calls and meetings are billed by time like other work.\n") != std::string::npos);
  const Book block = book_with(R"("pricing": "contingent", "rate": "95", "contingent_hours": 10, "contingent_price": "900")");
  CHECK(sheet(block, Language::de).find("\n- Telefonate und Besprechungen zählen als Arbeitszeit und werden auf das Stundenkontingent "
                                        "angerechnet.\n") != std::string::npos);
  CHECK(sheet(block, Language::en).find("\n- Calls and meetings count as working time against the block of hours.\n") != std::string::npos);
  CHECK(sheet(block, Language::de).find("\n- Korrekturschleifen sind nicht im Stundenkontingent enthalten; sie werden nach Aufwand") !=
        std::string::npos);
}

TEST_CASE("terms sheet words rounding modes and increments", "[terms_sheet]") {
  const auto rounding = [](const std::string& increment, const std::string& mode, Language language) {
    const std::string text = sheet(book_with(R"("pricing": "hourly", "rate": "95", "rounding": {"increment_minutes": )" + increment +
                                             R"(, "mode": ")" + mode + "\"}"),
                                   language);
    const auto at = text.find(language == Language::de ? "- Arbeitszeiten" : "- Each time entry");
    return text.substr(at + 2, text.find('\n', at) - at - 2);
  };
  CHECK(rounding("15", "up", Language::de) == "Arbeitszeiten werden je Eintrag auf volle 15 Minuten aufgerundet.");
  CHECK(rounding("15", "down", Language::de) == "Arbeitszeiten werden je Eintrag auf volle 15 Minuten abgerundet.");
  CHECK(rounding("15", "nearest", Language::de) == "Arbeitszeiten werden je Eintrag auf volle 15 Minuten kaufmännisch gerundet.");
  CHECK(rounding("1", "up", Language::de) == "Arbeitszeiten werden je Eintrag auf volle Minuten aufgerundet.");
  CHECK(rounding("60", "nearest", Language::en) == "Each time entry is rounded to the nearest hour.");
  CHECK(rounding("1", "up", Language::en) == "Each time entry is rounded up to the next full minute.");
  CHECK(rounding("6", "down", Language::en) == "Each time entry is rounded down to the last full 6 minutes.");
  CHECK(rounding("90", "up", Language::de) == "Arbeitszeiten werden je Eintrag auf volle 90 Minuten aufgerundet.");
}

TEST_CASE("terms sheet names the engagement by id without a title and the formats by their words", "[terms_sheet]") {
  Book b = book_with(R"("pricing": "hourly", "rate": "95")");
  b.engagements[0].title.clear();
  CHECK(sheet(b, Language::de).starts_with("Konditionen: k-1\n================\n"));
  CHECK(from_name<Language>("en") == Language::en);
  CHECK(from_name<SheetFormat>("md") == SheetFormat::markdown);
  CHECK(name(SheetFormat::html) == "html");
  CHECK(names_list<SheetFormat>() == "text, md or html");
}

TEST_CASE("terms sheet states the client's payment days and the VAT the invoices will carry", "[terms_sheet]") {
  Book book = example("a-fixed.book.json");
  const auto last_two = [&](Language language) {
    const std::string text = sheet(book, language);
    const auto end = text.rfind('\n', text.size() - 2);
    return text.substr(text.rfind('\n', end - 1) + 1);
  };
  CHECK(last_two(Language::en) == "- Payment due within 30 days of the invoice date.\n- All prices net of VAT.\n");
  book.clients[0].payment_days = 14;
  book.owner = Owner{"Studio", Address{"", "", "Berlin", "DE"}, "", "", "", "", "", Vat{VatCategory::S, 19'000'000, ""}};
  CHECK(last_two(Language::en) == "- Payment due within 14 days of the invoice date.\n- All prices net, plus 19% VAT.\n");
  CHECK(last_two(Language::de) == "- Zahlbar innerhalb von 14 Tagen nach Rechnungsdatum.\n- Alle Preise netto zzgl. 19 % Umsatzsteuer.\n");
  book.engagements[0].terms.vat = Vat{VatCategory::E, 0, "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."};
  CHECK(last_two(Language::de) ==
        "- Zahlbar innerhalb von 14 Tagen nach Rechnungsdatum.\n- Keine Umsatzsteuer: Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.\n");
  book.engagements[0].terms.vat = Vat{VatCategory::Z, 0, ""};
  CHECK(last_two(Language::en) == "- Payment due within 14 days of the invoice date.\n- All prices net; VAT 0%.\n");
}
