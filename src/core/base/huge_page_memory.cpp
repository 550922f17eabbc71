#include "gantry/base/huge_page_memory.hpp"

#include <sys/mman.h>

#include <cstdlib>

namespace gantry {

char* allocate_huge_page_memory(std::size_t capacity) {
    if (capacity < kHugePageSize) return static_cast<char*>(std::malloc(capacity));
    const std::size_t rounded = (capacity + kHugePageSize - 1) / kHugePageSize * kHugePageSize;
    void* memory = nullptr;
    if (posix_memalign(&memory, kHugePageSize, rounded) != 0) return nullptr;
    // Before the first write, so that the kernel backs it with huge pages from the first fault on.
    (void)madvise(memory, rounded, MADV_HUGEPAGE);
    return static_cast<char*>(memory);
}

}  // namespace gantry
