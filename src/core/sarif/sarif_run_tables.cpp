// A run's tables as the merge reads them: tool, artifacts and the other tables its results refer
// to, from the log or from external property files, and the version check that comes first.
#include "sarif_merge_state.hpp"

namespace gantry {

namespace {

std::string category_of(const std::string& automation_id) {
    const auto slash = automation_id.rfind('/');
    return slash == std::string::npos ? automation_id : automation_id.substr(0, slash);
}

}  // namespace

namespace {

// The members of run.externalPropertyFileReferences that the merge uses, with the table each fills.
constexpr std::string_view kExternalTables[] = {"artifacts",   "logicalLocations", "threadFlowLocations", "taxonomies",
                                                "webRequests", "webResponses",     "extensions",          "results"};

// Where an external property file is looked for: beside the input (a relative reference without
// "..", or just the file name of any other reference).
std::optional<std::filesystem::path> beside_input(const std::filesystem::path& directory, const Json& reference) {
    if (directory.empty()) return std::nullopt;
    std::string uri = string_value(find_path(reference, {"location", "uri"}));
    if (uri.empty()) return std::nullopt;
    if (uri.starts_with("file://")) uri = uri.substr(7);
    const std::filesystem::path relative(uri);
    const bool climbs = std::any_of(relative.begin(), relative.end(), [](const auto& part) { return part == ".."; });
    if (relative.is_relative() && !climbs && uri.find(':') == std::string::npos) return directory / relative;
    return directory / relative.filename();
}

}  // namespace

// SARIF §3.15: a run may keep tables in external property files. Those beside the input are read, and
// their tables appended to the run's (results after the run's own); the others are counted and named.
void SarifMerger::State::read_external_property_files(SourceRun& source, const std::string& file) {
    if (!source.external_references.is_object()) return;
    for (const std::string_view member : kExternalTables) {
        const auto references = source.external_references.find(std::string(member));
        if (references == source.external_references.end()) continue;
        const Json list = references->is_array() ? *references : Json::array({*references});
        for (const Json& reference : list) {
            const auto path = beside_input(source.directory, reference);
            std::error_code error;
            if (!path || !std::filesystem::is_regular_file(*path, error)) {
                ++stats.external_files_missing;
                stats.warnings.push_back(fmt::format("{}: the external property file with the run's {} ({}) is not beside "
                                                     "it; merged without them",
                                                     file, member,
                                                     reference.is_object() ? reference.value("location", Json::object()).value("uri", "no uri")
                                                                           : "no location"));
                continue;
            }
            JsonDocument document(*path);
            JsonCursor cursor(document);
            auto root = document.root_object();
            Json table;
            cursor.for_each_field(root, [&](std::string_view key, JsonCursor::Value& value) {
                if (key == member) table = cursor.read_json(value);
            });
            ++stats.external_files_read;
            if (!table.is_array()) continue;
            Json* into = member == "artifacts"             ? &source.artifacts
                         : member == "logicalLocations"    ? &source.logical_locations
                         : member == "threadFlowLocations" ? &source.thread_flow_locations
                         : member == "taxonomies"          ? &source.taxonomies
                         : member == "webRequests"         ? &source.web_requests
                         : member == "webResponses"        ? &source.web_responses
                                                           : nullptr;
            for (Json& entry : table) {
                if (into) {
                    into->push_back(std::move(entry));
                } else if (member == "results") {
                    source.external_results.push_back(std::move(entry));
                } else {  // extensions
                    source.extension_names.push_back(string_value(find_path(entry, {"name"})));
                    const Json* rules = find_path(entry, {"rules"});
                    source.components.push_back(rules && rules->is_array() ? *rules : Json::array());
                    source.extensions.push_back(std::move(entry));
                }
            }
        }
    }
}


void SarifMerger::State::read_run_metadata(JsonCursor& cursor, JsonCursor::Value& run, SourceRun& source) {
    const Fail fail = [&](const std::string& reason) { defer([&] { cursor.fail(reason); }); };
    cursor.for_each_field(run, [&](std::string_view key, JsonCursor::Value& value) {
        if (is_run_table(key)) read_run_member(key, cursor.read_json(value), source, fail);
    });
    finish_run_metadata(source, cursor.document().name());
}

void SarifMerger::State::read_run_member(std::string_view key, Json value, SourceRun& source, const Fail& fail) {
    const auto array = [&](Json& into, const char* expected) {
        if (value.is_array()) {
            into = std::move(value);
        } else {
            fail(expected);
        }
    };
    if (key == "tool") {
        const Json& tool = value;
        if (const Json* driver = find_path(tool, {"driver"}); driver && driver->is_object()) source.driver = *driver;
        source.tool_name = string_value(find_path(tool, {"driver", "name"}));
        const Json* rules = find_path(tool, {"driver", "rules"});
        source.components.push_back(rules && rules->is_array() ? *rules : Json::array());
        if (const Json* extensions = find_path(tool, {"extensions"}); extensions && extensions->is_array()) {
            source.extensions = *extensions;
            for (const Json& extension : *extensions) {
                source.extension_names.push_back(string_value(find_path(extension, {"name"})));
                const Json* ext_rules = find_path(extension, {"rules"});
                source.components.push_back(ext_rules && ext_rules->is_array() ? *ext_rules : Json::array());
            }
        }
    } else if (key == "artifacts") {
        array(source.artifacts, "expected an array of artifacts");
    } else if (key == "logicalLocations") {
        array(source.logical_locations, "expected an array of logical locations");
    } else if (key == "threadFlowLocations") {
        array(source.thread_flow_locations, "expected an array of thread flow locations");
    } else if (key == "taxonomies") {
        array(source.taxonomies, "expected an array of taxonomies");
    } else if (key == "webRequests") {
        array(source.web_requests, "expected an array of web requests");
    } else if (key == "webResponses") {
        array(source.web_responses, "expected an array of web responses");
    } else if (key == "automationDetails") {
        source.category = category_of(string_value(find_path(value, {"id"})));
    } else if (key == "originalUriBaseIds") {
        source.original_uri_base_ids = std::move(value);
    } else if (key == "externalPropertyFileReferences") {
        source.external_references = std::move(value);
    }
}

void SarifMerger::State::finish_run_metadata(SourceRun& source, const std::string& file) {
    if (source.components.empty()) source.components.push_back(Json::array());
    read_external_property_files(source, file);
    if (source.tool_name.empty()) {
        stats.warnings.push_back(file + ": a run has no tool.driver.name; merged as \"unknown tool\"");
        source.tool_name = "unknown tool";
        source.driver["name"] = source.tool_name;
    }
    source.rule_tables.name_component(kDriver, source.tool_name, string_value(find_path(source.driver, {"guid"})));
    for (std::size_t c = 0; c < source.components.size(); ++c) {
        if (c != kDriver) {
            const Json& extension = source.extensions[c - 1];
            source.rule_tables.add_component(string_value(find_path(extension, {"name"})),
                                             string_value(find_path(extension, {"guid"})));
        }
        for (const Json& rule : source.components[c]) {
            source.rule_tables.add_rule(c, string_value(find_path(rule, {"id"})), string_value(find_path(rule, {"guid"})));
        }
    }
}

// SARIF 2.0.0 and the 2.1.0 pre-releases differ in shape (fileLocation, run.files, tool.name, rule
// dictionaries): read as 2.1.0 they would lose their locations and make the output invalid. They are
// refused with the command that converts them.
void SarifMerger::State::check_version(std::string_view version, const std::string& file) {
    if (version == "2.1.0") return;
    throw InputError(SourcePosition{file, 0, 0, "/version"},
                     fmt::format("SARIF {} is not read: only version 2.1.0 is. Convert the file first, with the SARIF "
                                 "Multitool: `Sarif.Multitool rewrite {} --sarif-output-version Current --output "
                                 "converted.sarif` (npm @microsoft/sarif-multitool, or dotnet tool Sarif.Multitool)",
                                 version.empty() ? std::string("of another version") : "\"" + std::string(version) + "\"",
                                 file));
}

}  // namespace gantry
