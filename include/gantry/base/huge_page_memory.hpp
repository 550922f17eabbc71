// Memory for large buffers that are filled once and read on: at least 2 MiB is taken 2 MiB-aligned and
// advised for transparent huge pages before the first write, less comes from malloc. On a
// paravirtualised VM a page fault is expensive, and a 100 MB report read into 4 KiB pages takes
// 25,000 of them. The advice is only advice: where huge pages are off it changes nothing.
#pragma once

#include <cstddef>

namespace gantry {

constexpr std::size_t kHugePageSize = std::size_t{2} << 20;

// Room for `capacity` bytes (rounded up to whole huge pages from kHugePageSize on), released with
// std::free; null when memory runs out.
char* allocate_huge_page_memory(std::size_t capacity);

}  // namespace gantry
