// CycloneDX 1.4-1.6 JSON with vulnerabilities[] (`trivy --format cyclonedx`, `grype -o cyclonedx-json`,
// `pip-audit -f cyclonedx-json`, Dependency-Track and other VDR/VEX exports).
//
// A vulnerability names the components it affects by reference (affects[].ref = a component's
// bom-ref, at any depth of components[], or metadata.component); a finding is one vulnerability of
// one affected component, with that component's name, version and purl. Components may come after
// the vulnerabilities in the file, so references are resolved once the whole document is read; a
// reference to nothing in the file (another BOM's, a BOM-Link) keeps what it says: a purl is read as
// one, anything else becomes the package name.
//
// Severity: a vulnerability may carry many ratings (one per source and method). The rating of the
// most trusted method decides, in the order of the specification's method list: CVSSv4, CVSSv31,
// CVSSv3, CVSSv2, OWASP, SSVC, then other or none; among ratings of that method, the highest score,
// then the highest severity. Its severity is taken as written, else derived from its CVSS score; the
// finding's message says which rating decided. Fixed versions come from `recommendation` where it
// says "... to version X, Y" (Trivy, and the specification's own example).
//
// analysis.state is the document's own VEX: not_affected, false_positive, resolved and
// resolved_with_pedigree say the finding does not apply, and the verdict waives it
// (Finding::vex_analysis, with the justification and detail); in_triage and exploitable waive nothing.
// Package origin: in a BOM of a container image (metadata.component of type "container"), a component
// with an OS package's purl (deb, rpm, apk, alpm) is the image's; every other component is a
// dependency named by this SBOM, whose path is its dependency file.
// A CycloneDX document without `vulnerabilities` is an SBOM, not a scan result: an InputError, since
// reading it as "no findings" would pass any gate.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/findings/report_formats.hpp"
#include "gantry/json/json_stream.hpp"
#include "gantry/json/streamed_object.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/vex/package_url.hpp"
#include "cyclonedx_component_registry.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;
using Type = JsonCursor::Type;

struct Component {
    std::string name;
    std::string version;
    std::string purl;
};

struct Rating {
    std::string source;
    std::string method;
    std::optional<double> score;
    std::optional<Severity> severity;
};

// A purl of a Linux distribution's package manager: what an image's OS installed.
bool is_os_package(std::string_view purl) {
    for (const std::string_view type : {"pkg:deb/", "pkg:rpm/", "pkg:apk/", "pkg:alpm/"}) {
        if (purl.starts_with(type)) return true;
    }
    return false;
}

// Trust of a rating method, higher is more trusted (CycloneDX 1.6 "scoreMethod" list, in its order).
int method_rank(std::string_view method) {
    constexpr std::string_view kMethods[] = {"CVSSv4", "CVSSv31", "CVSSv3", "CVSSv2", "OWASP", "SSVC"};
    for (std::size_t i = 0; i < std::size(kMethods); ++i) {
        if (method == kMethods[i]) {
            return static_cast<int>(std::size(kMethods) - i);
        }
    }
    return 0;  // "other" or none
}

bool is_cvss(std::string_view method) { return method.starts_with("CVSSv"); }

// The severity a rating stands for: its own word, else its CVSS score in the bands of its version
// (CVSS v2 has no critical band).
std::optional<Severity> severity_of(const Rating& rating) {
    if (rating.severity && *rating.severity != Severity::Unknown) {
        return rating.severity;
    }
    if (rating.score && is_cvss(rating.method)) {
        const Severity banded = severity_from_score(*rating.score);
        return rating.method == "CVSSv2" ? std::min(banded, Severity::High) : banded;
    }
    return rating.severity;
}

// "Upgrade libidn2-0 to version 2.0.5-1+deb10u1" -> "2.0.5-1+deb10u1";
// "... to version 2.6.7.5, 2.8.11.1, 2.9.5 or higher." -> "2.6.7.5, 2.8.11.1, 2.9.5".
std::string fixed_versions_from(std::string_view recommendation) {
    constexpr std::string_view kMarker = " to version ";
    const std::size_t at = recommendation.find(kMarker);
    if (at == std::string_view::npos) {
        return {};
    }
    std::string_view versions = recommendation.substr(at + kMarker.size());
    versions = versions.substr(0, versions.find_first_of("\r\n"));
    while (!versions.empty() && (versions.back() == '.' || versions.back() == ' ')) {
        versions.remove_suffix(1);
    }
    for (const std::string_view tail : {" or higher", " or later", " or newer", " or above"}) {
        if (versions.ends_with(tail)) {
            versions.remove_suffix(tail.size());
        }
    }
    return std::string(versions);
}

// An unresolved reference: "pkg:type/namespace/name@version?qualifiers#subpath" gives name and
// version; a BOM-Link "urn:cdx:serial/version#bom-ref" is read as its bom-ref; anything else is the name.
Component component_from_reference(std::string_view ref) {
    Component component;
    if (ref.starts_with("pkg:")) {
        component.purl = std::string(ref);
        std::string_view rest = ref.substr(0, ref.find_first_of("?#"));
        const std::size_t at = rest.rfind('@');
        if (at != std::string_view::npos) {
            component.version = percent_decode(rest.substr(at + 1));
            rest = rest.substr(0, at);
        }
        component.name = percent_decode(rest.substr(rest.rfind('/') + 1));
        return component;
    }
    if (ref.starts_with("urn:cdx:") && ref.find('#') != std::string_view::npos) {
        // The bom-ref inside the other BOM, itself often a purl.
        return component_from_reference(ref.substr(ref.find('#') + 1));
    }
    component.name = std::string(ref);
    return component;
}

class CycloneDxReader {
public:
    explicit CycloneDxReader(JsonDocument& document) : cursor_(document) {}

    Report read() {
        start();
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) { read_root_field(key, value); });
        cursor_.document().expect_end();
        return finish();
    }

    // The same with components[] and vulnerabilities[] streamed one element at a time; a vulnerability
    // names its components by bom-ref, resolved at the end as in read(), so either may come first.
    Report read(JsonStream& stream) {
        start();
        StreamedObject root;
        root.field = [&](std::string_view key, Value& value) { read_root_field(key, value); };
        root.arrays = {
            {"components", [&](Value& component) { register_component(component); }, nullptr, nullptr},
            {"vulnerabilities", [&](Value& vulnerability) { read_vulnerability(vulnerability); }, nullptr,
             [&] { has_vulnerabilities_ = true; }},
        };
        read_streamed_object(stream, cursor_.document(), cursor_, root);
        stream.expect_end();
        return finish();
    }

private:
    void start() {
        report_.path = cursor_.document().name();
        report_.format = ReportFormat::CycloneDx;
    }

    void read_root_field(std::string_view key, Value& value) {
        if (key == "bomFormat") {
            const auto format = cursor_.read_string(value);
            if (format && *format != "CycloneDX") {
                cursor_.fail(fmt::format("expected \"CycloneDX\", found \"{}\"", *format));
            }
        } else if (key == "specVersion") {
            cursor_.read_string_into(value, spec_version_);
        } else if (key == "metadata") {
            read_metadata(value);
        } else if (key == "components") {
            read_components(value);
        } else if (key == "vulnerabilities") {
            has_vulnerabilities_ = cursor_.type_of(value) != Type::null;
            cursor_.for_each_element(value, [&](Value& vulnerability) { read_vulnerability(vulnerability); });
        }
    }

    Report finish() {
        if (!has_vulnerabilities_) {
            throw InputError(SourcePosition{report_.path},
                             fmt::format("a CycloneDX {}SBOM without `vulnerabilities`: it lists components, not "
                                         "what is wrong with them, so it cannot pass or fail a gate. Scan it "
                                         "(trivy sbom FILE, grype sbom:FILE) and give scan-gate the scanner's report, "
                                         "or a CycloneDX file with vulnerabilities (trivy --format cyclonedx "
                                         "--scanners vuln, grype -o cyclonedx-json)",
                                         spec_version_.empty() ? "" : spec_version_ + " "));
        }
        if (scanner_name_.empty()) {
            scanner_name_ = "cyclonedx";
        }
        report_.scanner = scanner_version_.empty() ? scanner_name_ : scanner_name_ + " " + scanner_version_;
        resolve();
        return std::move(report_);
    }

    void read_metadata(Value& metadata) {
        cursor_.for_each_field(metadata, [&](std::string_view key, Value& value) {
            if (key == "tools") {
                // 1.4: [{vendor, name, version}]; 1.5 and later: {components: [...], services: [...]}.
                if (cursor_.type_of(value) == Type::array) {
                    cursor_.for_each_element(value, [&](Value& tool) { read_tool(tool); });
                } else {
                    cursor_.for_each_field(value, [&](std::string_view tools_key, Value& tools_value) {
                        if (tools_key == "components" || tools_key == "services") {
                            cursor_.for_each_element(tools_value, [&](Value& tool) { read_tool(tool); });
                        }
                    });
                }
            } else if (key == "component") {
                std::string_view type;
                const ComponentFields component = read_component(value, &type);
                image_ = type == "container";
                target_ = std::string(component.group).append(group_separator(component)).append(component.name);
                if (!component.version.empty()) {
                    target_.append(" ").append(component.version);
                }
                register_fields(component);
            }
        });
    }

    void read_tool(Value& tool) {
        std::string name;
        std::string version;
        cursor_.for_each_field(tool, [&](std::string_view key, Value& value) {
            if (key == "name") {
                cursor_.read_string_into(value, name);
            } else if (key == "version") {
                cursor_.read_string_into(value, version);
            }
        });
        if (scanner_name_.empty() && !name.empty()) {
            scanner_name_ = std::move(name);
            scanner_version_ = std::move(version);
        }
    }

    void read_components(Value& components) {
        cursor_.for_each_element(components, [&](Value& component_value) { register_component(component_value); });
    }

    void register_component(Value& component_value) { register_fields(read_component(component_value)); }

    // What a component says of itself, as views into the document (valid while its fragment is).
    struct ComponentFields {
        std::string_view ref;
        std::string_view group;
        std::string_view name;
        std::string_view version;
        std::string_view purl;
    };

    void register_fields(const ComponentFields& component) {
        if (component.ref.empty()) {
            return;
        }
        if (!cyclonedx::ComponentRegistry::fits(component.ref.size(),
                                                component.group.size() + 1 + component.name.size(),
                                                component.version.size(), component.purl.size())) {
            cursor_.fail("a component whose texts are too long to keep");
        }
        components_.add(component.ref, {component.group, group_separator(component), component.name},
                        component.version, component.purl);
    }

    // The component's bom-ref and identity; nested components[] are registered on the way.
    // `type`, when given, receives the component's type.
    ComponentFields read_component(Value& value, std::string_view* type = nullptr) {
        ComponentFields component;
        const auto read_into = [&](Value& field, std::string_view& out) {
            if (const auto text = cursor_.read_string(field)) {
                out = *text;
            }
        };
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "bom-ref") {
                read_into(field, component.ref);
            } else if (key == "group") {
                read_into(field, component.group);
            } else if (key == "name") {
                read_into(field, component.name);
            } else if (key == "version") {
                read_into(field, component.version);
            } else if (key == "purl") {
                read_into(field, component.purl);
            } else if (key == "components") {
                read_components(field);
            } else if (key == "type" && type != nullptr) {
                read_into(field, *type);
            }
        });
        return component;
    }

    // A component's name is its group, this, and its name: Maven coordinates read group:artifact (as
    // Trivy and Grype name them); npm scopes @scope/name.
    static std::string_view group_separator(const ComponentFields& component) {
        if (component.group.empty()) return {};
        return component.purl.starts_with("pkg:maven/") ? ":" : "/";
    }

    void read_vulnerability(Value& vulnerability) {
        // Kept where it ends up, everything but the package until its references are resolved: a
        // second copy of every finding would cost as much memory again.
        Finding& finding = report_.findings.emplace_back();
        std::vector<std::string>& refs = refs_.emplace_back();
        finding.kind = FindingKind::Vulnerability;
        std::vector<Rating> ratings;
        std::vector<std::string> cwes;
        std::string source_url;
        std::string advisory_url;
        std::string description;
        cursor_.for_each_field(vulnerability, [&](std::string_view key, Value& value) {
            if (key == "id") {
                cursor_.read_string_into(value, finding.id);
            } else if (key == "source") {
                cursor_.for_each_field(value, [&](std::string_view source_key, Value& source_value) {
                    if (source_key == "url") {
                        cursor_.read_string_into(source_value, source_url);
                    }
                });
            } else if (key == "references") {
                // The same vulnerability in other databases (CycloneDX: "references" to it).
                cursor_.for_each_element(value, [&](Value& reference) {
                    cursor_.for_each_field(reference, [&](std::string_view reference_key, Value& reference_value) {
                        if (reference_key == "id") {
                            if (const auto id = cursor_.read_string(reference_value)) {
                                add_alias(finding, *id);
                            }
                        }
                    });
                });
            } else if (key == "ratings") {
                cursor_.for_each_element(value, [&](Value& rating) { ratings.push_back(read_rating(rating)); });
            } else if (key == "cwes") {
                cursor_.for_each_element(value, [&](Value& cwe) {
                    if (const auto number = cursor_.read_number(cwe)) {
                        cwes.push_back(fmt::format("CWE-{}", static_cast<long long>(*number)));
                    }
                });
            } else if (key == "description") {
                cursor_.read_string_into(value, description);
            } else if (key == "detail" && description.empty()) {
                cursor_.read_string_into(value, description);
            } else if (key == "recommendation") {
                if (const auto text = cursor_.read_string(value)) {
                    finding.fixed_version = fixed_versions_from(*text);
                }
            } else if (key == "advisories") {
                cursor_.for_each_element(value, [&](Value& advisory) {
                    cursor_.for_each_field(advisory, [&](std::string_view advisory_key, Value& advisory_value) {
                        if (advisory_key == "url" && advisory_url.empty()) {
                            cursor_.read_string_into(advisory_value, advisory_url);
                        }
                    });
                });
            } else if (key == "analysis") {
                finding.vex_analysis = read_analysis(value);
            } else if (key == "affects") {
                cursor_.for_each_element(value, [&](Value& affected) {
                    cursor_.for_each_field(affected, [&](std::string_view affected_key, Value& affected_value) {
                        if (affected_key == "ref") {
                            if (const auto ref = cursor_.read_string(affected_value)) {
                                refs.emplace_back(*ref);
                            }
                        }
                    });
                });
            }
        });
        if (finding.id.empty()) {
            cursor_.fail("a vulnerability without an `id`: expected a string such as \"CVE-2021-44228\"");
        }
        finding.title = first_line(description);
        finding.url = advisory_url.empty() ? source_url : advisory_url;
        if (!finding.fixed_version.empty()) {
            finding.fix_state = FixState::Fixed;
        }
        std::string message;
        for (const std::string& cwe : cwes) {
            message += (message.empty() ? "" : ", ") + cwe;
        }
        const std::string decided = rate(ratings, finding);
        if (!decided.empty()) {
            message += (message.empty() ? "" : "; ") + decided;
        }
        finding.message = std::move(message);
        tidy_aliases(finding);
    }

    Rating read_rating(Value& value) {
        Rating rating;
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "source") {
                cursor_.for_each_field(field, [&](std::string_view source_key, Value& source_value) {
                    if (source_key == "name") {
                        cursor_.read_string_into(source_value, rating.source);
                    }
                });
            } else if (key == "method") {
                cursor_.read_string_into(field, rating.method);
            } else if (key == "score") {
                rating.score = cursor_.read_number(field);
            } else if (key == "severity") {
                if (const auto text = cursor_.read_string(field)) {
                    rating.severity = parse_severity(*text);
                }
            }
        });
        return rating;
    }

    // Sets severity and score from the most trusted rating; returns what the message says about it.
    static std::string rate(const std::vector<Rating>& ratings, Finding& finding) {
        const Rating* best = nullptr;
        for (const Rating& rating : ratings) {
            // A rating that stands for no severity (an EPSS probability, a KEV flag) decides nothing.
            if (!severity_of(rating)) {
                continue;
            }
            if (best == nullptr) {
                best = &rating;
                continue;
            }
            const int rank = method_rank(rating.method);
            const int best_rank = method_rank(best->method);
            if (rank != best_rank) {
                if (rank > best_rank) {
                    best = &rating;
                }
                continue;
            }
            const double score = rating.score.value_or(-1.0);
            const double best_score = best->score.value_or(-1.0);
            if (score != best_score) {
                if (score > best_score) {
                    best = &rating;
                }
                continue;
            }
            if (severity_of(rating).value_or(Severity::Unknown) > severity_of(*best).value_or(Severity::Unknown)) {
                best = &rating;
            }
        }
        if (best == nullptr) {
            return {};
        }
        finding.severity = severity_of(*best).value_or(Severity::Unknown);
        if (best->score && is_cvss(best->method)) {
            finding.cvss_score = best->score;
        }
        std::string which = best->method.empty() ? "a rating without method" : "the " + best->method + " rating";
        if (!best->source.empty()) {
            which += " of " + best->source;
        }
        if (best->score) {
            which += fmt::format(" (score {})", *best->score);
        }
        return "severity from " + which;
    }

    // "not_affected (code_not_reachable): detail" when the state waives, else empty.
    std::string read_analysis(Value& value) {
        std::string state;
        std::string justification;
        std::string detail;
        std::vector<std::string> responses;
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "state") {
                cursor_.read_string_into(field, state);
            } else if (key == "justification") {
                cursor_.read_string_into(field, justification);
            } else if (key == "detail") {
                if (const auto text = cursor_.read_string(field)) {
                    detail = first_line(*text);
                }
            } else if (key == "response") {
                cursor_.for_each_element(field, [&](Value& response) {
                    if (const auto text = cursor_.read_string(response)) {
                        responses.emplace_back(*text);
                    }
                });
            }
        });
        if (state != "not_affected" && state != "false_positive" && state != "resolved" &&
            state != "resolved_with_pedigree") {
            return {};
        }
        std::string text = state;
        if (!justification.empty()) {
            text += " (" + justification + ")";
        }
        if (!detail.empty()) {
            text += ": " + detail;
        }
        return text;
    }

    void resolve() {
        // The components the vulnerabilities name, found in one pass over those registered (the first
        // registered under a bom-ref wins): a BOM lists far more components than it has findings
        // (156,225 against 5,457 in the bench's), so indexing every one of them cost more than reading them.
        NamedComponents named;
        for (const std::vector<std::string>& refs : refs_) {
            for (const std::string& ref : refs) {
                named.try_emplace(ref, std::nullopt);
            }
        }
        components_.for_each([&](const cyclonedx::ComponentRegistry::Texts& component) {
            if (const auto it = named.find(component.ref); it != named.end() && !it->second) {
                it->second = component;
            }
        });
        // A finding per affected reference: in place where each vulnerability names at most one.
        const bool one_each =
            std::all_of(refs_.begin(), refs_.end(), [](const std::vector<std::string>& refs) { return refs.size() <= 1; });
        if (one_each) {
            for (std::size_t i = 0; i < refs_.size(); ++i) {
                complete(report_.findings[i], refs_[i].empty() ? nullptr : &refs_[i].front(), named);
            }
        } else {
            FindingList read = std::move(report_.findings);
            report_.findings.clear();
            for (std::size_t i = 0; i < refs_.size(); ++i) {
                const std::vector<std::string>& refs = refs_[i];
                if (refs.empty()) {
                    complete(read[i], nullptr, named);
                    report_.findings.push_back(std::move(read[i]));
                    continue;
                }
                for (std::size_t j = 0; j < refs.size(); ++j) {
                    Finding finding = j + 1 == refs.size() ? std::move(read[i]) : read[i];
                    complete(finding, &refs[j], named);
                    report_.findings.push_back(std::move(finding));
                }
            }
        }
        refs_.clear();
    }

    using NamedComponents = std::unordered_map<std::string_view, std::optional<cyclonedx::ComponentRegistry::Texts>>;

    // The finding of the component `ref` names (a component of this BOM, else what the reference
    // itself says), or of none.
    void complete(Finding& finding, const std::string* ref, const NamedComponents& named) {
        if (ref != nullptr) {
            if (const auto it = named.find(*ref); it != named.end() && it->second) {
                set_component(finding, AffectedComponent{it->second->name, it->second->version, it->second->purl});
            } else {
                const Component outside = component_from_reference(*ref);
                set_component(finding, AffectedComponent{outside.name, outside.version, outside.purl});
            }
        }
        finding.target = shared(shared_target_, target_);
        finding.scanner = shared(shared_scanner_, scanner_name_);
        finding.source_file = shared(shared_source_file_, report_.path);
        if (image_ && is_os_package(finding.purl)) {
            finding.origin = PackageOrigin::Image;
        } else {
            finding.origin = PackageOrigin::Dependency;
            finding.dependency_file = report_.path;
        }
    }

    struct AffectedComponent {
        std::string_view name;
        std::string_view version;
        std::string_view purl;
    };

    static void set_component(Finding& finding, const AffectedComponent& component) {
        finding.package = component.name;
        finding.version = component.version;
        finding.purl = component.purl;
    }

    JsonCursor cursor_;
    Report report_;
    // The text of `current` shared by the findings, made again only when `current` changes.
    static const SharedText& shared(SharedText& held, const std::string& current) {
        if (held != current) held = current;
        return held;
    }

    std::string scanner_name_;
    SharedText shared_scanner_;
    SharedText shared_target_;
    SharedText shared_source_file_;
    std::string scanner_version_;
    std::string target_;
    bool image_ = false;  // the BOM describes a container image
    bool has_vulnerabilities_ = false;
    std::string spec_version_;
    cyclonedx::ComponentRegistry components_;
    // The references of each finding read (report_.findings, in order), resolved at the end.
    std::vector<std::vector<std::string>> refs_;
};

}  // namespace

Report read_cyclonedx_report(JsonDocument& document) { return CycloneDxReader(document).read(); }

Report read_cyclonedx_report(JsonStream& stream) {
    JsonDocument document(stream.name(), JsonDocument::Fragments{});
    return CycloneDxReader(document).read(stream);
}

}  // namespace gantry
