// Pickle states and archive files. Interim: until kontingent/io/serialize.hpp (to_bytes/from_bytes)
// lands, books and engagements pickle as book JSON and archives are refused.
#include "serialization.hpp"

#include "kontingent/io/json.hpp"

namespace kontingent::python {

template <>
std::string state_of<Book>(const Book& b) {
  return to_json(b);
}
template <>
Book from_state<Book>(std::string_view bytes) {
  return parse_book_json(bytes);
}
template <>
std::string state_of<Engagement>(const Engagement& e) {
  Book b;
  b.clients.push_back(Client{e.client, e.client, ""});
  b.engagements.push_back(e);
  return to_json(b);
}
template <>
Engagement from_state<Engagement>(std::string_view bytes) {
  return std::move(parse_book_json(bytes).engagements.front());
}

Book load_book_archive(const std::filesystem::path& file) {
  throw io_error(file.string() + ": archives are not supported by this build (use .json)");
}
void save_book_archive(const Book&, const std::filesystem::path& file) {
  throw io_error(file.string() + ": archives are not supported by this build (use .json)");
}

}  // namespace kontingent::python
