// `smoke-test load` and `smoke-test load merge`: the testable entry points of the load test.
//
// load_options_from_inputs() validates everything before a request is sent (a rate without a
// duration, a threshold with a syntax error or an unknown metric, a threshold on an unknown check:
// UsageError, exit 2). run_load_test() reads the checks as the plain run does, sends the load
// (load_runner), and returns the Outcome: text, JSON, step summary with a threshold table and a
// latency-over-time chart, JUnit (one test case per threshold), outputs, and the --histogram-out
// file that `load merge` combines. Exit 1 when a threshold failed. A run stopped by Ctrl-C reports
// what it measured and says it is partial.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "gantry/cli/inputs.hpp"
#include "gantry/cli/outcome.hpp"
#include "gantry/platform/environment.hpp"
#include "smoke-test/load_plan.hpp"
#include "smoke-test/load_result.hpp"
#include "smoke-test/load_threshold.hpp"
#include "smoke-test/smoke_test.hpp"

namespace smoke_test::load {

enum class AbortPolicy { RunToEnd, AbortOnFail };

struct LoadOptions {
    Options checks;                       // file, check, var, secret-var, base-url, cacert, timeout
    Model model = Model::Open;
    std::optional<double> rate;           // --rate
    std::vector<Stage> stages;            // --stages (or the constant rate over --duration)
    int users = 0;                        // --vus
    Milliseconds duration{0};
    std::size_t max_in_flight = 1000;
    int host_connections = 0;
    std::vector<Threshold> thresholds;
    AbortPolicy abort = AbortPolicy::RunToEnd;
    std::string histogram_out;
    std::string junit_file;
};

struct MergeOptions {
    std::vector<std::string> files;
    std::vector<Threshold> thresholds;
    std::string junit_file;
};

LoadOptions load_options_from_inputs(const gantry::CommandLine& command_line);
MergeOptions merge_options_from_inputs(const gantry::CommandLine& command_line);

// `interrupted` is set by the caller's signal handler (Ctrl-C).
gantry::Outcome run_load_test(const LoadOptions& options, const gantry::Environment& environment, const Progress& progress,
                              const std::atomic<bool>& interrupted);
gantry::Outcome run_merge(const MergeOptions& options);

// Everything a user sees, from a (possibly merged) result and the thresholds.
gantry::Outcome render_load_outcome(const LoadResult& result, const std::vector<Threshold>& thresholds,
                                    const std::string& junit_file);
// "http1 (shards 1, 3), libcurl (shards 2, 4)": which shard of the result went over which transport.
std::string transports_by_shard(const LoadResult& result);

}  // namespace smoke_test::load
