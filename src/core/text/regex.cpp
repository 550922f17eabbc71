#define PCRE2_CODE_UNIT_WIDTH 8
#include "gantry/text/regex.hpp"

#include <pcre2.h>

#include <chrono>

#include <fmt/format.h>

namespace gantry {

namespace {

struct CodeFree {
    void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct CompileContextFree {
    void operator()(pcre2_compile_context* context) const { pcre2_compile_context_free(context); }
};
struct MatchContextFree {
    void operator()(pcre2_match_context* context) const { pcre2_match_context_free(context); }
};
struct MatchDataFree {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};
struct JitStackFree {
    void operator()(pcre2_jit_stack* stack) const { pcre2_jit_stack_free(stack); }
};
using MatchContextPtr = std::unique_ptr<pcre2_match_context, MatchContextFree>;
using MatchDataPtr = std::unique_ptr<pcre2_match_data, MatchDataFree>;

std::string pcre2_error_text(int code) {
    PCRE2_UCHAR buffer[256];
    const int length = pcre2_get_error_message(code, buffer, sizeof buffer);
    if (length < 0) return fmt::format("PCRE2 error {}", code);
    return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

// The options that make PCRE2 read a pattern as ECMAScript does where their defaults differ.
constexpr std::uint32_t kCompileOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY |
                                          PCRE2_ALLOW_EMPTY_CLASS | PCRE2_MATCH_UNSET_BACKREF;

// The time budget is checked from a callout the compiler puts before the pattern, which PCRE2 calls
// at each position where a match is attempted: the match limit bounds the work at one position but
// not the sum over a long text (`(\w|-)+\s` on megabytes of letters is quadratic), nor does it bound
// the interpreter's plain scans (`[a-z]+[0-9]`). The clock is read every kClockStride positions.
constexpr std::uint32_t kBudgetCallout = 255;
constexpr unsigned kClockStride = 16;

struct SearchBudget {
    std::chrono::steady_clock::time_point deadline;
    unsigned positions = 0;
    bool exhausted = false;
};

int check_budget(pcre2_callout_block* callout, void* data) {
    if (callout->callout_number != kBudgetCallout) return 0;
    auto& budget = *static_cast<SearchBudget*>(data);
    if (budget.positions++ % kClockStride == 0 && std::chrono::steady_clock::now() >= budget.deadline) {
        budget.exhausted = true;
        return PCRE2_ERROR_CALLOUT;
    }
    return 0;
}

// The pattern as compiled: the budget callout goes after the leading (*VERB) settings, which PCRE2
// reads only at the very start. Returns where it went.
std::size_t insert_budget_callout(std::string_view pattern, std::string& compiled) {
    std::size_t at = 0;
    while (pattern.substr(at, 2) == "(*") {
        const std::size_t close = pattern.find(')', at);
        if (close == std::string_view::npos) break;
        at = close + 1;
    }
    compiled = std::string(pattern.substr(0, at)) + "(?C" + std::to_string(kBudgetCallout) + ")" + std::string(pattern.substr(at));
    return at;
}

// The JIT's first try runs on PCRE2's 32 KiB block of the machine stack (no allocation); only a
// match that needs more is run again on a heap stack of the full memory limit.
constexpr std::size_t kJitHeapStackStart = 32 * 1024;

}  // namespace

RegexSyntaxError::RegexSyntaxError(const std::string& message, std::size_t offset)
    : InputError(fmt::format("{} at offset {}", message, offset)), pcre2_message_(message), offset_(offset) {}

struct Regex::Compiled {
    std::string pattern;
    Limits limits;
    std::unique_ptr<pcre2_code, CodeFree> code;
    // Limits only, never changed after construction: PCRE2 lets threads share a context it only reads.
    MatchContextPtr match_context;
    bool jit = false;

    MatchDataPtr match_data() const {
        MatchDataPtr data(pcre2_match_data_create_from_pattern(code.get(), nullptr));
        if (!data) throw std::bad_alloc();
        return data;
    }

    // pcre2_match's result: > 0 a match, PCRE2_ERROR_NOMATCH none; every other outcome is thrown.
    int run(std::string_view text, pcre2_match_data* data) const {
        // PCRE2 10.42 refuses a null subject even when it is empty.
        const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data() ? text.data() : "");
        // The context carries this search's budget, so each search has its own copy.
        MatchContextPtr context(pcre2_match_context_copy(match_context.get()));
        if (!context) throw std::bad_alloc();
        SearchBudget budget{.deadline = std::chrono::steady_clock::now() + limits.time};
        pcre2_set_callout(context.get(), check_budget, &budget);
        int result = pcre2_match(code.get(), subject, text.size(), 0, 0, data, context.get());
        if (result == PCRE2_ERROR_JIT_STACKLIMIT) {
            std::unique_ptr<pcre2_jit_stack, JitStackFree> stack(
                pcre2_jit_stack_create(kJitHeapStackStart, limits.memory_bytes, nullptr));
            if (!stack) throw std::bad_alloc();
            pcre2_jit_stack_assign(context.get(), nullptr, stack.get());
            result = pcre2_match(code.get(), subject, text.size(), 0, 0, data, context.get());
        }
        if (result >= 0 || result == PCRE2_ERROR_NOMATCH) return result;
        if (result == PCRE2_ERROR_CALLOUT && budget.exhausted) {
            throw RegexMatchError(fmt::format("matching gave up after {} ms: the pattern takes too long on this much text",
                                              limits.time.count()));
        }
        switch (result) {
            case PCRE2_ERROR_MATCHLIMIT:
                throw RegexMatchError(fmt::format("matching gave up after {} backtracking steps ({}): the pattern "
                                                  "backtracks too much on this text",
                                                  limits.steps, pcre2_error_text(result)));
            case PCRE2_ERROR_HEAPLIMIT:
            case PCRE2_ERROR_JIT_STACKLIMIT:
            case PCRE2_ERROR_DEPTHLIMIT:
                throw RegexMatchError(fmt::format("matching gave up at its {} MiB memory limit ({}): the pattern "
                                                  "repeats a group over too much of the text",
                                                  limits.memory_bytes >> 20, pcre2_error_text(result)));
            case PCRE2_ERROR_NOMEMORY: throw std::bad_alloc();
            default: throw RegexMatchError("matching failed: " + pcre2_error_text(result));
        }
    }
};

Regex::Regex(std::string_view pattern, RegexCase letter_case) : Regex(pattern, letter_case, Limits{}) {}

Regex::Regex(std::string_view pattern, RegexCase letter_case, Limits limits) : compiled_(std::make_unique<Compiled>()) {
    compiled_->pattern = std::string(pattern);
    compiled_->limits = limits;
    std::unique_ptr<pcre2_compile_context, CompileContextFree> context(pcre2_compile_context_create(nullptr));
    if (!context) throw std::bad_alloc();
    pcre2_set_newline(context.get(), PCRE2_NEWLINE_ANYCRLF);
    pcre2_set_compile_extra_options(context.get(), PCRE2_EXTRA_ALT_BSUX);
    const std::uint32_t options = kCompileOptions | (letter_case == RegexCase::Insensitive ? PCRE2_CASELESS : 0);
    std::string budgeted;
    const std::size_t callout_at = insert_budget_callout(pattern, budgeted);
    const std::size_t callout_length = budgeted.size() - pattern.size();
    int error = 0;
    PCRE2_SIZE offset = 0;
    compiled_->code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(budgeted.data()), budgeted.size(), options, &error,
                                        &offset, context.get()));
    if (!compiled_->code) {
        // The offset in the user's pattern, not in the one with the callout.
        if (offset >= callout_at + callout_length) offset -= callout_length;
        else if (offset > callout_at) offset = callout_at;
        throw RegexSyntaxError(pcre2_error_text(error), offset);
    }
    // The JIT is optional: without executable memory (or on a platform PCRE2 has no JIT for) the
    // interpreter matches the same, more slowly.
    compiled_->jit = pcre2_jit_compile(compiled_->code.get(), PCRE2_JIT_COMPLETE) == 0;
    compiled_->match_context.reset(pcre2_match_context_create(nullptr));
    if (!compiled_->match_context) throw std::bad_alloc();
    pcre2_set_match_limit(compiled_->match_context.get(), limits.steps);
    pcre2_set_heap_limit(compiled_->match_context.get(), static_cast<std::uint32_t>(limits.memory_bytes / 1024));
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

const std::string& Regex::pattern() const {
    return compiled_->pattern;
}

bool Regex::jit() const {
    return compiled_->jit;
}

bool Regex::search(std::string_view text) const {
    const MatchDataPtr data = compiled_->match_data();
    return compiled_->run(text, data.get()) > 0;
}

std::optional<Regex::Groups> Regex::first_match(std::string_view text) const {
    const MatchDataPtr data = compiled_->match_data();
    if (compiled_->run(text, data.get()) <= 0) return std::nullopt;
    const PCRE2_SIZE* offsets = pcre2_get_ovector_pointer(data.get());
    Groups groups(pcre2_get_ovector_count(data.get()));
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (offsets[2 * i] == PCRE2_UNSET) continue;
        groups[i] = text.substr(offsets[2 * i], offsets[2 * i + 1] - offsets[2 * i]);
    }
    return groups;
}

}  // namespace gantry
