#pragma once
// The book formats the registry (registry.cpp) lists, one function per file of src/store/.
#include "kontingent/formats/archive.hpp"
#include "kontingent/store.hpp"

namespace kontingent::detail {

BookFormat json_book_format();                            // json.cpp
BookFormat archive_book_format(ArchiveFormat format);     // archive.cpp
BookFormat kdb_book_format();                             // kdb.cpp

}  // namespace kontingent::detail
