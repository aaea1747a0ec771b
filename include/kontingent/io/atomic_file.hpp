#pragma once
// Replacing a file so that it is always either the old or the new version, whatever happens: the
// one place every book writer (JSON and archives) goes through.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace kontingent {

/// Replaces `file` with `bytes`: writes a temporary file in the same directory, fsyncs it, renames
/// it over `file`, then fsyncs the directory. If any step before the rename fails, the temporary
/// file is removed and `file` is left as it was; io_error says which step failed. A failure to
/// sync the directory comes after the rename: `file` then holds the new bytes, but the io_error
/// warns that a crash could still undo the change. The file keeps the mode of the one it replaces.
void write_file_atomically(const std::filesystem::path& file, std::string_view bytes);

namespace testing {

/// The steps of write_file_atomically, in order.
enum class SaveStep : std::uint8_t { create, write, sync, close, rename, sync_directory };

/// TEST ONLY — fault injection: makes every following write_file_atomically fail at `step` as if
/// the system call had failed (for `write`: after `bytes_written` bytes reached the temporary file,
/// as a full disk would); std::nullopt turns it off. Global and not thread-safe: for tests alone.
void inject_save_failure(std::optional<SaveStep> step, std::size_t bytes_written = 0);

}  // namespace testing
}  // namespace kontingent
