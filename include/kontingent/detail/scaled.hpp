#pragma once
#include <cmath>
#include <cstdint>

namespace kontingent::detail {

/// Hours as whole seconds (`scale` 3600), percentages as millionths (1e6): the nearest. Every place
/// that takes such a decimal (the book readers, the command's --hours and --vat, what-if, a Python
/// float) rounds it here, and the book writer checks what it writes against it, so that a value
/// means the same wherever it is given and reads back to itself.
inline std::int64_t scaled_units(double value, double scale) noexcept { return std::llround(value * scale); }

}  // namespace kontingent::detail
