#include "smoke-test/load.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"
#include "gantry/findings/report_reader.hpp"
#include "smoke-test/load_runner.hpp"
#include "smoke-test/open_files.hpp"

namespace smoke_test::load {

using gantry::UsageError;

namespace {

std::vector<Threshold> read_thresholds(const gantry::Inputs& inputs) {
    std::vector<Threshold> thresholds;
    for (const auto& text : inputs.list("threshold")) {
        thresholds.push_back(parse_threshold(text));
    }
    return thresholds;
}

template <typename Parse>
auto parse_or_usage(const std::string& name, const std::string& text, Parse parse) {
    try {
        return parse(text);
    } catch (const gantry::ValueError& e) {
        throw UsageError(fmt::format("--{}: {}", name, e.what()));
    }
}

// What must be equal in every shard of one run, so that `load merge` can refuse strangers.
nlohmann::json plan_json(const LoadOptions& options, const std::vector<gantry::checks::Check>& checks) {
    nlohmann::json stages = nlohmann::json::array();
    for (const auto& stage : options.stages) stages.push_back({{"duration_ms", stage.duration.count()}, {"rate", stage.target}});
    nlohmann::json names = nlohmann::json::array();
    for (const auto& check : checks) names.push_back({{"name", check.name}, {"weight", check.weight}});
    nlohmann::json plan = {{"model", options.model == Model::Open ? "open" : "closed"}, {"checks", names},
                           {"max_in_flight", options.max_in_flight}};
    if (options.model == Model::Open) {
        plan["stages"] = stages;
        if (options.rate) plan["rate"] = *options.rate;
    } else {
        plan["vus"] = options.users;
        plan["duration_ms"] = options.duration.count();
    }
    return plan;
}

void check_threshold_targets(const std::vector<Threshold>& thresholds, const std::vector<std::string>& names) {
    for (const auto& threshold : thresholds) {
        if (threshold.check && std::find(names.begin(), names.end(), *threshold.check) == names.end()) {
            std::string known;
            for (const auto& name : names) known += (known.empty() ? "" : ", ") + name;
            throw UsageError(fmt::format("--threshold '{}': no check is named '{}' (checks: {})", threshold.text, *threshold.check, known));
        }
    }
}

class LiveLine {
public:
    explicit LiveLine(const Progress& progress) : progress_(progress) {}
    void update(const LoadResult& so_far, double elapsed) {
        if (!progress_.out || progress_.style == ProgressStyle::None) return;
        // On CI a line after the first second and then every 10 s; on a terminal it is redrawn every second.
        const long second = static_cast<long>(elapsed);
        if (progress_.style == ProgressStyle::PlainLines && second != 1 && second % 10 != 0) return;
        const CheckSeries all = so_far.overall();
        const std::string line = fmt::format("{:.0f}s  {:.0f} req/s  p95 {}  errors {}", elapsed,
                                             elapsed > 0 ? static_cast<double>(all.requests) / elapsed : 0.0,
                                             format_latency(static_cast<double>(all.latency.percentile(95))), all.error_count());
        *progress_.out << (progress_.style == ProgressStyle::LiveLine ? "\r\x1b[K" + line : line + "\n");
        progress_.out->flush();
    }
    void finish() {
        if (progress_.out && progress_.style == ProgressStyle::LiveLine) *progress_.out << "\r\x1b[K" << std::flush;
    }

private:
    Progress progress_;
};

}  // namespace

LoadOptions load_options_from_inputs(const gantry::CommandLine& command_line) {
    const gantry::Inputs& inputs = command_line.inputs;
    LoadOptions options;
    read_check_source_inputs(inputs, options.checks);
    options.checks.verbosity = command_line.verbosity;
    const auto text = [&](const char* name) -> std::optional<std::string> {
        auto value = inputs.get(name);
        if (value && value->empty()) return std::nullopt;
        return value;
    };
    const auto rate = text("rate");
    const auto stages = text("stages");
    const auto users = text("vus");
    const auto duration = text("duration");
    if ((rate ? 1 : 0) + (stages ? 1 : 0) + (users ? 1 : 0) != 1) {
        throw UsageError("give exactly one load model: --rate R/s --duration D (open), --stages D:R,... (open, ramping) "
                         "or --vus N --duration D (closed)");
    }
    if (duration) options.duration = parse_or_usage("duration", *duration, gantry::checks::parse_duration);
    if ((rate || users) && (!duration || options.duration.count() <= 0)) {
        throw UsageError(fmt::format("--{} needs --duration (e.g. --duration 30s): a load test always ends", rate ? "rate" : "vus"));
    }
    if (stages && duration) throw UsageError("--stages sets the duration itself: leave out --duration");
    if (rate) {
        options.rate = parse_or_usage("rate", *rate, parse_rate);
        options.stages = {Stage{options.duration, *options.rate}};
    } else if (stages) {
        options.stages = parse_or_usage("stages", *stages, parse_stages);
    } else {
        options.model = Model::Closed;
        options.users = static_cast<int>(whole_number(inputs, "vus", 1, 1));
    }
    options.max_in_flight = static_cast<std::size_t>(whole_number(inputs, "max-in-flight", 1, 1000));
    options.host_connections = static_cast<int>(whole_number(inputs, "host-connections", 0, 0));
    if (const auto shard = text("shard")) options.checks.shard = parse_shard(*shard);
    options.thresholds = read_thresholds(inputs);
    options.abort = inputs.flag("abort-on-fail") ? AbortPolicy::AbortOnFail : AbortPolicy::RunToEnd;
    options.histogram_out = inputs.get_or("histogram-out", "");
    options.junit_file = inputs.get_or("junit", "");
    return options;
}

MergeOptions merge_options_from_inputs(const gantry::CommandLine& command_line) {
    MergeOptions options;
    options.files = command_line.inputs.list("shards");
    if (options.files.empty()) throw UsageError("load merge: give the shard files (smoke-test load merge shard-*.json --threshold ...)");
    options.thresholds = read_thresholds(command_line.inputs);
    options.junit_file = command_line.inputs.get_or("junit", "");
    return options;
}

gantry::Outcome run_load_test(const LoadOptions& options, const gantry::Environment& environment, const Progress& progress,
                              const std::atomic<bool>& interrupted) {
    CheckSet set = read_checks(options.checks, environment);
    if (set.checks.empty()) throw UsageError("the check file has no checks");
    std::vector<std::string> names;
    for (const auto& check : set.checks) {
        names.push_back(check.name);
        if (check.kind == gantry::checks::CheckKind::Tcp) throw UsageError(fmt::format("check '{}': a load test sends HTTP requests, not TCP connects", check.name));
    }
    check_threshold_targets(options.thresholds, names);

    RunPlan plan;
    plan.model = options.model;
    plan.shard = options.checks.shard;
    plan.max_in_flight = options.max_in_flight;
    plan.connections_per_host = options.host_connections;
    plan.transport = choose_transport(set.checks, environment).transport;
    LoadResult result;
    result.transports[plan.shard.index] = to_string(plan.transport);
    result.plan = plan_json(options, set.checks);
    result.shard_count = plan.shard.count;
    result.shards = {plan.shard.index};
    if (plan.model == Model::Open) {
        // A constant rate starts at that rate; ramping stages start from 0.
        plan.schedule.emplace(options.rate.value_or(0.0), options.stages);
        const std::uint64_t total = plan.schedule->total();
        const auto index = static_cast<std::uint64_t>(plan.shard.index - 1);
        result.planned = total > index ? (total - index + static_cast<std::uint64_t>(plan.shard.count) - 1) / static_cast<std::uint64_t>(plan.shard.count) : 0;
    } else {
        plan.users = shard_users(options.users, plan.shard);
        plan.duration = options.duration;
        if (plan.users == 0) throw UsageError(fmt::format("shard {}/{} gets none of the {} virtual users", plan.shard.index, plan.shard.count, options.users));
    }

    // One socket per request in flight: the soft open-file limit goes up as far as the hard one allows.
    const std::size_t in_flight = plan.model == Model::Closed ? std::min(static_cast<std::size_t>(plan.users), plan.max_in_flight)
                                                              : plan.max_in_flight;
    const OpenFilesLimit files = raise_open_files_limit(in_flight + kFilesBesideRequests);
    std::optional<std::string> files_warning = open_files_warning(files, in_flight);
    plan.max_in_flight = std::min(plan.max_in_flight, in_flight_within(files, in_flight));

    LiveLine live(progress);
    RunHooks hooks;
    hooks.stop = [&](const LoadResult& so_far) -> std::optional<std::string> {
        if (interrupted.load()) return std::string("interrupted");
        if (options.abort != AbortPolicy::AbortOnFail) return std::nullopt;
        // Asked on every pass of the request loop: the series are read in place, and the overall one
        // (a sum of histograms) is built at most once per pass, only for a threshold that needs it.
        const CheckSeries no_requests;
        std::optional<CheckSeries> overall;
        for (const auto& threshold : options.thresholds) {
            const CheckSeries* series = &no_requests;
            std::uint64_t planned = so_far.planned;
            if (threshold.check) {
                const auto at = static_cast<std::size_t>(std::find(names.begin(), names.end(), *threshold.check) - names.begin());
                if (at < so_far.checks.size()) series = &so_far.checks[at];
                planned = 0;  // a check's share of the schedule is not tracked: only the whole run aborts early
            } else {
                if (!overall) overall = so_far.overall();
                series = &*overall;
            }
            if (can_no_longer_pass(threshold, *series, planned)) return "threshold '" + threshold.text + "' can no longer pass";
        }
        return std::nullopt;
    };
    hooks.on_second = [&](const LoadResult& so_far, double elapsed) { live.update(so_far, elapsed); };
    run_load(set.checks, plan, hooks, result);
    live.finish();

    gantry::Outcome outcome = render_load_outcome(result, options.thresholds, options.junit_file);
    if (!options.histogram_out.empty()) outcome.files.push_back({options.histogram_out, to_json(result).dump() + "\n"});
    outcome.warnings.insert(outcome.warnings.end(), set.warnings.begin(), set.warnings.end());
    if (files_warning) outcome.warnings.push_back(*files_warning);
    outcome.secrets = std::move(set.secrets);
    return outcome;
}

gantry::Outcome run_merge(const MergeOptions& options) {
    // A merge job downloads the shard artifacts into a directory; a runner cannot expand a glob.
    std::vector<std::string> files;
    for (const auto& path : gantry::expand_report_paths(options.files)) files.push_back(path.string());
    std::vector<LoadResult> shards;
    for (const auto& file : files) {
        nlohmann::json json;
        try {
            json = nlohmann::json::parse(gantry::read_file(file));
        } catch (const nlohmann::json::parse_error& e) {
            throw gantry::InputError(fmt::format("{}: not JSON ({})", file, e.what()));
        }
        shards.push_back(load_result_from_json(json, file));
    }
    const LoadResult merged = merge_shards(shards, files);
    std::vector<std::string> names;
    for (const auto& check : merged.checks) names.push_back(check.name);
    check_threshold_targets(options.thresholds, names);
    gantry::Outcome outcome = render_load_outcome(merged, options.thresholds, options.junit_file);
    if (merged.transport() == "mixed") {
        // Not refused: the plan is the same, only the client measuring differs (the check file's URLs
        // or a runner's proxy variables sent some shards over libcurl).
        outcome.warnings.push_back("the shards went over different transports (" + transports_by_shard(merged) +
                                   "): their latencies were measured by different HTTP clients");
    }
    return outcome;
}

}  // namespace smoke_test::load
