// The components of a CycloneDX document, kept to resolve the bom-refs its vulnerabilities name.
//
// A BOM may list 100,000s of components while its vulnerabilities name a few thousand, and which ones
// is known only once the whole document is read (vulnerabilities may come before or after the
// components). So each component is kept as small as it can be: its bom-ref, name, version and purl
// packed back to back behind a 17-byte header in large shared blocks - no allocation and no string
// object per component - and a purl equal to the bom-ref (as Trivy writes them) kept once. After a
// first small block, blocks are 2 MiB from allocate_huge_page_memory, as PaddedFile's buffers are:
// 150,000 components would fill some 4,000 small pages, each an expensive fault on a VM. Records are
// read back in the order they were added (the first added under a bom-ref is the one that counts).
// Texts are views into the blocks: valid as long as the registry.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
#include <new>
#include <string_view>
#include <utility>
#include <vector>

#include "gantry/base/huge_page_memory.hpp"

namespace gantry::cyclonedx {

class ComponentRegistry {
public:
    struct Texts {
        std::string_view ref;
        std::string_view name;
        std::string_view version;
        std::string_view purl;
    };

    // Whether texts of these sizes fit a record (each under 4 GiB, as they are in any JSON text
    // simdjson reads; a caller still checks, as a name may join several).
    static bool fits(std::size_t ref, std::size_t name, std::size_t version, std::size_t purl) {
        constexpr std::size_t kMost = std::numeric_limits<std::uint32_t>::max();
        return ref <= kMost && name <= kMost && version <= kMost && purl <= kMost;
    }

    // Adds a component whose name is the pieces of `name` joined (a group, its separator and a name).
    // Sizes must fit (fits()).
    void add(std::string_view ref, std::initializer_list<std::string_view> name, std::string_view version,
             std::string_view purl) {
        std::size_t name_size = 0;
        for (const std::string_view piece : name) {
            name_size += piece.size();
        }
        Header header{};
        header.purl_is_ref = purl == ref ? 1 : 0;
        header.ref = static_cast<std::uint32_t>(ref.size());
        header.name = static_cast<std::uint32_t>(name_size);
        header.version = static_cast<std::uint32_t>(version.size());
        header.purl = header.purl_is_ref != 0 ? 0 : static_cast<std::uint32_t>(purl.size());
        char* out = room(kHeaderSize + header.texts());
        std::memcpy(out, &header.ref, 4);
        std::memcpy(out + 4, &header.name, 4);
        std::memcpy(out + 8, &header.version, 4);
        std::memcpy(out + 12, &header.purl, 4);
        out[16] = static_cast<char>(header.purl_is_ref);
        out += kHeaderSize;
        out = append(out, ref);
        for (const std::string_view piece : name) {
            out = append(out, piece);
        }
        out = append(out, version);
        if (header.purl_is_ref == 0) {
            append(out, purl);
        }
        ++size_;
    }

    std::size_t size() const { return size_; }

    // on_component(const Texts&) for every component, in the order added.
    template <class OnComponent>
    void for_each(OnComponent&& on_component) const {
        for (const Block& block : blocks_) {
            const char* at = block.bytes.get();
            const char* const end = at + block.used;
            while (at < end) {
                Header header{};
                std::memcpy(&header.ref, at, 4);
                std::memcpy(&header.name, at + 4, 4);
                std::memcpy(&header.version, at + 8, 4);
                std::memcpy(&header.purl, at + 12, 4);
                header.purl_is_ref = static_cast<unsigned char>(at[16]);
                const char* text = at + kHeaderSize;
                Texts texts;
                texts.ref = std::string_view(text, header.ref);
                texts.name = std::string_view(text + header.ref, header.name);
                texts.version = std::string_view(text + header.ref + header.name, header.version);
                texts.purl = header.purl_is_ref != 0
                                 ? texts.ref
                                 : std::string_view(text + header.ref + header.name + header.version, header.purl);
                on_component(static_cast<const Texts&>(texts));
                at = text + header.texts();
            }
        }
    }

private:
    static constexpr std::size_t kHeaderSize = 17;
    // A short BOM's components fit the first block; a long one's fill huge pages.
    static constexpr std::size_t kFirstBlockSize = std::size_t{64} << 10;

    struct Header {
        std::uint32_t ref;
        std::uint32_t name;
        std::uint32_t version;
        std::uint32_t purl;  // 0 when the purl is the bom-ref
        unsigned char purl_is_ref;
        std::size_t texts() const {
            return std::size_t{ref} + std::size_t{name} + std::size_t{version} + std::size_t{purl};
        }
    };

    struct Free {
        void operator()(char* bytes) const { std::free(bytes); }
    };

    struct Block {
        std::unique_ptr<char, Free> bytes;
        std::size_t capacity = 0;
        std::size_t used = 0;
    };

    // `size` bytes at the end of the last block, or of a new one.
    char* room(std::size_t size) {
        if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < size) {
            blocks_.push_back(new_block(size));
        }
        Block& block = blocks_.back();
        char* at = block.bytes.get() + block.used;
        block.used += size;
        return at;
    }

    // A block with room for at least `size` bytes; std::bad_alloc when memory runs out.
    Block new_block(std::size_t size) const {
        Block block;
        block.capacity = blocks_.empty() && size <= kFirstBlockSize ? kFirstBlockSize : std::max(size, kHugePageSize);
        block.bytes.reset(allocate_huge_page_memory(block.capacity));
        if (!block.bytes) {
            throw std::bad_alloc();
        }
        return block;
    }

    static char* append(char* out, std::string_view text) {
        if (!text.empty()) {
            std::memcpy(out, text.data(), text.size());
        }
        return out + text.size();
    }

    std::vector<Block> blocks_;
    std::size_t size_ = 0;
};

}  // namespace gantry::cyclonedx
