#include "gantry/semver/commit_reading.hpp"

#include "message_text.hpp"
#include "peer_readings.hpp"

namespace gantry {

namespace {

using namespace message_text;

// `* feat: x` / `- feat: x` (indented or not): the header after the bullet, else nullopt.
std::optional<ConventionalHeader> parse_bullet_header(std::string_view line) {
    line = trim(line);
    if (line.size() < 3 || (line[0] != '*' && line[0] != '-') || line[1] != ' ') return std::nullopt;
    return parse_conventional_header(trim(line.substr(2)));
}

// `Revert "<title>"`, also with the pull request suffix GitHub adds to a squash merge
// (`Revert "<title>" (#123)`): the quoted title, else nullopt.
std::optional<std::string_view> git_revert_title(std::string_view first_line) {
    constexpr std::string_view opening = "Revert \"";
    if (!starts_with(first_line, opening)) return std::nullopt;
    std::string_view rest = first_line.substr(opening.size());
    if (!rest.empty() && rest.back() == ')') {
        const std::size_t open = rest.rfind(" (#");
        if (open != std::string_view::npos) {
            const std::string_view number = rest.substr(open + 3, rest.size() - open - 4);
            if (!number.empty() && std::all_of(number.begin(), number.end(), is_digit)) rest = rest.substr(0, open);
        }
    }
    if (rest.size() < 2 || rest.back() != '"') return std::nullopt;
    return rest.substr(0, rest.size() - 1);
}

// A line that starts a breaking-change footer: `BREAKING CHANGE: text`, `BREAKING CHANGE #text`, or
// the token and ':' alone with the text on the following lines (off the specification).
struct BreakingLine {
    std::string text;
    bool text_on_next_line = false;
};

std::optional<BreakingLine> breaking_line(std::string_view line) {
    for (std::string_view token : {std::string_view("BREAKING CHANGE"), std::string_view("BREAKING-CHANGE")}) {
        if (!starts_with(line, token)) continue;
        const std::string_view rest = line.substr(token.size());
        if (rest == ":") return BreakingLine{"", true};
        if (starts_with(rest, ": ")) return BreakingLine{std::string(trim(rest.substr(2))), false};
        if (starts_with(rest, " #")) return BreakingLine{std::string(rest.substr(1)), false};
    }
    return std::nullopt;
}

bool has_text_after(const std::vector<std::string_view>& lines, std::size_t index) {
    return std::any_of(lines.begin() + static_cast<std::ptrdiff_t>(index) + 1, lines.end(),
                       [](std::string_view line) { return !is_blank(line); });
}

void append_description(std::string& description, std::string_view text) {
    if (!description.empty()) description += " ";
    description += std::string(trim(text));
}

CommitChanges read_gantry(std::string_view message, Leniency leniency) {
    const std::vector<std::string_view> lines = split_lines(message);
    CommitChanges result;
    if (lines.empty()) return result;

    const std::string_view first = lines[0];
    const std::string reverted_id = reverted_commit_id(message);
    if (const auto title = git_revert_title(first)) {
        result.reverts = RevertedCommit{reverted_id, std::string(*title), parse_conventional_header(*title)};
        result.changes.push_back({.header = {.type = "revert", .scope = "", .exclamation = false, .description = std::string(*title)},
                                  .is_revert = true});
    } else if (auto header = parse_conventional_header(first)) {
        const bool is_revert = header->type == "revert";
        if (is_revert) result.reverts = RevertedCommit{reverted_id, header->description, parse_conventional_header(header->description)};
        const bool breaking = header->exclamation;
        result.changes.push_back({.header = std::move(*header), .breaking = breaking, .is_revert = is_revert});
    } else if (!reverted_id.empty()) {
        // Any title over git's own "This reverts commit <id>." line: a revert renamed when it was merged.
        result.reverts = RevertedCommit{reverted_id, "", std::nullopt};
        result.changes.push_back({.header = {.type = "revert", .scope = "", .exclamation = false, .description = std::string(first)},
                                  .is_revert = true});
    }
    // Bullets are the squashed commits only when the header itself announces nothing.
    const bool read_bullets = result.changes.empty();

    // Footers attach to the change written last before them: the header's, or a squashed bullet's.
    std::optional<std::size_t> current;
    if (!result.changes.empty()) current = 0;
    bool in_footers = false;
    std::optional<std::size_t> open_breaking;  // the change whose BREAKING CHANGE text is being read
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        const bool after_blank = is_blank(lines[i - 1]);
        if (read_bullets) {
            if (auto bullet = parse_bullet_header(line)) {
                in_footers = false;
                open_breaking.reset();
                const bool breaking = bullet->exclamation;
                result.changes.push_back({.header = std::move(*bullet), .breaking = breaking, .origin = ChangeOrigin::SquashedBullet});
                current = result.changes.size() - 1;
                continue;
            }
        }
        if (auto breaking = breaking_line(line); breaking && (!breaking->text_on_next_line || has_text_after(lines, i))) {
            std::string off_spec;
            const auto note = [&](std::string_view why) { off_spec += (off_spec.empty() ? "" : "; ") + std::string(why); };
            if (!in_footers && !after_blank) note("its BREAKING CHANGE line is inside a paragraph, with no blank line before it");
            if (breaking->text_on_next_line) note("its BREAKING CHANGE text starts on the line after the token");
            if (!current) note("its BREAKING CHANGE footer is under a title that is not a Conventional Commit");
            if (off_spec.empty() || leniency == Leniency::Lenient) {
                if (!current) {
                    result.changes.push_back({.header = {.type = "", .scope = "", .exclamation = false, .description = std::string(first)}});
                    current = result.changes.size() - 1;
                }
                CommitChange& change = result.changes[*current];
                change.breaking = true;
                if (change.leniency.empty()) change.leniency = off_spec;
                if (change.breaking_description.empty()) {
                    change.breaking_description = breaking->text;
                    open_breaking = *current;
                } else {
                    open_breaking.reset();
                }
                in_footers = true;
                continue;
            }
        }
        auto footer = parse_commit_footer_line(line);
        if (footer && (in_footers || after_blank)) {
            in_footers = true;
            open_breaking.reset();
            continue;
        }
        if (is_blank(line)) {
            // A breaking text that starts on a later line may follow a blank line too.
            if (open_breaking && !result.changes[*open_breaking].breaking_description.empty()) open_breaking.reset();
            continue;
        }
        if (open_breaking) {
            std::string& description = result.changes[*open_breaking].breaking_description;
            if (description.empty() || (in_footers && !after_blank)) {
                append_description(description, line);
                continue;
            }
            open_breaking.reset();
        }
        if (in_footers && !after_blank) continue;  // a footer's value goes on
        in_footers = false;
    }
    for (CommitChange& change : result.changes) {
        if (change.breaking && change.breaking_description.empty()) change.breaking_description = change.header.description;
    }
    return result;
}

}  // namespace

std::string_view to_string(ReadingPreset preset) {
    switch (preset) {
        case ReadingPreset::Gantry: return "gantry";
        case ReadingPreset::ConventionalCommits: return "conventionalcommits";
        case ReadingPreset::Angular: return "angular";
        case ReadingPreset::ReleasePlease: return "release-please";
        case ReadingPreset::Cocogitto: return "cocogitto";
    }
    return "gantry";
}

std::optional<ReadingPreset> parse_reading_preset(std::string_view text) {
    for (ReadingPreset preset : {ReadingPreset::Gantry, ReadingPreset::ConventionalCommits, ReadingPreset::Angular,
                                 ReadingPreset::ReleasePlease, ReadingPreset::Cocogitto}) {
        if (text == to_string(preset)) return preset;
    }
    return std::nullopt;
}

CommitChanges read_commit_changes(std::string_view message, const CommitReading& reading) {
    switch (reading.preset) {
        case ReadingPreset::Gantry: return read_gantry(message, reading.leniency);
        case ReadingPreset::ConventionalCommits: return read_as_semantic_release(message, SemanticReleasePreset::ConventionalCommits);
        case ReadingPreset::Angular: return read_as_semantic_release(message, SemanticReleasePreset::Angular);
        case ReadingPreset::ReleasePlease: return read_as_release_please(message);
        case ReadingPreset::Cocogitto: return read_as_cocogitto(message);
    }
    return {};
}

}  // namespace gantry
