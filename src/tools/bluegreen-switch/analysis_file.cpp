#include "bluegreen-switch/analysis_file.hpp"

#include <algorithm>
#include <filesystem>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"
#include "gantry/config/yaml_input.hpp"

namespace bluegreen_switch {

namespace {

std::chrono::milliseconds duration(const gantry::YamlInput& yaml, const YAML::Node& node, const std::string& key) {
    const std::string text = yaml.scalar(node, key);
    std::chrono::milliseconds value{0};
    try {
        value = gantry::checks::parse_duration(text);
    } catch (const gantry::ValueError& error) {
        yaml.fail(node, key, std::string("expected a duration such as 2s or 500ms: ") + error.what());
    }
    if (value.count() <= 0) yaml.fail(node, key, "expected a duration above 0, such as 2s");
    return value;
}

MetricSpec read_metric(const gantry::YamlInput& yaml, const YAML::Node& node, const std::string& where) {
    yaml.expect_map(node, where);
    MetricSpec metric;
    std::optional<std::string> kind;
    std::optional<std::string> figure;
    bool has_condition = false;
    std::optional<YAML::Node> figure_node;
    std::optional<YAML::Node> file_node;
    const std::filesystem::path base = std::filesystem::path(yaml.name()).parent_path();
    yaml.read_fields(node, where,
                     {{"name", [&](const YAML::Node& v, const std::string& k) { metric.name = yaml.scalar(v, k); }},
                      {"kind", [&](const YAML::Node& v, const std::string& k) {
                           kind = yaml.scalar(v, k);
                           if (*kind == "prometheus") metric.kind = MetricKind::Prometheus;
                           else if (*kind == "witness") metric.kind = MetricKind::Witness;
                           else if (*kind == "checks") metric.kind = MetricKind::Checks;
                           else yaml.fail(v, k, "unknown metric kind '" + *kind + "': expected prometheus, witness or checks");
                       }},
                      {"query", [&](const YAML::Node& v, const std::string& k) { metric.query = yaml.scalar(v, k); }},
                      {"file", [&](const YAML::Node& v, const std::string& k) {
                           const std::string path = yaml.scalar(v, k);
                           if (path.empty()) yaml.fail(v, k, "expected the path of a smoke-test check file");
                           file_node = v;
                           // Relative to the analysis file, so that the two can be kept side by side.
                           metric.check_file = (base / path).lexically_normal().string();
                           metric.check_file_at = {.file = yaml.name(),
                                                   .line = v.Mark().is_null() ? 0 : v.Mark().line + 1,
                                                   .column = v.Mark().is_null() ? 0 : v.Mark().column + 1};
                       }},
                      {"figure", [&](const YAML::Node& v, const std::string& k) {
                           figure = yaml.scalar(v, k);
                           figure_node = v;
                           if (*figure == "error-rate") metric.figure = WitnessFigure::ErrorRate;
                           else if (*figure == "p95-latency") metric.figure = WitnessFigure::P95Latency;
                           else yaml.fail(v, k, "unknown witness figure '" + *figure + "': expected error-rate or p95-latency");
                       }},
                      {"condition", [&](const YAML::Node& v, const std::string& k) {
                           has_condition = true;
                           ParsedCondition parsed = parse_condition(yaml.scalar(v, k));
                           if (!parsed.condition) yaml.fail(v, k, parsed.problem);
                           metric.condition = *parsed.condition;
                       }},
                      {"interval", [&](const YAML::Node& v, const std::string& k) { metric.interval = duration(yaml, v, k); }},
                      {"count", [&](const YAML::Node& v, const std::string& k) {
                           metric.count = static_cast<int>(std::min<long long>(yaml.integer(v, k, 1), 1000000));
                       }},
                      {"failure-limit", [&](const YAML::Node& v, const std::string& k) {
                           metric.failure_limit = static_cast<int>(std::min<long long>(yaml.integer(v, k, 0), 1000000));
                       }},
                      {"inconclusive", [&](const YAML::Node& v, const std::string& k) {
                           const std::string text = yaml.scalar(v, k);
                           if (text == "fail") metric.inconclusive = InconclusivePolicy::Fail;
                           else if (text == "pass") metric.inconclusive = InconclusivePolicy::Pass;
                           else if (text == "retry") metric.inconclusive = InconclusivePolicy::Retry;
                           else yaml.fail(v, k, "expected fail, pass or retry, found '" + text + "'");
                       }}});
    if (metric.name.empty()) yaml.fail(node, where, "expected a name: a metric needs one (for the report and failed-metric)");
    if (!kind) yaml.fail(node, where + " (" + metric.name + ")", "expected kind: prometheus, kind: witness or kind: checks");
    if (metric.kind == MetricKind::Checks) {
        if (!file_node) yaml.fail(node, where + " (" + metric.name + ")", "a checks metric expects file: the path of a smoke-test check file");
        if (figure) yaml.fail(*figure_node, where + ".figure", "figure belongs to witness metrics; a checks metric has a file");
        if (!metric.query.empty()) yaml.fail(node["query"], where + ".query", "query belongs to prometheus metrics; a checks metric has a file");
        // The result is how many checks failed: none may, unless the metric gives its own condition.
        if (!has_condition) metric.condition = Condition{.comparison = Comparison::Equal, .threshold = 0};
        return metric;
    }
    if (file_node) yaml.fail(*file_node, where + ".file", "file belongs to checks metrics (kind: checks)");
    if (!has_condition) yaml.fail(node, where + " (" + metric.name + ")", "expected a condition such as 'result < 0.01'");
    if (metric.kind == MetricKind::Prometheus && metric.query.empty()) {
        yaml.fail(node, where + " (" + metric.name + ")", "a prometheus metric expects a query (PromQL)");
    }
    if (metric.kind == MetricKind::Prometheus && figure) {
        yaml.fail(*figure_node, where + ".figure", "figure belongs to witness metrics; a prometheus metric has a query");
    }
    if (metric.kind == MetricKind::Witness && !figure) {
        yaml.fail(node, where + " (" + metric.name + ")", "a witness metric expects figure: error-rate or p95-latency");
    }
    if (metric.kind == MetricKind::Witness && !metric.query.empty()) {
        yaml.fail(node["query"], where + ".query", "query belongs to prometheus metrics; a witness metric has a figure");
    }
    return metric;
}

}  // namespace

bool AnalysisSpec::uses_prometheus() const {
    return std::any_of(metrics.begin(), metrics.end(), [](const MetricSpec& m) { return m.kind == MetricKind::Prometheus; });
}

AnalysisSpec parse_analysis(std::string_view text, const std::string& file_name) {
    const gantry::YamlInput yaml(file_name);
    const YAML::Node root = yaml.parse(std::string(text));
    AnalysisSpec spec;
    spec.file = file_name;
    if (!root.IsDefined() || root.IsNull()) {
        throw gantry::InputError(gantry::SourcePosition{.file = file_name}, "the analysis file is empty: expected metrics: [...]");
    }
    yaml.expect_map(root, "");
    bool has_metrics = false;
    yaml.read_fields(root, "",
                     {{"token-env", [&](const YAML::Node& v, const std::string& k) { spec.token_env = yaml.scalar(v, k); }},
                      {"metrics", [&](const YAML::Node& v, const std::string& k) {
                           has_metrics = true;
                           if (!v.IsSequence() || v.size() == 0) yaml.fail(v, k, "expected a list of at least one metric");
                           for (std::size_t i = 0; i < v.size(); ++i) {
                               MetricSpec metric = read_metric(yaml, v[i], k + "[" + std::to_string(i) + "]");
                               for (const auto& other : spec.metrics) {
                                   if (other.name == metric.name) {
                                       yaml.fail(v[i], k + "[" + std::to_string(i) + "]", "a second metric named '" + metric.name + "': expected unique names");
                                   }
                               }
                               spec.metrics.push_back(std::move(metric));
                           }
                       }}});
    if (!has_metrics) yaml.fail(root, "", "expected metrics: a list of metrics to measure");
    return spec;
}

AnalysisSpec read_analysis_file(const std::string& path) {
    return parse_analysis(gantry::read_file(path), path);
}

const char* to_string(WitnessFigure figure) { return figure == WitnessFigure::ErrorRate ? "error-rate" : "p95-latency"; }
const char* to_string(MetricKind kind) {
    switch (kind) {
        case MetricKind::Prometheus: return "prometheus";
        case MetricKind::Witness: return "witness";
        case MetricKind::Checks: return "checks";
    }
    return "";
}

}  // namespace bluegreen_switch
