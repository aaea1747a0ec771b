#include "kontingent/writers/invoice.hpp"
