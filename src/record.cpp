// record(): events into a book, each checked by the rules validate() uses (src/rules.hpp).
#include "kontingent/record.hpp"

#include <algorithm>

#include "rules.hpp"

namespace kontingent {
namespace {

std::string at(const std::string& path, std::string_view list, std::size_t i) {
  return (path.empty() ? "" : path + ".") + std::string(list) + "[" + std::to_string(i) + "]";
}

std::string engagement_path(std::size_t index) { return "engagements[" + std::to_string(index) + "]"; }

}  // namespace

void record_entry(Engagement& e, ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request,
                  std::string_view note, bool written_as_minutes, const std::string& path) {
  const detail::Place engagement(path);
  if (!detail::EntryTest(e)(start, seconds, kind, request))  // the message's place is made only when needed
    detail::check_entry(e, start, seconds, kind, request, written_as_minutes, engagement.at("entries", e.journal.entries.size()));
  if (!note.empty()) detail::check_text(note, engagement.at("entries", e.journal.entries.size()) / "note");
  e.journal.entries.push_back(start, seconds, kind, request, note, written_as_minutes);
}

void record_entries(Engagement& e, const Entries& entries, const std::string& path) {
  const std::size_t first = e.journal.entries.size();
  detail::check_entries(e, entries, path, first);
  e.journal.entries.append(entries);
}

Recorder::Recorder(Book& book) : book_(book) {
  engagements_.reserve(book.engagements.size());
  for (std::size_t i = 0; i < book.engagements.size(); ++i) engagements_.emplace(book.engagements[i].id, i);
  for (const Engagement& e : book.engagements)
    for (const Invoice& invoice : e.journal.invoices) invoice_ids_.insert(invoice.id);
}

std::string Recorder::record(const Event& event) {
  const std::string& id = engagement_of(event);
  const auto found = engagements_.find(id);
  if (found == engagements_.end()) throw validation_error("", "the book has no engagement \"" + id + "\"");
  Engagement& e = book_.engagements[found->second];
  const detail::EventContext context{engagement_path(found->second), e.journal.entries.size(),
                                     [&](const std::string& invoice) { return invoice_ids_.contains(invoice); }};
  std::string place = detail::check_event(e, context, event);
  detail::append_event(e, event);
  if (const auto* invoice = std::get_if<NewInvoice>(&event)) invoice_ids_.insert(invoice->invoice.id);
  return place;
}

namespace detail {

std::string check_event(const Engagement& e, const EventContext& context, const Event& event) {
  const std::string& path = context.path;
  const Journal& j = e.journal;
  return std::visit(
      [&](const auto& ev) -> std::string {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, NewEntry>) {
          const std::string place = at(path, "entries", context.entries);
          RequestIndex r = no_request;
          if (!ev.request.empty() && (r = j.find_request(ev.request)) == no_request)
            throw validation_error(place + ".request", "unknown request \"" + ev.request + "\"");
          check_entry(e, clock_seconds(ev.start), ev.seconds, ev.kind, r, ev.written_as_minutes, place);
          check_text(ev.note, place + ".note");
          return place;
        } else if constexpr (std::is_same_v<T, NewRequest>) {
          const std::string place = at(path, "requests", j.requests.size());
          check_request_id_is_new(ev.request.id, j.requests, place);
          check_request(e, ev.request, place);
          return place;
        } else if constexpr (std::is_same_v<T, NewAppointment>) {
          const std::string place = at(path, "appointments", j.appointments.size());
          check_appointment(ev.appointment, place);
          return place;
        } else if constexpr (std::is_same_v<T, NewInvoice>) {
          const std::string place = at(path, "invoices", j.invoices.size());
          if (context.invoice_id_taken(ev.invoice.id)) duplicate_id("invoice", ev.invoice.id, "", place);
          check_invoice(e, ev.invoice, place);
          return place;
        } else {
          const std::string place = at(path, "payments", j.payments.size());
          const auto invoice = std::find_if(j.invoices.begin(), j.invoices.end(), [&](const Invoice& i) { return i.id == ev.payment.invoice; });
          check_payment(e, ev.payment, invoice == j.invoices.end() ? nullptr : &*invoice, place);
          return place;
        }
      },
      event);
}

void append_event(Engagement& e, const Event& event) {
  Journal& j = e.journal;
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, NewEntry>) {
          const RequestIndex r = ev.request.empty() ? no_request : j.find_request(ev.request);
          j.entries.push_back(clock_seconds(ev.start), ev.seconds, ev.kind, r, ev.note, ev.written_as_minutes);
        } else if constexpr (std::is_same_v<T, NewRequest>) {
          j.requests.push_back(ev.request);
        } else if constexpr (std::is_same_v<T, NewAppointment>) {
          j.appointments.push_back(ev.appointment);
        } else if constexpr (std::is_same_v<T, NewInvoice>) {
          j.invoices.push_back(ev.invoice);
        } else {
          j.payments.push_back(ev.payment);
        }
      },
      event);
}

}  // namespace detail

std::string record(Book& book, const Event& event) { return Recorder(book).record(event); }

std::string next_request_id(const Engagement& e, RequestKind kind) {
  const std::string prefix = kind == RequestKind::revision ? "R" : "C";
  for (std::size_t n = 1;; ++n)
    if (e.journal.find_request(prefix + std::to_string(n)) == no_request) return prefix + std::to_string(n);
}

namespace detail {

Book book_to_record_in(const Book& book, const std::vector<std::size_t>& whole) {
  Book copy;
  copy.clients = book.clients;
  copy.engagements.reserve(book.engagements.size());
  for (std::size_t i = 0; i < book.engagements.size(); ++i) {
    const Engagement& e = book.engagements[i];
    const bool needed_whole = std::find(whole.begin(), whole.end(), i) != whole.end();
    copy.engagements.push_back(needed_whole ? e : without_entries(e));
  }
  return copy;
}

}  // namespace detail

std::vector<std::string> record_all(Book& book, std::span<const Event> events) {
  std::vector<std::size_t> touched;
  for (const Event& event : events) {
    const std::string& id = engagement_of(event);
    for (std::size_t i = 0; i < book.engagements.size(); ++i)
      if (book.engagements[i].id == id && std::find(touched.begin(), touched.end(), i) == touched.end()) touched.push_back(i);
  }
  {
    // The events are tried on a copy first, so that a refused one leaves `book` as it was.
    Book trial = detail::book_to_record_in(book, touched);
    Recorder recorder(trial);
    for (const Event& event : events) recorder.record(event);
  }
  Recorder recorder(book);
  std::vector<std::string> places;
  for (const Event& event : events) places.push_back(recorder.record(event));
  return places;
}

}  // namespace kontingent
