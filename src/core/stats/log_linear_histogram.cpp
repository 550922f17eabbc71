#include "gantry/stats/log_linear_histogram.hpp"

#include "gantry/base/error.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

namespace gantry::stats {

std::uint32_t LogLinearHistogram::index_of(std::uint64_t value) {
    if (value < kLinearBuckets) return static_cast<std::uint32_t>(value);
    const int exponent = std::bit_width(value) - 1;  // >= 8
    const int shift = exponent - 7;
    const auto sub = static_cast<std::uint32_t>(value >> shift);  // 128..255
    return kLinearBuckets + static_cast<std::uint32_t>(exponent - 8) * kSubBuckets + (sub - kSubBuckets);
}

std::uint64_t LogLinearHistogram::lowest_value(std::uint32_t index) {
    if (index < kLinearBuckets) return index;
    const std::uint32_t above = index - kLinearBuckets;
    const int exponent = 8 + static_cast<int>(above / kSubBuckets);
    const std::uint64_t sub = kSubBuckets + above % kSubBuckets;
    return sub << (exponent - 7);
}

std::uint64_t LogLinearHistogram::highest_value(std::uint32_t index) {
    if (index < kLinearBuckets) return index;
    const int exponent = 8 + static_cast<int>((index - kLinearBuckets) / kSubBuckets);
    return lowest_value(index) + ((std::uint64_t{1} << (exponent - 7)) - 1);
}

std::uint32_t LogLinearHistogram::max_index() { return index_of(~std::uint64_t{0}); }

void LogLinearHistogram::make_room(std::uint32_t index) {
    if (counts_.empty()) {
        first_index_ = index;
        counts_.assign(1, 0);
        return;
    }
    if (index < first_index_) {
        counts_.insert(counts_.begin(), first_index_ - index, 0);
        first_index_ = index;
    } else if (index >= first_index_ + counts_.size()) {
        counts_.resize(index - first_index_ + 1, 0);
    }
}

void LogLinearHistogram::record(std::uint64_t value, std::uint64_t count) {
    if (count == 0) return;
    const std::uint32_t index = index_of(value);
    make_room(index);
    counts_[index - first_index_] += count;
    min_ = count_ ? std::min(min_, value) : value;
    max_ = count_ ? std::max(max_, value) : value;
    count_ += count;
    sum_ += value * count;
}

void LogLinearHistogram::add(const LogLinearHistogram& other) {
    if (other.count_ == 0) return;
    make_room(other.first_index_);
    make_room(other.first_index_ + static_cast<std::uint32_t>(other.counts_.size()) - 1);
    for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[other.first_index_ + i - first_index_] += other.counts_[i];
    min_ = count_ ? std::min(min_, other.min_) : other.min_;
    max_ = count_ ? std::max(max_, other.max_) : other.max_;
    count_ += other.count_;
    sum_ += other.sum_;
}

std::uint64_t LogLinearHistogram::reported_value(std::uint32_t index) const {
    const std::uint64_t low = lowest_value(index);
    const std::uint64_t middle = low + (highest_value(index) - low) / 2;
    return std::clamp(middle, min_, max_);
}

std::uint64_t LogLinearHistogram::percentile(double percent) const {
    if (count_ == 0) return 0;
    const double fraction = std::clamp(percent, 0.0, 100.0) / 100.0;
    auto rank = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_)));
    rank = std::clamp<std::uint64_t>(rank, 1, count_);
    if (rank == count_) return max_;  // the highest sample is known exactly
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        seen += counts_[i];
        if (seen >= rank) return reported_value(first_index_ + static_cast<std::uint32_t>(i));
    }
    return max_;
}

std::uint64_t LogLinearHistogram::count_reported_above(std::uint64_t value) const {
    std::uint64_t above = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        if (counts_[i] && reported_value(first_index_ + static_cast<std::uint32_t>(i)) > value) above += counts_[i];
    }
    return above;
}

std::vector<std::pair<std::uint32_t, std::uint64_t>> LogLinearHistogram::buckets() const {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        if (counts_[i]) out.emplace_back(first_index_ + static_cast<std::uint32_t>(i), counts_[i]);
    }
    return out;
}

LogLinearHistogram LogLinearHistogram::from_buckets(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& buckets,
                                                    std::uint64_t min, std::uint64_t max, std::uint64_t sum) {
    LogLinearHistogram histogram;
    if (buckets.empty()) return histogram;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        const auto [index, count] = buckets[i];
        if (index > max_index()) throw gantry::ValueError("bucket index " + std::to_string(index) + " is out of range");
        if (count == 0) throw gantry::ValueError("bucket " + std::to_string(index) + " has a count of 0");
        if (i > 0 && index <= buckets[i - 1].first) throw gantry::ValueError("bucket indexes must ascend");
        if (total + count < total) throw gantry::ValueError("bucket counts overflow");
        total += count;
    }
    if (index_of(min) != buckets.front().first || index_of(max) != buckets.back().first || min > max) {
        throw gantry::ValueError("min and max must lie in the lowest and highest bucket");
    }
    histogram.first_index_ = buckets.front().first;
    histogram.counts_.assign(buckets.back().first - buckets.front().first + 1, 0);
    for (const auto& [index, count] : buckets) histogram.counts_[index - histogram.first_index_] = count;
    histogram.count_ = total;
    histogram.min_ = min;
    histogram.max_ = max;
    histogram.sum_ = sum;
    return histogram;
}

}  // namespace gantry::stats
