#pragma once
// The guard between native work that runs without the GIL (evaluate, save, frames, what-if, triage,
// drafts, imports) and changes made from Python, which would otherwise move an engagement's columns
// under the feet of the thread reading them (SIGSEGV from plain Python, issue 18).
//
// A hold names the memory it covers by address — a Book object, the array of its engagements, one
// Engagement — so that a Book's hold meets the hold of any engagement inside it, and holds on
// unrelated books never meet. Reads share; a change excludes every hold it meets. A caller waits for
// the holds it meets instead of failing: Python code that appends in one thread while another
// evaluates stays correct, and sees the evaluation of the book before or after the append.
//
// Plain C++ (no Python), so that tests/tsan can check it under ThreadSanitizer.
#include <algorithm>
#include <condition_variable>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "kontingent/book.hpp"

namespace kontingent::python {

/// Addresses [begin, end) that a hold covers.
struct Region {
  const void* begin;
  const void* end;
  bool overlaps(const Region& other) const noexcept { return begin < other.end && other.begin < end; }
};

/// The region of one object.
template <class T>
Region region_of(const T& object) {
  return {&object, &object + 1};
}

/// What native work on a book reads: the Book (clients, owner) and the array of its engagements.
inline std::vector<Region> regions_of(const Book& book) {
  return {region_of(book), {book.engagements.data(), book.engagements.data() + book.engagements.size()}};
}
/// One engagement: alone, or inside a book's array (where the book's holds meet it).
inline std::vector<Region> regions_of(const Engagement& engagement) { return {region_of(engagement)}; }

class NativeGuard {
 public:
  enum class Access { read, change };

 private:
  struct Claim {
    Access access;
    std::vector<Region> regions;
    std::thread::id thread;
  };

 public:
  /// Held until destroyed (or moved from).
  class Hold {
   public:
    Hold(Hold&& other) noexcept : guard_(std::exchange(other.guard_, nullptr)), claim_(other.claim_) {}
    Hold& operator=(Hold&&) = delete;
    Hold(const Hold&) = delete;
    ~Hold() {
      if (guard_) guard_->release(claim_);
    }

   private:
    friend class NativeGuard;
    Hold(NativeGuard* guard, std::list<Claim>::iterator claim) : guard_(guard), claim_(claim) {}
    NativeGuard* guard_;
    std::list<Claim>::iterator claim_;
  };

  /// Holds `regions` once no hold it meets is left. Throws std::logic_error instead of waiting for a
  /// hold of the calling thread itself, which would never end. A change that waits goes first: new
  /// reads it meets wait behind it, so threads that evaluate over and over cannot keep it out.
  Hold acquire(Access access, std::vector<Region> regions) {
    std::unique_lock lock(mutex_);
    Claim wanted{access, std::move(regions), std::this_thread::get_id()};
    std::optional<std::list<Claim>::iterator> queued;
    const auto leave_queue = [&] {
      if (queued) waiting_.erase(*queued), queued.reset();
    };
    for (Met met; (met = meets(wanted)) != Met::none; released_.wait(lock)) {
      if (met == Met::own) {
        leave_queue();
        released_.notify_all();
        throw std::logic_error("a change to a book was asked for while the same thread works on it natively");
      }
      if (access == Access::change && !queued) queued = waiting_.insert(waiting_.end(), wanted);
    }
    leave_queue();
    return Hold(this, claims_.insert(claims_.end(), std::move(wanted)));
  }

  /// The hold if no hold it meets exists now; never waits.
  std::optional<Hold> try_acquire(Access access, std::vector<Region> regions) {
    std::lock_guard lock(mutex_);
    Claim wanted{access, std::move(regions), std::this_thread::get_id()};
    if (meets(wanted) != Met::none) return std::nullopt;
    return Hold(this, claims_.insert(claims_.end(), std::move(wanted)));
  }

 private:
  enum class Met { none, other, own };

  static bool overlap(const Claim& a, const Claim& b) {
    for (const Region& x : a.regions)
      for (const Region& y : b.regions)
        if (x.overlaps(y)) return true;
    return false;
  }

  /// Whether `wanted` meets a hold, and whether one of those is the calling thread's own. A read
  /// also meets a change that waits for other threads' holds — unless its thread already holds
  /// something that change waits for (it could never be let in).
  Met meets(const Claim& wanted) const {
    Met met = Met::none;
    for (const Claim& held : claims_) {
      if (held.access == Access::read && wanted.access == Access::read) continue;
      if (overlap(held, wanted)) {
        if (held.thread == wanted.thread) return Met::own;
        met = Met::other;
      }
    }
    if (met != Met::none || wanted.access != Access::read) return met;
    for (const Claim& change : waiting_) {
      if (change.thread == wanted.thread || !overlap(change, wanted)) continue;
      const bool holds_what_it_waits_for = std::any_of(claims_.begin(), claims_.end(), [&](const Claim& held) {
        return held.thread == wanted.thread && overlap(held, change);
      });
      if (!holds_what_it_waits_for) return Met::other;
    }
    return met;
  }

  void release(std::list<Claim>::iterator claim) {
    {
      std::lock_guard lock(mutex_);
      claims_.erase(claim);
    }
    released_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable released_;
  std::list<Claim> claims_;   // the holds of this moment: a handful at most
  std::list<Claim> waiting_;  // changes waiting for them
};

}  // namespace kontingent::python
