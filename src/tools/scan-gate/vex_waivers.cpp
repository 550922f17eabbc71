#include "scan-gate/vex_waivers.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "gantry/findings/report_formats.hpp"
#include "gantry/vex/package_url.hpp"

namespace scan_gate {

using gantry::VexDocument;
using gantry::VexStatement;

namespace {

CalendarDate calendar_date(std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd{day};
    return CalendarDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                        static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

bool share_id(const VexStatement& a, const VexStatement& b) {
    return std::any_of(a.vulnerability_ids.begin(), a.vulnerability_ids.end(), [&](const std::string& x) {
        return std::any_of(b.vulnerability_ids.begin(), b.vulnerability_ids.end(),
                           [&](const std::string& y) { return gantry::equals_ignoring_case(x, y); });
    });
}

bool share_product(const VexStatement& a, const VexStatement& b) {
    return std::any_of(a.products.begin(), a.products.end(), [&](const std::string& x) {
        return std::any_of(b.products.begin(), b.products.end(), [&](const std::string& y) {
            return x == y || gantry::package_url_matches(x, y) || gantry::package_url_matches(y, x);
        });
    });
}

struct Placed {
    const VexDocument* document;
    const VexStatement* statement;
    std::tuple<std::chrono::sys_days, std::size_t, std::size_t> order;  // date, document, statement
};

std::string where(const VexDocument& document, const VexStatement& statement) {
    return document.path + "#" + statement.pointer;
}

std::string reason_for(const VexStatement& statement) {
    std::string reason = "VEX " + std::string(gantry::to_string(statement.status));
    if (!statement.justification.empty()) reason += ": " + statement.justification;
    if (!statement.impact_statement.empty()) reason += " - " + statement.impact_statement;
    return reason;
}

}  // namespace

std::vector<VexDocument> load_vex_files(const std::vector<std::string>& paths) {
    std::vector<VexDocument> documents;
    documents.reserve(paths.size());
    for (const auto& path : paths) documents.push_back(gantry::read_vex_document(path));
    return documents;
}

VexWaivers vex_waivers(const std::vector<VexDocument>& documents, std::optional<int> max_age_days) {
    std::vector<Placed> placed;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        for (std::size_t s = 0; s < documents[d].statements.size(); ++s) {
            const VexStatement& statement = documents[d].statements[s];
            placed.push_back({&documents[d], &statement,
                              {statement.date.value_or(std::chrono::sys_days::min()), d, s}});
        }
    }
    VexWaivers out;
    for (const Placed& p : placed) {
        const VexStatement& statement = *p.statement;
        if (gantry::effect_of(statement.status) != gantry::VexEffect::Waives) continue;
        const auto later = std::find_if(placed.begin(), placed.end(), [&](const Placed& other) {
            return other.order > p.order && gantry::effect_of(other.statement->status) == gantry::VexEffect::WaivesNothing &&
                   share_id(statement, *other.statement) && share_product(statement, *other.statement);
        });
        if (later != placed.end()) {
            out.warnings.push_back("VEX statement for " + statement.vulnerability_ids.front() + " (" +
                                   where(*p.document, statement) + ") is superseded by a later " +
                                   std::string(gantry::to_string(later->statement->status)) + " statement (" +
                                   where(*later->document, *later->statement) + ") and waives nothing");
            continue;
        }
        Waiver w;
        w.id = statement.vulnerability_ids.front();
        w.aliases.assign(statement.vulnerability_ids.begin() + 1, statement.vulnerability_ids.end());
        w.purls = statement.products;
        w.reason = reason_for(statement);
        w.format = p.document->format == gantry::VexFormat::OpenVex ? WaiverFormat::OpenVex : WaiverFormat::CycloneDxVex;
        w.file = p.document->path;
        w.pointer = statement.pointer;
        w.kind = gantry::FindingKind::Vulnerability;
        VexNote note{.status = std::string(gantry::to_string(statement.status)),
                     .justification = statement.justification,
                     .impact_statement = statement.impact_statement};
        if (statement.date) note.date = calendar_date(*statement.date);
        w.vex = std::move(note);
        if (max_age_days) {
            if (statement.date) {
                w.expires = calendar_date(*statement.date + std::chrono::days{*max_age_days});
            } else {
                out.warnings.push_back("VEX statement for " + w.id + " (" + w.where() +
                                       ") has no timestamp, nor has its document: vex-max-age cannot age it, so it "
                                       "applies without expiry");
            }
        }
        if (w.purls.empty()) continue;  // refs that name no package: it can cover nothing (the match warning says so)
        out.waivers.push_back(std::move(w));
    }
    return out;
}

std::vector<VexDocumentInfo> match_vex_documents(const std::vector<VexDocument>& documents,
                                                 const gantry::FindingList& findings,
                                                 std::vector<std::string>& warnings) {
    std::vector<VexDocumentInfo> infos;
    for (const auto& document : documents) {
        VexDocumentInfo info{.path = document.path, .format = document.format, .statements = document.statements.size()};
        for (const auto& finding : findings) {
            if (std::any_of(document.statements.begin(), document.statements.end(),
                            [&](const VexStatement& s) { return gantry::vex_statement_covers(s, finding); })) {
                ++info.findings_covered;
            }
        }
        if (info.findings_covered == 0) {
            std::size_t unresolved = 0;
            for (const auto& s : document.statements) unresolved += s.unresolved_refs.size();
            std::string why = document.statements.empty()
                                  ? "it has no statements"
                                  : "no statement names a finding's vulnerability id (or alias) together with its "
                                    "package purl";
            if (unresolved > 0) {
                why += "; " + std::to_string(unresolved) + (unresolved == 1 ? " ref names" : " refs name") +
                       " no component with a purl";
            }
            warnings.push_back("VEX document " + document.path + " matches none of the findings (" + why + ")");
        }
        infos.push_back(std::move(info));
    }
    return infos;
}

}  // namespace scan_gate
