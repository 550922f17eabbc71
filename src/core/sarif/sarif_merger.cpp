#include "gantry/sarif/sarif_merger.hpp"

#include <cstdio>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/json/json_document.hpp"
#include "gantry/sarif/line_hash.hpp"

namespace gantry {

namespace {

using Json = nlohmann::json;

// A result's rule lives in the driver (component 0) or in tool.extensions[component - 1].
constexpr std::size_t kDriver = 0;

std::string category_of(const std::string& automation_id) {
    const auto slash = automation_id.rfind('/');
    return slash == std::string::npos ? automation_id : automation_id.substr(0, slash);
}

std::string slug(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep) {
            out += c;
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "sarif" : out;
}

const Json* find_path(const Json& j, std::initializer_list<const char*> keys) {
    const Json* at = &j;
    for (const char* key : keys) {
        if (!at->is_object()) return nullptr;
        const auto it = at->find(key);
        if (it == at->end()) return nullptr;
        at = &*it;
    }
    return at;
}

std::optional<std::size_t> index_value(const Json* j) {
    if (j && j->is_number_integer() && j->get<long long>() >= 0) return static_cast<std::size_t>(j->get<long long>());
    return std::nullopt;
}

std::string string_value(const Json* j) { return j && j->is_string() ? j->get<std::string>() : std::string(); }

// The tool, artifacts and category of one input run: what its results refer to by index.
struct SourceRun {
    std::string tool_name;
    std::string category;
    Json driver = Json::object();
    std::vector<Json> components;  // rules arrays: [0] driver, [i] extension i-1
    std::vector<std::string> extension_names;
    Json extensions = Json::array();
    Json artifacts = Json::array();
    Json original_uri_base_ids;
    std::vector<std::unordered_map<std::string, std::size_t>> rule_by_id;  // per component
};

// One run of the merged log.
struct OutputRun {
    std::string tool_name;
    std::string category;
    Json driver;                       // without rules
    std::vector<Json> extensions;      // without rules
    std::vector<std::string> extension_names;
    std::vector<std::vector<Json>> rules;  // per component
    std::vector<std::unordered_map<std::string, std::size_t>> rule_index;
    std::vector<Json> artifacts;
    std::unordered_map<std::string, std::size_t> artifact_index;
    Json original_uri_base_ids = Json::object();
    std::unordered_set<std::size_t> seen;  // hashes of dedupe keys
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> spool{nullptr, &std::fclose};
    std::size_t results = 0;

    std::size_t component_for_extension(const std::string& name, const Json& extension) {
        for (std::size_t i = 0; i < extension_names.size(); ++i) {
            if (extension_names[i] == name) return i + 1;
        }
        Json copy = extension;
        copy.erase("rules");
        extensions.push_back(std::move(copy));
        extension_names.push_back(name);
        rules.emplace_back();
        rule_index.emplace_back();
        return extension_names.size();
    }

    std::size_t add_rule(std::size_t component, const Json& rule) {
        const std::string key = rule.contains("id") && rule["id"].is_string() ? rule["id"].get<std::string>() : rule.dump();
        auto& index = rule_index[component];
        if (const auto it = index.find(key); it != index.end()) return it->second;
        rules[component].push_back(rule);
        index.emplace(key, rules[component].size() - 1);
        return rules[component].size() - 1;
    }

    std::size_t add_artifact(const Json& artifact) {
        Json copy = artifact;
        copy.erase("parentIndex");  // would point into the source run's table
        const std::string key = string_value(find_path(copy, {"location", "uri"})) + '\n' +
                                string_value(find_path(copy, {"location", "uriBaseId"}));
        if (const auto it = artifact_index.find(key); it != artifact_index.end()) return it->second;
        artifacts.push_back(std::move(copy));
        artifact_index.emplace(key, artifacts.size() - 1);
        return artifacts.size() - 1;
    }
};

}  // namespace

struct SarifMerger::State {
    SarifMergeOptions options;
    SarifMergeStats stats;
    std::vector<std::unique_ptr<OutputRun>> runs;
    std::map<std::string, std::size_t> run_by_identity;
    std::string source_root;  // with a trailing "/", empty when not set
    std::unordered_map<std::string, std::vector<std::string>> line_hashes_by_file;  // repository-relative

    void rebase(Json& node);
    void add_fingerprint(Json& result);

    OutputRun& output_for(const SourceRun& source) {
        const std::string category = options.category.empty() ? source.category : options.category;
        const std::string identity = source.tool_name + '\n' + category;
        if (const auto it = run_by_identity.find(identity); it != run_by_identity.end()) return *runs[it->second];
        auto run = std::make_unique<OutputRun>();
        run->tool_name = source.tool_name;
        run->category = category;
        run->driver = source.driver;
        run->driver.erase("rules");
        run->rules.emplace_back();
        run->rule_index.emplace_back();
        std::FILE* spool = std::tmpfile();
        if (!spool) throw EnvironmentError("cannot create a temporary file for merging SARIF results");
        run->spool.reset(spool);
        runs.push_back(std::move(run));
        run_by_identity.emplace(identity, runs.size() - 1);
        return *runs.back();
    }

    void add_document(JsonDocument& document);
    void read_run_metadata(JsonCursor& cursor, JsonCursor::Value& run, SourceRun& source);
    void merge_result(std::string_view raw, const SourceRun& source, OutputRun& out, JsonCursor& cursor);
};

SarifMerger::SarifMerger(SarifMergeOptions options) : state_(std::make_unique<State>()) {
    state_->options = std::move(options);
    if (!state_->options.source_root.empty()) {
        std::error_code error;
        const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(state_->options.source_root), error);
        state_->source_root = (error ? state_->options.source_root : root).string();
        if (state_->source_root.empty() || state_->source_root.back() != '/') state_->source_root += '/';
    }
}

// file:///repo/src/a.c under --source-root /repo -> "src/a.c" relative to %SRCROOT%.
void SarifMerger::State::rebase(Json& node) {
    if (node.is_object()) {
        if (auto it = node.find("artifactLocation"); it != node.end() && it->is_object()) {
            const std::string uri = string_value(find_path(*it, {"uri"}));
            if (uri.rfind("file://", 0) == 0) {
                const std::string path = uri.substr(7);
                if (path.rfind(source_root, 0) == 0 && path.size() > source_root.size()) {
                    (*it)["uri"] = path.substr(source_root.size());
                    (*it)["uriBaseId"] = "%SRCROOT%";
                    ++stats.uris_rebased;
                }
            }
        }
        for (auto& [key, child] : node.items()) {
            if (key != "artifactLocation") rebase(child);
        }
    } else if (node.is_array()) {
        for (auto& child : node) rebase(child);
    }
}

void SarifMerger::State::add_fingerprint(Json& result) {
    if (find_path(result, {"partialFingerprints", "primaryLocationLineHash"})) return;
    const Json* locations = find_path(result, {"locations"});
    if (!locations || !locations->is_array() || locations->empty()) return;
    const Json* physical = find_path((*locations)[0], {"physicalLocation"});
    if (!physical) return;
    const std::string uri = string_value(find_path(*physical, {"artifactLocation", "uri"}));
    const Json* line = find_path(*physical, {"region", "startLine"});
    if (uri.empty() || uri.find("://") != std::string::npos || !line || !line->is_number_integer()) return;
    auto cached = line_hashes_by_file.find(uri);
    if (cached == line_hashes_by_file.end()) {
        std::vector<std::string> hashes;
        try {
            hashes = line_hashes(read_file(std::filesystem::path(source_root) / uri));
        } catch (const Error&) {
            // No such source file here (generated code, another checkout): GitHub computes it then.
        }
        cached = line_hashes_by_file.emplace(uri, std::move(hashes)).first;
    }
    const long long number = line->get<long long>();
    if (number < 1 || static_cast<std::size_t>(number) > cached->second.size()) return;
    result["partialFingerprints"]["primaryLocationLineHash"] = cached->second[static_cast<std::size_t>(number) - 1];
    ++stats.fingerprints_added;
}
SarifMerger::~SarifMerger() = default;

const SarifMergeStats& SarifMerger::stats() const { return state_->stats; }

void SarifMerger::add_file(const std::filesystem::path& path) {
    JsonDocument document(path);
    state_->add_document(document);
}

void SarifMerger::add_text(std::string_view text, const std::string& name) {
    JsonDocument document(name, simdjson::padded_string(text));
    state_->add_document(document);
}

namespace {

Json parse_raw(std::string_view raw, JsonCursor& cursor) {
    try {
        return Json::parse(raw);
    } catch (const Json::exception&) {
        cursor.fail("invalid JSON value");
    }
}

std::string_view raw_of(JsonCursor::Value& value, JsonCursor& cursor) {
    std::string_view raw;
    const auto type = cursor.type_of(value);
    simdjson::error_code error = simdjson::SUCCESS;
    if (type == JsonCursor::Type::object) {
        simdjson::ondemand::object object;
        error = value.get_object().get(object);
        if (!error) error = object.raw_json().get(raw);
    } else if (type == JsonCursor::Type::array) {
        simdjson::ondemand::array array;
        error = value.get_array().get(array);
        if (!error) error = array.raw_json().get(raw);
    } else {
        raw = value.raw_json_token();
    }
    if (error) cursor.document().fail_syntax(error);
    return raw;
}

}  // namespace

void SarifMerger::State::read_run_metadata(JsonCursor& cursor, JsonCursor::Value& run, SourceRun& source) {
    cursor.for_each_field(run, [&](std::string_view key, JsonCursor::Value& value) {
        if (key == "tool") {
            const Json tool = parse_raw(raw_of(value, cursor), cursor);
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
            source.artifacts = parse_raw(raw_of(value, cursor), cursor);
            if (!source.artifacts.is_array()) cursor.fail("expected an array of artifacts");
        } else if (key == "automationDetails") {
            const Json details = parse_raw(raw_of(value, cursor), cursor);
            source.category = category_of(string_value(find_path(details, {"id"})));
        } else if (key == "originalUriBaseIds") {
            source.original_uri_base_ids = parse_raw(raw_of(value, cursor), cursor);
        }
    });
    if (source.components.empty()) source.components.push_back(Json::array());
    if (source.tool_name.empty()) {
        stats.warnings.push_back(cursor.document().name() + ": a run has no tool.driver.name; merged as \"unknown tool\"");
        source.tool_name = "unknown tool";
        source.driver["name"] = source.tool_name;
    }
    source.rule_by_id.resize(source.components.size());
    for (std::size_t c = 0; c < source.components.size(); ++c) {
        for (std::size_t i = 0; i < source.components[c].size(); ++i) {
            const std::string id = string_value(find_path(source.components[c][i], {"id"}));
            if (!id.empty()) source.rule_by_id[c].emplace(id, i);
        }
    }
}

namespace {

// Rewrites every artifactLocation.index inside `node` from the source run's table to the output's.
void remap_artifacts(Json& node, const SourceRun& source, OutputRun& out) {
    if (node.is_object()) {
        if (auto it = node.find("artifactLocation"); it != node.end() && it->is_object()) {
            if (const auto index = index_value(find_path(*it, {"index"}))) {
                if (*index < source.artifacts.size()) {
                    const Json& artifact = source.artifacts[*index];
                    (*it)["index"] = out.add_artifact(artifact);
                    if (!it->contains("uri")) {
                        if (const Json* uri = find_path(artifact, {"location", "uri"})) (*it)["uri"] = *uri;
                    }
                } else {
                    it->erase("index");
                }
            }
        }
        for (auto& [key, child] : node.items()) {
            if (key != "artifactLocation") remap_artifacts(child, source, out);
        }
    } else if (node.is_array()) {
        for (auto& child : node) remap_artifacts(child, source, out);
    }
}

std::string dedupe_key(const Json& result) {
    if (const Json* fingerprints = find_path(result, {"partialFingerprints"});
        fingerprints && fingerprints->is_object() && !fingerprints->empty()) {
        // Fingerprints identify a place; two rules can fire at one place, so the rule is part of the key.
        return "f" + string_value(find_path(result, {"ruleId"})) + '\n' + fingerprints->dump();
    }
    const Json* location = find_path(result, {"locations"});
    const Json* physical = location && location->is_array() && !location->empty()
                               ? find_path((*location)[0], {"physicalLocation"})
                               : nullptr;
    std::string key = "l" + string_value(find_path(result, {"ruleId"})) + '\n' +
                      string_value(find_path(result, {"message", "text"}));
    if (physical) {
        key += '\n' + string_value(find_path(*physical, {"artifactLocation", "uri"}));
        if (const Json* region = find_path(*physical, {"region"})) key += '\n' + region->dump();
    }
    return key;
}

}  // namespace

void SarifMerger::State::merge_result(std::string_view raw, const SourceRun& source, OutputRun& out,
                                      JsonCursor& cursor) {
    Json result = parse_raw(raw, cursor);
    if (!result.is_object()) cursor.fail("expected a result object");
    ++stats.results_read;

    // Which rule, in which component, this result names.
    std::size_t component = kDriver;
    if (const auto c = index_value(find_path(result, {"rule", "toolComponent", "index"}))) {
        component = *c + 1 < source.components.size() ? *c + 1 : source.components.size();
    }
    std::optional<std::size_t> index = index_value(find_path(result, {"rule", "index"}));
    if (!index && component == kDriver) index = index_value(find_path(result, {"ruleIndex"}));
    std::string id = string_value(find_path(result, {"ruleId"}));
    if (id.empty()) id = string_value(find_path(result, {"rule", "id"}));
    const Json* rule = nullptr;
    if (component < source.components.size()) {
        if (index && *index < source.components[component].size()) {
            rule = &source.components[component][*index];
        } else if (!id.empty()) {
            if (const auto it = source.rule_by_id[component].find(id); it != source.rule_by_id[component].end()) {
                rule = &source.components[component][it->second];
            }
        }
    }
    if (rule) {
        if (id.empty()) id = string_value(find_path(*rule, {"id"}));
        const std::size_t out_component =
            component == kDriver ? kDriver
                                 : out.component_for_extension(source.extension_names[component - 1],
                                                               source.extensions[component - 1]);
        const std::size_t out_index = out.add_rule(out_component, *rule);
        if (!id.empty()) result["ruleId"] = id;
        if (out_component == kDriver) {
            result["ruleIndex"] = out_index;
            if (result.contains("rule")) {
                result["rule"]["index"] = out_index;
                result["rule"].erase("toolComponent");
            }
        } else {
            result.erase("ruleIndex");
            result["rule"]["index"] = out_index;
            result["rule"]["toolComponent"] = Json{{"index", out_component - 1}};
        }
    } else {
        // The reference cannot be resolved in the merged run: keep the id, drop the dangling index.
        result.erase("ruleIndex");
        if (result.contains("rule") && result["rule"].is_object()) {
            result["rule"].erase("index");
            result["rule"].erase("toolComponent");
        }
    }
    remap_artifacts(result, source, out);
    if (!source_root.empty()) {
        rebase(result);
        add_fingerprint(result);
    }

    if (!out.seen.insert(std::hash<std::string>{}(dedupe_key(result))).second) {
        ++stats.duplicates_removed;
        return;
    }
    const std::string line = result.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
    if (std::fwrite(line.data(), 1, line.size(), out.spool.get()) != line.size()) {
        throw EnvironmentError("cannot write to a temporary file while merging SARIF results");
    }
    ++out.results;
    ++stats.results_written;
}

void SarifMerger::State::add_document(JsonDocument& document) {
    ++stats.files;
    JsonCursor cursor(document);
    std::vector<SourceRun> sources;
    bool has_version = false;
    // Pass 1: every run's tool, artifacts and category (results may come before them in the file).
    {
        auto root = document.root_object();
        cursor.for_each_field(root, [&](std::string_view key, JsonCursor::Value& value) {
            if (key == "version") {
                has_version = true;
            } else if (key == "runs") {
                cursor.for_each_element(value, [&](JsonCursor::Value& run) {
                    sources.emplace_back();
                    read_run_metadata(cursor, run, sources.back());
                });
            }
        });
    }
    if (!has_version) stats.warnings.push_back(document.name() + ": no \"version\"; read as SARIF 2.1.0");
    // Pass 2: stream the results into their output runs.
    document.rewind();
    std::size_t run_number = 0;
    auto root = document.root_object();
    cursor.for_each_field(root, [&](std::string_view key, JsonCursor::Value& value) {
        if (key != "runs") return;
        cursor.for_each_element(value, [&](JsonCursor::Value& run) {
            const SourceRun& source = sources.at(run_number++);
            OutputRun& out = output_for(source);
            ++stats.runs_read;
            if (source.original_uri_base_ids.is_object()) out.original_uri_base_ids.update(source.original_uri_base_ids);
            cursor.for_each_field(run, [&](std::string_view run_key, JsonCursor::Value& run_value) {
                if (run_key != "results") return;
                cursor.for_each_element(run_value, [&](JsonCursor::Value& result) {
                    merge_result(raw_of(result, cursor), source, out, cursor);
                });
            });
        });
    });
    document.expect_end();
}

void SarifMerger::write(std::ostream& out) {
    State& s = *state_;
    std::unordered_set<std::string> ids;
    out << R"({"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[)";
    bool first_run = true;
    for (auto& run : s.runs) {
        Json driver = run->driver;
        driver["rules"] = run->rules[kDriver];
        Json tool = {{"driver", std::move(driver)}};
        if (!run->extensions.empty()) {
            Json extensions = Json::array();
            for (std::size_t i = 0; i < run->extensions.size(); ++i) {
                Json extension = run->extensions[i];
                extension["rules"] = run->rules[i + 1];
                extensions.push_back(std::move(extension));
            }
            tool["extensions"] = std::move(extensions);
        }
        // A unique category per run: GitHub rejects two runs of one tool and category in an upload.
        std::string category = run->category.empty() ? slug(run->tool_name) : run->category;
        std::string id = category;
        for (int n = 2; !ids.insert(id).second; ++n) id = category + "-" + std::to_string(n);
        Json head = {{"tool", std::move(tool)}, {"automationDetails", {{"id", id + "/"}}}};
        if (!run->artifacts.empty()) {
            head["artifacts"] = run->artifacts;
            if (!s.source_root.empty()) {
                for (auto& artifact : head["artifacts"]) {
                    if (auto location = artifact.find("location"); location != artifact.end()) {
                        Json wrapper = {{"artifactLocation", *location}};
                        s.rebase(wrapper);
                        *location = wrapper["artifactLocation"];
                    }
                }
            }
        }
        if (!run->original_uri_base_ids.empty()) head["originalUriBaseIds"] = run->original_uri_base_ids;
        std::string text = head.dump(-1, ' ', false, Json::error_handler_t::replace);
        text.pop_back();  // reopen the object to append the results
        out << (first_run ? "" : ",") << text << R"(,"results":[)";
        first_run = false;
        std::rewind(run->spool.get());
        char buffer[1 << 16];
        bool first_result = true;
        std::string line;
        while (std::fgets(buffer, sizeof buffer, run->spool.get())) {
            line += buffer;
            if (line.empty() || line.back() != '\n') continue;
            line.pop_back();
            out << (first_result ? "" : ",") << line;
            first_result = false;
            line.clear();
        }
        out << "]}";
        ++s.stats.runs_written;
        run->spool.reset();
    }
    out << "]}";
    if (!out) throw EnvironmentError("cannot write the merged SARIF log");
}

}  // namespace gantry
