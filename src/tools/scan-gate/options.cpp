#include "scan-gate/options.hpp"

#include <cmath>

#include "gantry/base/error.hpp"

namespace scan_gate {

using gantry::InputSource;
using gantry::UsageError;

namespace {

bool given(const gantry::Inputs& inputs, const std::string& name) {
    return inputs.source(name) != InputSource::Default;
}

long long whole_number(const gantry::Inputs& inputs, const std::string& name, long long minimum) {
    const auto value = inputs.number(name);
    if (!value) return minimum;
    if (*value < static_cast<double>(minimum) || std::floor(*value) != *value || *value > 1e9) {
        throw UsageError("--" + name + " expects a whole number >= " + std::to_string(minimum));
    }
    return static_cast<long long>(*value);
}

}  // namespace

Options options_from_inputs(const gantry::Inputs& inputs, Color color) {
    Options options;
    options.color = color;
    options.reports = inputs.list("reports");
    if (options.reports.empty()) {
        throw UsageError("no reports given: pass report files, directories or globs as arguments "
                         "(or the `reports` input, INPUT_REPORTS)");
    }
    options.baseline_reports = inputs.list("baseline");
    options.waiver_files = inputs.list("waivers");
    options.vex_files = inputs.list("vex");
    options.policy_file = inputs.get("policy");
    if (options.policy_file && !options.policy_file->empty()) {
        options.policy = load_policy_file(*options.policy_file);
    } else {
        options.policy_file.reset();
    }
    Policy& policy = options.policy;

    if (given(inputs, "fail-on")) {
        const std::string text = *inputs.get("fail-on");
        policy.fail_on_configured = true;
        if (text == "none") {
            policy.fail_on.reset();
        } else {
            policy.fail_on = gantry::parse_severity(text);
            if (!policy.fail_on) throw UsageError("--fail-on: unknown severity '" + text + "'");
        }
    }
    if (given(inputs, "max")) {
        for (const auto& item : inputs.comma_list("max")) {
            const auto [severity, limit] = parse_budget(item);
            policy.budget(severity) = limit;
        }
    }
    if (given(inputs, "fixed-only")) {
        policy.fix_filter = inputs.flag("fixed-only") ? FixFilter::FixableOnly : FixFilter::AllFindings;
    }
    if (given(inputs, "min-cvss")) {
        const auto score = inputs.number("min-cvss");
        if (!score || *score < 0 || *score > 10) throw UsageError("--min-cvss expects a score between 0 and 10");
        policy.min_cvss = score;
    }
    if (given(inputs, "kinds")) {
        policy.kinds.clear();
        for (const auto& text : inputs.comma_list("kinds")) {
            const auto kind = gantry::parse_finding_kind(text);
            if (!kind) {
                throw UsageError("--kinds: unknown kind '" + text +
                                 "' (expected vulnerability, misconfiguration, secret, code or license)");
            }
            policy.kinds.push_back(*kind);
        }
    }
    if (given(inputs, "include-target")) policy.targets.include = inputs.list("include-target");
    if (given(inputs, "exclude-target")) policy.targets.exclude = inputs.list("exclude-target");
    if (given(inputs, "include-package")) policy.packages.include = inputs.list("include-package");
    if (given(inputs, "exclude-package")) policy.packages.exclude = inputs.list("exclude-package");
    if (given(inputs, "allow-permanent-waivers")) {
        policy.permanent_waivers =
            inputs.flag("allow-permanent-waivers") ? PermanentWaivers::Allowed : PermanentWaivers::Rejected;
    }
    if (given(inputs, "expiry-warning-days") || !options.policy_file) {
        policy.expiry_warning_days = static_cast<int>(whole_number(inputs, "expiry-warning-days", 0));
    }
    if (!policy.fail_on_configured && !policy.has_budget()) policy.fail_on = gantry::Severity::High;

    if (auto out = inputs.get("sarif-out"); out && !out->empty()) options.sarif_out = out;
    if (auto out = inputs.get("gitlab-out"); out && !out->empty()) options.gitlab_out = out;
    if (auto out = inputs.get("gitlab-dependency-out"); out && !out->empty()) options.gitlab_dependency_out = out;
    options.top = static_cast<std::size_t>(whole_number(inputs, "top", 0));
    if (auto today = inputs.get("today"); today && !today->empty()) {
        options.today = parse_calendar_date(*today);
        if (!options.today) throw UsageError("--today expects a date as YYYY-MM-DD, got '" + *today + "'");
    }
    return options;
}

}  // namespace scan_gate
