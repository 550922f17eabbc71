// CycloneDX VEX (JSON 1.4-1.6): a BOM whose vulnerabilities[] carry analysis.state. Each vulnerability
// with an analysis state is one statement; its ids are `id` and references[].id (the same issue in
// other databases), its products the purls its affects[].ref point at. Refs are resolved after the
// whole BOM is read, since components may come after vulnerabilities. A BOM with vulnerabilities but
// no analysis anywhere is a vulnerability report, not VEX, and one without vulnerabilities is an SBOM:
// both are refused with a message saying so.
#include <unordered_map>

#include <fmt/format.h>

#include "gantry/base/error.hpp"
#include "gantry/json/json_cursor.hpp"
#include "gantry/vex/package_url.hpp"
#include "gantry/vex/vex_document.hpp"
#include "vex_json_dates.hpp"

namespace gantry {
namespace {

using Value = JsonCursor::Value;

std::optional<VexStatus> cyclonedx_state(std::string_view text) {
    if (text == "not_affected") return VexStatus::NotAffected;
    if (text == "false_positive") return VexStatus::FalsePositive;
    if (text == "resolved") return VexStatus::Resolved;
    if (text == "resolved_with_pedigree") return VexStatus::ResolvedWithPedigree;
    if (text == "exploitable") return VexStatus::Exploitable;
    if (text == "in_triage") return VexStatus::InTriage;
    return std::nullopt;
}

struct PendingStatement {
    VexStatement statement;
    std::vector<std::string> refs;
    bool has_state = false;
};

class CycloneDxVexReader {
public:
    explicit CycloneDxVexReader(JsonDocument& document) : cursor_(document) {}

    VexDocument read() {
        VexDocument out;
        out.path = cursor_.document().name();
        out.format = VexFormat::CycloneDx;
        std::optional<std::chrono::sys_days> bom_day;
        bool has_vulnerabilities = false;
        auto root = cursor_.document().root_object();
        cursor_.for_each_field(root, [&](std::string_view key, Value& value) {
            if (key == "bomFormat") {
                const auto format = cursor_.read_string(value);
                if (format != std::optional<std::string_view>("CycloneDX")) cursor_.fail("expected \"CycloneDX\"");
            } else if (key == "serialNumber") {
                cursor_.read_string_into(value, out.id);
            } else if (key == "metadata") {
                cursor_.for_each_field(value, [&](std::string_view meta_key, Value& meta_value) {
                    if (meta_key == "timestamp") {
                        bom_day = read_day(meta_value);
                    } else if (meta_key == "component") {
                        read_component(meta_value);
                    }
                });
            } else if (key == "components") {
                cursor_.for_each_element(value, [&](Value& component) { read_component(component); });
            } else if (key == "vulnerabilities") {
                has_vulnerabilities = cursor_.type_of(value) != JsonCursor::Type::null;
                cursor_.for_each_element(value, [&](Value& vulnerability) { read_vulnerability(vulnerability); });
            }
        });
        if (!has_vulnerabilities) {
            throw InputError(SourcePosition{out.path},
                             "a CycloneDX BOM without vulnerabilities is an SBOM, not VEX: expected vulnerabilities[] "
                             "with analysis.state");
        }
        bool any_state = false;
        for (auto& pending : pending_) {
            if (!pending.has_state) continue;  // a reported vulnerability, not a statement about it
            any_state = true;
            for (const auto& ref : pending.refs) resolve(ref, pending.statement);
            if (!pending.statement.date) pending.statement.date = bom_day;
            out.statements.push_back(std::move(pending.statement));
        }
        if (!any_state && !pending_.empty()) {
            throw InputError(SourcePosition{out.path},
                             "no vulnerability in this CycloneDX BOM carries analysis.state: it is a vulnerability "
                             "report, not VEX (pass it as a report, or add analysis.state to make it VEX)");
        }
        return out;
    }

private:
    std::optional<std::chrono::sys_days> read_day(Value& value) { return read_rfc3339_day(cursor_, value); }

    void read_component(Value& value) {
        std::string bom_ref;
        std::string purl;
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "bom-ref") {
                cursor_.read_string_into(field, bom_ref);
            } else if (key == "purl") {
                cursor_.read_string_into(field, purl);
            } else if (key == "components") {
                cursor_.for_each_element(field, [&](Value& child) { read_component(child); });
            }
        });
        if (!bom_ref.empty()) purls_by_ref_[bom_ref] = purl;
    }

    void read_vulnerability(Value& value) {
        PendingStatement pending;
        pending.statement.pointer = cursor_.pointer();
        std::string id;
        std::vector<std::string> references;
        std::optional<std::chrono::sys_days> first_issued;
        std::optional<std::chrono::sys_days> last_updated;
        cursor_.for_each_field(value, [&](std::string_view key, Value& field) {
            if (key == "id") {
                cursor_.read_string_into(field, id);
            } else if (key == "references") {
                cursor_.for_each_element(field, [&](Value& reference) {
                    cursor_.for_each_field(reference, [&](std::string_view ref_key, Value& ref_value) {
                        if (ref_key == "id") {
                            if (const auto text = cursor_.read_string(ref_value)) references.emplace_back(*text);
                        }
                    });
                });
            } else if (key == "analysis") {
                cursor_.for_each_field(field, [&](std::string_view analysis_key, Value& analysis_value) {
                    if (analysis_key == "state") {
                        const auto text = cursor_.read_string(analysis_value);
                        if (!text) return;
                        const auto state = cyclonedx_state(*text);
                        if (!state) {
                            cursor_.fail(fmt::format("expected an analysis state: resolved, resolved_with_pedigree, "
                                                     "exploitable, in_triage, false_positive or not_affected, found \"{}\"",
                                                     *text));
                        }
                        pending.statement.status = *state;
                        pending.has_state = true;
                    } else if (analysis_key == "justification") {
                        cursor_.read_string_into(analysis_value, pending.statement.justification);
                    } else if (analysis_key == "detail") {
                        cursor_.read_string_into(analysis_value, pending.statement.impact_statement);
                    } else if (analysis_key == "firstIssued") {
                        first_issued = read_day(analysis_value);
                    } else if (analysis_key == "lastUpdated") {
                        last_updated = read_day(analysis_value);
                    }
                });
            } else if (key == "affects") {
                cursor_.for_each_element(field, [&](Value& affect) {
                    cursor_.for_each_field(affect, [&](std::string_view affect_key, Value& affect_value) {
                        if (affect_key == "ref") {
                            const auto ref = cursor_.read_string(affect_value);
                            if (!ref || ref->empty()) cursor_.fail("expected a ref naming a component (bom-ref or BOM-link)");
                            pending.refs.emplace_back(*ref);
                        }
                    });
                });
            }
        });
        if (pending.has_state) {
            if (id.empty()) cursor_.fail("a vulnerability with an analysis needs an id");
            if (pending.refs.empty()) cursor_.fail("a vulnerability with an analysis needs affects[].ref");
        }
        pending.statement.vulnerability_ids.push_back(id);
        for (auto& reference : references) {
            if (reference != id) pending.statement.vulnerability_ids.push_back(std::move(reference));
        }
        pending.statement.date = last_updated ? last_updated : first_issued;
        pending_.push_back(std::move(pending));
    }

    void resolve(const std::string& ref, VexStatement& statement) {
        if (const auto it = purls_by_ref_.find(ref); it != purls_by_ref_.end()) {
            if (it->second.empty()) {
                statement.unresolved_refs.push_back(ref);
            } else {
                statement.products.push_back(it->second);
            }
            return;
        }
        std::string candidate = ref;
        if (ref.starts_with("urn:cdx:")) {  // a BOM-link: its fragment is the percent-encoded bom-ref
            const auto hash = ref.find('#');
            candidate = hash == std::string::npos ? std::string() : percent_decode(std::string_view(ref).substr(hash + 1));
        }
        if (parse_package_url(candidate)) {
            statement.products.push_back(candidate);
        } else {
            statement.unresolved_refs.push_back(ref);
        }
    }

    JsonCursor cursor_;
    std::unordered_map<std::string, std::string> purls_by_ref_;
    std::vector<PendingStatement> pending_;
};

}  // namespace

VexDocument read_cyclonedx_vex(JsonDocument& document) { return CycloneDxVexReader(document).read(); }

}  // namespace gantry
