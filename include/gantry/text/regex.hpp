// Regular expressions over untrusted text: PCRE2, compiled once, matched within fixed limits.
//
// A Regex is a pattern compiled by PCRE2 in UTF-8 mode (no UCP: \d \w \s and \b are ASCII), read as
// ECMAScript reads it wherever PCRE2's default differs: \uXXXX and \u{X...} escapes (ALT_BSUX and
// EXTRA_ALT_BSUX), `$` only at the very end of the text (DOLLAR_ENDONLY), `[^]` any character and `[]`
// none (ALLOW_EMPTY_CLASS), a back-reference to a group that has not matched matches the empty string
// (MATCH_UNSET_BACKREF), and `.` stops at \r as well as \n (NEWLINE_ANYCRLF). Beyond that the syntax is
// PCRE2's (Perl's), a superset of what check files use; a lookbehind must have a
// bounded length. A pattern PCRE2 refuses throws RegexSyntaxError with PCRE2's message and the byte
// offset where it stopped.
//
// The text may be any bytes (MATCH_INVALID_UTF: an invalid UTF-8 sequence matches nothing, and matches
// around it are still found). Matching runs PCRE2's JIT where the platform gives executable memory, else
// its interpreter; neither recurses on the machine stack (the JIT's stack and the interpreter's
// backtracking frames live on the heap). Each search is bounded: at most Limits::steps backtracking steps
// and Limits::memory_bytes of that memory at each position tried, and Limits::time in all. A search that
// reaches a limit throws RegexMatchError saying which, so a pathological pattern or text ends with a
// message, never with a hang or a crash. A Regex is immutable once built: search() may run on several
// threads at once. The time limit depends on the machine, by nature; the others do not. A moved-from
// Regex may only be assigned to or destroyed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/base/error.hpp"

namespace gantry {

// A pattern PCRE2 could not compile. what() reads "<PCRE2's message> at offset <N>".
class RegexSyntaxError : public InputError {
public:
    RegexSyntaxError(const std::string& message, std::size_t offset);
    const std::string& pcre2_message() const { return pcre2_message_; }
    std::size_t offset() const { return offset_; }  // in bytes from the start of the pattern

private:
    std::string pcre2_message_;
    std::size_t offset_;
};

// A search that stopped before it could tell match from no match (a limit reached).
class RegexMatchError : public InputError {
public:
    using InputError::InputError;
};

enum class RegexCase { Sensitive, Insensitive };

class Regex {
public:
    struct Limits {
        // PCRE2's match limit: how many times its matcher may be entered (each backtrack counts).
        // 10 million is PCRE2's own default: a few milliseconds of JIT, under a second interpreted.
        std::uint32_t steps = 10'000'000;
        // The JIT stack, or the interpreter's heap frames. A group repeated over the text (`(a|b)*`)
        // takes 24 to 300 bytes per repetition, so 64 MiB holds it over about 2 MB (JIT) or 230 KB.
        std::size_t memory_bytes = std::size_t(64) << 20;
        // Wall time for one search, checked between start positions: the limits above bound the
        // work at each position, this bounds their sum (a pattern that is slow at every position of
        // megabytes of text). Far above what any sane pattern needs on the largest body kept.
        std::chrono::milliseconds time{5000};
    };

    // Throws RegexSyntaxError.
    explicit Regex(std::string_view pattern, RegexCase letter_case = RegexCase::Sensitive);
    Regex(std::string_view pattern, RegexCase letter_case, Limits limits);
    ~Regex();
    Regex(Regex&&) noexcept;
    Regex& operator=(Regex&&) noexcept;
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    const std::string& pattern() const;
    // Whether the JIT compiled the pattern (false: PCRE2's interpreter matches it).
    bool jit() const;

    // Whether the pattern matches anywhere in `text`. Throws RegexMatchError at a limit.
    bool search(std::string_view text) const;

    // The first match's groups: [0] the whole match, [n] group n (nullopt when it took no part).
    // nullopt when nothing matches. Throws RegexMatchError at a limit.
    using Groups = std::vector<std::optional<std::string_view>>;
    std::optional<Groups> first_match(std::string_view text) const;

private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
};

}  // namespace gantry
