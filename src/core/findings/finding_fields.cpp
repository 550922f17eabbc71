// Helpers the report readers share to fill Finding fields consistently.
#include <algorithm>
#include <cctype>

#include "gantry/findings/report_formats.hpp"

namespace gantry {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

void add_alias(Finding& finding, std::string_view alias) {
    if (alias.empty() || std::find(finding.aliases.begin(), finding.aliases.end(), alias) != finding.aliases.end()) {
        return;
    }
    finding.aliases.emplace_back(alias);
}

void tidy_aliases(Finding& finding) {
    std::vector<std::string> kept;
    kept.reserve(finding.aliases.size());
    for (std::string& alias : finding.aliases) {
        if (!alias.empty() && alias != finding.id && std::find(kept.begin(), kept.end(), alias) == kept.end()) {
            kept.push_back(std::move(alias));
        }
    }
    finding.aliases = std::move(kept);
}

std::string first_line(std::string_view text) {
    constexpr std::size_t kLongest = 200;
    constexpr std::string_view kBlank = " \t\r\n";
    std::size_t start = text.find_first_not_of(kBlank);
    if (start == std::string_view::npos) {
        return {};
    }
    text.remove_prefix(start);
    text = text.substr(0, text.find_first_of("\r\n"));
    text = text.substr(0, text.find_last_not_of(" \t") + 1);
    if (text.size() <= kLongest) {
        return std::string(text);
    }
    std::size_t cut = kLongest;
    // Back up over UTF-8 continuation bytes so a character is never split.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    // Sized once: a long title otherwise takes twice its length (the appended "..." grows the string).
    std::string line;
    line.reserve(cut + 3);
    line.append(text.substr(0, cut)).append("...");
    return line;
}

}  // namespace gantry
