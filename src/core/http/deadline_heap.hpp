// The earliest of many deadlines, each owned by a numbered slot (a request in flight), in a binary
// heap that knows where each slot sits: setting, moving or dropping a slot's deadline costs
// O(log n), and the heap holds only slots that have one, so a request answered early leaves nothing
// behind. Slots are small dense integers (indices into the owner's table); not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace gantry::http {

class DeadlineHeap {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // Gives `slot` the deadline `at`, replacing the one it had.
    void set(std::uint32_t slot, TimePoint at) {
        if (slot >= position_.size()) position_.resize(slot + 1, kAbsent);
        std::size_t at_index = position_[slot];
        if (at_index == kAbsent) {
            at_index = heap_.size();
            heap_.push_back({at, slot});
            position_[slot] = at_index;
        } else {
            heap_[at_index].first = at;
        }
        down(up(at_index));
    }

    void erase(std::uint32_t slot) {
        if (slot >= position_.size() || position_[slot] == kAbsent) return;
        const std::size_t index = position_[slot];
        position_[slot] = kAbsent;
        const std::size_t last = heap_.size() - 1;
        if (index != last) {
            heap_[index] = heap_[last];
            position_[heap_[index].second] = index;
        }
        heap_.pop_back();
        if (index < heap_.size()) down(up(index));
    }

    // The slot due first and its deadline.
    std::optional<std::pair<std::uint32_t, TimePoint>> earliest() const {
        if (heap_.empty()) return std::nullopt;
        return std::make_pair(heap_.front().second, heap_.front().first);
    }

    std::size_t size() const { return heap_.size(); }

private:
    static constexpr std::size_t kAbsent = std::numeric_limits<std::size_t>::max();

    void swap_at(std::size_t a, std::size_t b) {
        std::swap(heap_[a], heap_[b]);
        position_[heap_[a].second] = a;
        position_[heap_[b].second] = b;
    }
    std::size_t up(std::size_t index) {
        while (index > 0) {
            const std::size_t parent = (index - 1) / 2;
            if (!(heap_[index].first < heap_[parent].first)) break;
            swap_at(index, parent);
            index = parent;
        }
        return index;
    }
    void down(std::size_t index) {
        while (true) {
            const std::size_t left = 2 * index + 1;
            if (left >= heap_.size()) return;
            std::size_t child = left;
            if (left + 1 < heap_.size() && heap_[left + 1].first < heap_[left].first) child = left + 1;
            if (!(heap_[child].first < heap_[index].first)) return;
            swap_at(index, child);
            index = child;
        }
    }

    std::vector<std::pair<TimePoint, std::uint32_t>> heap_;
    std::vector<std::size_t> position_;  // per slot: its index in heap_, or kAbsent
};

}  // namespace gantry::http
