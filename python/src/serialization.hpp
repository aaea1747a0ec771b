#pragma once
// Pickle for every value type, from ONE helper (boost-histogram style): the state is the bytes of
// the type's Boost.Serialization archive, so a pickle is the library's own format, checked (size,
// checksum, validate) when it is loaded; and book files in archive formats by extension.
#include <filesystem>

#include "common.hpp"

namespace kontingent::python {

/// The archive bytes of a value and back (kontingent::to_bytes / from_bytes where they exist).
template <class T>
std::string state_of(const T& value);
template <class T>
T from_state(std::string_view bytes);

// Defined in serialization.cpp for each type that has a pickle.
template <> std::string state_of<Book>(const Book&);
template <> Book from_state<Book>(std::string_view);
template <> std::string state_of<Engagement>(const Engagement&);
template <> Engagement from_state<Engagement>(std::string_view);

struct NoCheck {
  template <class T>
  void operator()(T&) const {}
};

/// Adds __getstate__/__setstate__ (py::pickle) to `cls`; `check` runs on an unpickled value before
/// Python sees it (validate for books and engagements).
template <class T, class... Options, class Check = NoCheck>
void add_pickle(py::class_<T, Options...>& cls, Check check = {}) {
  cls.def(py::pickle([](const T& value) { return py::make_tuple(py::bytes(state_of(value))); },
                     [check](const py::tuple& state) {
                       if (state.size() != 1) throw py::value_error("not a kontingent pickle state");
                       T value = from_state<T>(state[0].cast<std::string_view>());
                       check(value);
                       return value;
                     }));
}

/// Books in the archive formats (.kbin, .kxml, .ktxt).
Book load_book_archive(const std::filesystem::path& file);
void save_book_archive(const Book& book, const std::filesystem::path& file);

}  // namespace kontingent::python
