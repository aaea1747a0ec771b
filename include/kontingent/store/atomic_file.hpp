#pragma once
// Replacing a file so that it is always either the old or the new version, whatever happens: the
// one place every book writer (JSON and archives) goes through.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kontingent {

/// What a save does with a file its owner made read-only (no write permission for anyone).
enum class ReadOnly : bool { refuse, replace };

/// Replaces `file` with `bytes`: writes a temporary file in the same directory, fsyncs it, renames
/// it over `file`, then fsyncs the directory. If any step before the rename fails, the temporary
/// file is removed and `file` is left as it was; io_error says which step failed. A failure to
/// sync the directory comes after the rename: `file` then holds the new bytes, but the io_error
/// warns that a crash could still undo the change. A read-only `file` is refused (io_error) unless
/// `read_only` is ReadOnly::replace. The new file keeps the mode, owner and group of the one it
/// replaces; what could not be kept (another user's file saved by a user who may not give files
/// away) is returned as a notice for the user, empty when everything was kept. A symlinked `file`
/// is written through: the file it links to is replaced, and the link stays.
[[nodiscard("tell the user what the save could not keep")]] std::string write_file_atomically(
    const std::filesystem::path& file, std::string_view bytes, ReadOnly read_only = ReadOnly::refuse);

/// Throws io_error when `file` exists and nobody may write it (its owner protected it); every store
/// asks this before it changes a book.
void refuse_read_only(const std::filesystem::path& file);

/// Throws io_error ("cannot save: the directory … does not exist") when the directory `file` would
/// be made in is missing; every store asks this when creating a file failed, so the user reads the
/// reason rather than the system call's.
void refuse_missing_directory(const std::filesystem::path& file);

/// The directory `file` is in: its parent, or "." for a bare name.
std::filesystem::path directory_of(const std::filesystem::path& file);

/// The file a path names once symbolic links are followed (links to links too); `file` itself when
/// it is no link. A book's writers' lock and timer live beside this file, so every link to one book
/// shares them.
std::filesystem::path following_links(const std::filesystem::path& file);

namespace testing {

/// The steps of write_file_atomically, in order.
enum class SaveStep : std::uint8_t { create, write, sync, close, rename, sync_directory };

/// TEST ONLY — fault injection: makes every following write_file_atomically fail at `step` as if
/// the system call had failed (for `write`: after `bytes_written` bytes reached the temporary file,
/// as a full disk would); std::nullopt turns it off. Global and not thread-safe: for tests alone.
void inject_save_failure(std::optional<SaveStep> step, std::size_t bytes_written = 0);

/// TEST ONLY — short writes: every write(2) of write_file_atomically passes at most
/// `bytes_per_call` bytes (0: no limit), as a signal or a slow device can cut a write short. With
/// inject_save_failure(SaveStep::write, n) the disk then fills at the write call that would go past
/// byte n. Global and not thread-safe, like inject_save_failure.
void inject_short_writes(std::size_t bytes_per_call);

/// TEST ONLY — how many write(2) calls write_file_atomically has made in this process.
std::size_t write_calls();

}  // namespace testing
}  // namespace kontingent
