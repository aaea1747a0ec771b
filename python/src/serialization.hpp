#pragma once
// Pickle for every value type, from ONE helper (boost-histogram style): the pickled state is the
// type's own Boost.Serialization archive (kontingent::to_bytes), so objects cross process
// boundaries (multiprocessing, Dask) in the library's checked format: header, checksum, bounded
// counts, and validate() for books and engagements on the way back in. The values without an archive
// of their own — the parties (Address, Vat, Owner: parts of a Client, Terms or Book) and invoice
// drafts — pickle as tuples of plain values, checked as they are read (serialization.cpp).
#include "common.hpp"

namespace kontingent::python {

/// The pickled state of a value: (archive bytes,) — an Entry adds its request id.
template <class T>
py::tuple state_of(const T& value);
/// The value back from state_of; throws kontingent.ArchiveError on damaged state.
template <class T>
T from_state(const py::tuple& state);

struct NoCheck {
  template <class T>
  void operator()(T&) const {}
};

/// Adds pickling (py::pickle) to `cls`; `check` runs on an unpickled value before Python sees it.
template <class T, class... Options, class Check = NoCheck>
void add_pickle(py::class_<T, Options...>& cls, Check check = {}) {
  cls.def(py::pickle([](const T& value) { return state_of(value); },
                     [check](const py::tuple& state) {
                       T value = from_state<T>(state);
                       check(value);
                       return value;
                     }));
}

}  // namespace kontingent::python
