#include "gantry/report/finding_description.hpp"

#include <fmt/format.h>

namespace gantry {

namespace {

std::string single_line(std::string text) {
    std::string line;
    line.reserve(text.size());
    for (char c : text) {
        if (c == '\r' || c == '\n') {
            if (!line.empty() && line.back() != ' ') line += ' ';
        } else {
            line += c;
        }
    }
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    line.erase(0, first);
    while (line.back() == ' ') line.pop_back();
    return line;
}

}  // namespace

std::string one_line_description(const Finding& finding) {
    std::string text;
    if (finding.kind == FindingKind::Vulnerability && !finding.package.empty()) {
        text = finding.id.empty() ? std::string("vulnerability") : finding.id;
        text += " in " + finding.package;
        if (!finding.version.empty()) text += " " + finding.version;
        if (!finding.fixed_version.empty()) text += " (fixed in " + finding.fixed_version + ")";
    } else if (finding.kind == FindingKind::License && !finding.package.empty()) {
        // One licence rule covers many packages: the message says which one.
        text = (finding.title.empty() ? "License " + finding.id : finding.title.str()) + " in " + finding.package;
    } else if (!finding.title.empty()) {
        text = finding.title;
    } else {
        text = finding.id;
    }
    text = single_line(std::move(text));
    if (text.empty()) text = fmt::format("unnamed {} finding", to_string(finding.kind));
    return text;
}

}  // namespace gantry
