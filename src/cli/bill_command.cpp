// `kontingent bill`: the leakage of an engagement (or of every engagement of a client) as invoice
// drafts, printed or written in a format, and with --record appended to the book under its writers'
// lock. The drafts and their amounts come from the library (invoice.hpp); this file parses and prints.
#include "bill_command.hpp"

#include <filesystem>
#include <memory>

#include "exit_codes.hpp"
#include "kontingent/detail/text.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/store.hpp"
#include "kontingent/store/atomic_file.hpp"
#include "kontingent/writers/invoice.hpp"

namespace kontingent::cli {
namespace {

struct BillOptions {
  std::string book, engagement, client, as_of, date, number, language = "de", format = "text", output;
  bool credit = false, record = false;
  bool by_client = false, number_given = false;  ///< --client rather than --engagement; --number given (even "")
};

Date date_option(const std::string& text, std::string_view option) {
  std::string rule;
  const ClockDays d = parse_date(text, rule);
  if (!rule.empty()) throw UsageError(std::string(option) + ": " + rule);
  return to_date(d);
}

std::string rendered(const InvoiceDraft& draft, const BillOptions& o) {
  const Language language = *from_name<Language>(o.language);
  if (o.format == "json") return to_json(draft);
  if (o.format == "cii") return to_cii(draft);
  if (o.format == "html") return to_html(draft, language);
  if (o.format == "md") return to_markdown(draft, language);
  return to_text(draft, language);
}

/// The file name of a draft in an --output directory: its number, made safe for a file name.
std::string file_name(const InvoiceDraft& draft, const std::string& format) {
  std::string name = draft.number;
  for (char& c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  if (name.front() == '.') name.insert(0, "_");
  const std::string extension = format == "cii" ? ".xml" : format == "text" ? ".txt" : "." + format;
  return name + extension;
}

/// The engagements to bill: the one named, or every engagement of the client that has started.
std::vector<std::string> engagements_to_bill(const Book& book, const BillOptions& o, Date as_of) {
  if (!o.by_client) {
    if (!book.find_engagement(o.engagement)) throw UsageError("--engagement: the book has no engagement " + detail::quoted(o.engagement));
    return {o.engagement};
  }
  if (!book.find_client(o.client)) throw UsageError("--client: the book has no client " + detail::quoted(o.client));
  std::vector<std::string> ids;
  for (const Engagement& e : book.engagements)
    if (e.client == o.client && e.start <= as_of) ids.push_back(e.id);
  return ids;
}

int run_bill(const BillOptions& o) {
  const std::unique_ptr<BookStore> store = open_book(o.book);
  std::optional<BookLock> held;
  if (o.record) held.emplace(store->lock());
  Book book = store->load();
  const std::optional<Date> as_of = o.as_of.empty() ? default_as_of(book) : date_option(o.as_of, "--as-of");
  if (!as_of) throw UsageError("the book has no engagements: nothing to bill");

  DraftOptions options;
  if (!o.date.empty()) options.date = date_option(o.date, "--date");
  if (o.number_given) options.number = o.number;

  // Each draft is recorded into a working copy, so that the next one is numbered after it.
  Book working = book;
  std::vector<InvoiceDraft> drafts;
  for (const std::string& id : engagements_to_bill(book, o, *as_of)) {
    InvoiceDraft d = o.credit ? draft_credit_note(working, id, *as_of, options) : draft_invoice(working, id, *as_of, options);
    if (d.empty()) continue;
    record_draft(working, d);
    drafts.push_back(std::move(d));
  }
  const std::string what = o.credit ? "nothing to credit" : "nothing to bill";
  const std::string whom = o.by_client ? "client " + detail::quoted(o.client) : "engagement " + detail::quoted(o.engagement);
  if (drafts.empty()) {  // a notice, not a document: stdout holds documents only, in the format asked for
    std::cerr << what << " for " << whom << " as of " << format_date(clock_days(*as_of)) << '\n';
    return exit_ok;
  }

  // The documents first: should recording fail, the book is unchanged and bill can simply run again.
  // A directory gets one file per draft; so does a path ending in "/" that does not exist yet.
  const bool to_directory = !o.output.empty() && (drafts.size() > 1 || o.output.ends_with('/') || std::filesystem::is_directory(o.output));
  if (drafts.size() > 1 && o.output.empty() && o.format != "text" && o.format != "md")
    throw UsageError("--format " + o.format + ": " + std::to_string(drafts.size()) +
                     " drafts need --output DIR (one file per draft, named by its number)");
  std::string printed;
  for (const InvoiceDraft& d : drafts) {
    if (to_directory) {
      std::filesystem::create_directories(o.output);
      const std::filesystem::path file = std::filesystem::path(o.output) / file_name(d, o.format);
      const std::string notice = write_file_atomically(file, rendered(d, o));
      std::cerr << "wrote " << file.string() << '\n';
      print_notice(notice);
    } else {
      printed += (printed.empty() ? "" : "\n") + rendered(d, o);
    }
  }
  if (!printed.empty()) {
    if (o.output.empty()) std::cout << printed;
    else {
      const std::string notice = write_file_atomically(o.output, printed);
      std::cerr << "wrote " << o.output << '\n';
      print_notice(notice);
    }
  }

  if (o.record) {
    std::vector<Event> events;
    for (const InvoiceDraft& d : drafts) events.push_back(NewInvoice{d.engagement, d.as_invoice()});
    const std::vector<std::string> places = store->record(book, events);
    for (std::size_t i = 0; i < drafts.size(); ++i)
      std::cerr << "recorded " << (drafts[i].credit_note ? "credit note " : "invoice ") << drafts[i].number << " over "
                << drafts[i].net.to_display_string() << " net (" << places[i] << ")\n";
  }
  return exit_ok;
}

}  // namespace

void add_bill_command(CLI::App& app, std::function<int()>& run) {
  const auto o = std::make_shared<BillOptions>();
  CLI::App* bill = app.add_subcommand("bill", "Draft the invoice (or --credit note) that turns an engagement's leakage into money; --record writes it into the book");
  bill->add_option("BOOK", o->book, "the book file (" + book_format_list() + ")")->required();
  auto* engagement = bill->add_option("--engagement", o->engagement, "the engagement to bill");
  auto* client = bill->add_option("--client", o->client, "bill every engagement of this client that has leakage, one draft each");
  engagement->excludes(client);
  bill->add_option("--as-of", o->as_of, "the report's date (YYYY-MM-DD); default: the book's latest event");
  bill->add_option("--date", o->date, "the invoice date (default: the as-of date; not after it)");
  auto* number = bill->add_option("--number", o->number, "the invoice number (default: the owner's invoice_prefix and the next free number)");
  number->excludes(client);
  bill->add_option("--lang", o->language, "de (default) or en: the language of text, md and html")->check(CLI::IsMember({"de", "en"}));
  bill->add_flag("--credit", o->credit, "draft a credit note for what was overbilled instead");
  bill->add_option("--format", o->format, "text (default), md, html (printable A4), json (kontingent-invoice/1) or cii (EN 16931 e-invoice XML)")
      ->check(CLI::IsMember({"text", "md", "html", "json", "cii"}));
  bill->add_option("--output", o->output, "write to this file instead of printing; to a directory (several drafts, or a path ending in /): one file per draft, named by its number");
  bill->add_flag("--record", o->record, "record the drafts in the book as invoices, atomically, under the book's lock");
  bill->callback([&run, o, engagement, client, number] {
    run = [o, engagement, client, number] {
      return guarded([&] {
        if (!*engagement && !*client) throw UsageError("bill: give --engagement ID or --client ID");
        o->by_client = static_cast<bool>(*client);
        o->number_given = static_cast<bool>(*number);
        return run_bill(*o);
      });
    };
  });
}

}  // namespace kontingent::cli
