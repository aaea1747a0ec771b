// Quotes as text and JSON.
#include <iomanip>
#include <sstream>

#include "formats/json_writer.hpp"
#include "kontingent/writers/quote.hpp"

namespace kontingent {

std::string to_text(const Quote& q) {
  std::ostringstream out;
  out << q.engagement << ": " << q.total.to_display_string() << " (as of " << format_date(clock_days(q.as_of)) << ")\n";
  for (std::size_t c = 0; c < category_count; ++c)
    if (q.price.values[c].cents() != 0)
      out << "  " << std::left << std::setw(10) << name(static_cast<Category>(c)) << std::right << std::setw(18)
          << q.price.values[c].to_display_string() << '\n';
  for (const std::string& fact : q.facts) out << "  - " << fact << '\n';
  return out.str();
}

std::string to_json(const Quote& q) {
  detail::JsonWriter w;
  w.begin_object().key("format").string("kontingent-quote/1").key("engagement").string(q.engagement);
  w.key("currency").string(q.currency.code()).key("as_of").string(format_date(clock_days(q.as_of)));
  detail::write_amounts(w, "price", q.price);
  w.key("total").string(q.total.to_string());
  w.key("facts").begin_array();
  for (const std::string& fact : q.facts) w.string(fact);
  w.end_array().end_object();
  return std::move(w).take();
}

}  // namespace kontingent
