// kontingent's errors as Python exceptions. The classes are written in Python (below) so that they
// carry `path` and `rule` as attributes, pickle with them, and subclass the builtin that fits:
//   kontingent::validation_error → kontingent.ValidationError(Error, ValueError)  .path .rule
//   kontingent::currency_mismatch → kontingent.CurrencyMismatch(Error, ValueError)
//   kontingent::archive_error    → kontingent.ArchiveError(Error, ValueError)    .where .rule
//   kontingent::io_error         → kontingent.FileError(Error, OSError)
//   kontingent::draft_error      → kontingent.DraftError(Error, ValueError)
//   kontingent::money_overflow   → kontingent.MoneyOverflow(Error, OverflowError)
//   kontingent::error (any other) → kontingent.Error(Exception)
#include <pybind11/eval.h>

#include "common.hpp"

namespace kontingent::python {
namespace {

constexpr const char* exception_classes = R"(
class Error(Exception):
    """Base of every error kontingent raises."""
    __module__ = "kontingent"


class ValidationError(Error, ValueError):
    """A book, or a value in it, breaks a rule of the book format (docs/formats.md).

    ``path`` says where (``engagements[0].entries[14]``; empty for a lone value) and ``rule`` what
    broke; ``str(error)`` is ``"path: rule"``.
    """
    __module__ = "kontingent"

    def __init__(self, message, path="", rule=""):
        super().__init__(message)
        self.path = path
        self.rule = rule or message

    def __reduce__(self):
        return (type(self), (self.args[0], self.path, self.rule))


class CurrencyMismatch(Error, ValueError):
    """Money of two currencies met in one sum."""
    __module__ = "kontingent"


class ArchiveError(Error, ValueError):
    """An archive or pickle kontingent cannot load: not one, damaged, truncated, newer, or invalid.

    ``where`` is the file and the place inside it, ``rule`` what is wrong.
    """
    __module__ = "kontingent"

    def __init__(self, message, where="", rule=""):
        super().__init__(message)
        self.where = where
        self.rule = rule or message

    def __reduce__(self):
        return (type(self), (self.args[0], self.where, self.rule))


class FileError(Error, OSError):
    """A file could not be read or written (missing, unreadable, not a book)."""
    __module__ = "kontingent"


class DraftError(Error, ValueError):
    """An invoice cannot be drafted or recorded as asked (docs/invoicing.md): the book has no owner, the
    engagement no VAT, the number is taken, the draft is empty, … The message says what to change."""
    __module__ = "kontingent"


class MoneyOverflow(Error, OverflowError):
    """A computed amount exceeds the largest a book holds (999999999999999.99); the message names
    the engagement."""
    __module__ = "kontingent"
)";

// Owned by the module (attributes of _core); the translator only borrows them.
py::handle error_class, validation_class, mismatch_class, archive_class, file_class, draft_class, overflow_class;

void raise(py::handle cls, py::object instance) { PyErr_SetObject(cls.ptr(), instance.ptr()); }

/// A message as Python text. Messages quote what they found, and a damaged file can hold bytes that
/// are not UTF-8 (a SQLite error naming a garbled table): those show as `\xef` instead of the
/// error turning into a UnicodeDecodeError that names nothing.
py::str text(const std::string& message) {
  PyObject* decoded = PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()), "backslashreplace");
  if (!decoded) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(decoded);
}

}  // namespace

void register_errors(py::module_& m) {
  py::dict scope;
  scope["__builtins__"] = py::module_::import("builtins");
  scope["__name__"] = "kontingent";
  py::exec(exception_classes, scope);
  for (const char* name : {"Error", "ValidationError", "CurrencyMismatch", "ArchiveError", "FileError", "DraftError", "MoneyOverflow"})
    m.attr(name) = scope[name];
  error_class = m.attr("Error");
  validation_class = m.attr("ValidationError");
  mismatch_class = m.attr("CurrencyMismatch");
  archive_class = m.attr("ArchiveError");
  file_class = m.attr("FileError");
  draft_class = m.attr("DraftError");
  overflow_class = m.attr("MoneyOverflow");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const validation_error& e) {
      raise(validation_class, validation_class(text(e.what()), text(e.path()), text(e.rule())));
    } catch (const currency_mismatch& e) {
      raise(mismatch_class, mismatch_class(text(e.what())));
    } catch (const archive_error& e) {
      raise(archive_class, archive_class(text(e.what()), text(e.where()), text(e.rule())));
    } catch (const io_error& e) {
      raise(file_class, file_class(text(e.what())));
    } catch (const draft_error& e) {
      raise(draft_class, draft_class(text(e.what())));
    } catch (const money_overflow& e) {
      raise(overflow_class, overflow_class(text(e.what())));
    } catch (const error& e) {
      raise(error_class, error_class(text(e.what())));
    } catch (const py::cast_error& e) {
      // A value of the wrong type met a .cast<T>() of the binding's: a TypeError, as Python says it.
      PyErr_SetString(PyExc_TypeError, e.what());
    }
  });
}

}  // namespace kontingent::python
