// The module's one NativeGuard, and the holds the registrations take (common.hpp).
#include "native_guard.hpp"

#include "common.hpp"

namespace kontingent::python {
namespace {

NativeGuard& guard() {
  static NativeGuard the_guard;
  return the_guard;
}

NativeGuard::Hold hold(NativeGuard::Access access, std::vector<Region> regions) {
  if (std::optional<NativeGuard::Hold> now = guard().try_acquire(access, regions)) return std::move(*now);
  // Another thread works on the book without the GIL, or waits to change it: wait without the GIL,
  // so that it can finish (and take the GIL back) meanwhile.
  py::gil_scoped_release unlocked;
  return guard().acquire(access, std::move(regions));
}

}  // namespace

NativeGuard::Hold reading(const Book& book) { return hold(NativeGuard::Access::read, regions_of(book)); }
NativeGuard::Hold reading(const Engagement& engagement) { return hold(NativeGuard::Access::read, regions_of(engagement)); }
NativeGuard::Hold changing(const Book& book) { return hold(NativeGuard::Access::change, regions_of(book)); }
NativeGuard::Hold changing(const Engagement& engagement) {
  return hold(NativeGuard::Access::change, regions_of(engagement));
}

}  // namespace kontingent::python
