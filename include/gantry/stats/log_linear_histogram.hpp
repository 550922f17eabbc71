// A log-linear histogram of non-negative integers (latencies in microseconds), exact to merge.
//
// HdrHistogram's bucket scheme with 256 sub-buckets: values below 256 have a bucket each; above, each
// power-of-two range [2^e, 2^(e+1)) is cut into 128 equal buckets of width 2^(e-7). A bucket is at
// most 1/128 of its lowest value wide, and percentile() reports its middle (the highest rank reports max() itself), so a reported value is
// within 1/256 (0.4%) of the recorded one. min(), max(), count() and sum() are exact. add() adds
// counts bucket by bucket: histograms recorded apart (threads, CI shards) merge into exactly the
// histogram one recorder would have made. Counts are held densely between the lowest and highest
// bucket used, so a histogram of one second of similar latencies stays small. Percentiles are
// nearest-rank (the smallest value with at least p% of the samples at or below it), as in k6.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "gantry/base/error.hpp"

namespace gantry::stats {

class LogLinearHistogram {
public:
    static constexpr std::uint32_t kLinearBuckets = 256;  // values 0..255 exactly
    static constexpr std::uint32_t kSubBuckets = 128;     // per power of two above
    // Index of the bucket holding `value`, and the values a bucket holds.
    static std::uint32_t index_of(std::uint64_t value);
    static std::uint64_t lowest_value(std::uint32_t index);
    static std::uint64_t highest_value(std::uint32_t index);
    static std::uint32_t max_index();

    void record(std::uint64_t value, std::uint64_t count = 1);
    void add(const LogLinearHistogram& other);

    std::uint64_t count() const { return count_; }
    bool empty() const { return count_ == 0; }
    std::uint64_t min() const { return count_ ? min_ : 0; }
    std::uint64_t max() const { return count_ ? max_ : 0; }
    // Sum of the recorded values: an integer, so that it survives a file and a merge exactly.
    std::uint64_t sum() const { return sum_; }
    double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
    // The value at `percent` (0 < percent <= 100), nearest rank; 0 when empty.
    std::uint64_t percentile(double percent) const;
    // How many samples were recorded in buckets whose reported value is above `value` (percentile()
    // reports values that are above `value` exactly for these samples).
    std::uint64_t count_reported_above(std::uint64_t value) const;

    // The non-empty buckets as (index, count), ascending: the form files hold.
    std::vector<std::pair<std::uint32_t, std::uint64_t>> buckets() const;
    // Rebuilds a histogram from buckets() and the exact min, max and sum. Throws gantry::ValueError
    // when an index is out of range, repeated or unordered, a count is 0, or min/max lie outside the
    // buckets.
    static LogLinearHistogram from_buckets(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& buckets,
                                           std::uint64_t min, std::uint64_t max, std::uint64_t sum);

    friend bool operator==(const LogLinearHistogram& a, const LogLinearHistogram& b) {
        return a.count_ == b.count_ && a.min() == b.min() && a.max() == b.max() && a.buckets() == b.buckets();
    }

private:
    // The value percentile() reports for a bucket: its middle, kept within [min, max].
    std::uint64_t reported_value(std::uint32_t index) const;
    void make_room(std::uint32_t index);

    std::uint32_t first_index_ = 0;       // index of counts_[0]
    std::vector<std::uint64_t> counts_;   // buckets first_index_ .. first_index_ + size - 1
    std::uint64_t count_ = 0;
    std::uint64_t min_ = 0;
    std::uint64_t max_ = 0;
    std::uint64_t sum_ = 0;
};

}  // namespace gantry::stats
