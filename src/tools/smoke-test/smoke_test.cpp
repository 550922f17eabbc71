#include "smoke-test/smoke_test.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <ostream>

#include <fmt/format.h>

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/checks/check_file.hpp"
#include "gantry/checks/check_runner.hpp"
#include "gantry/checks/check_secrets.hpp"
#include "gantry/platform/log_text.hpp"
#include "smoke-test/smoke_test_report.hpp"

namespace smoke_test {

using gantry::checks::Check;
using gantry::checks::CheckResult;

namespace {

class ProgressPrinter {
public:
    ProgressPrinter(const Progress& progress, std::size_t total, const std::vector<std::string>& secrets)
        : progress_(progress), total_(total), secrets_(secrets) {}

    void finished(const Check& check, const CheckResult& result) {
        ++done_;
        if (!result.passed) ++failed_;
        if (!progress_.out || progress_.style == ProgressStyle::None) return;
        std::ostream& out = *progress_.out;
        if (progress_.style == ProgressStyle::PlainLines) {
            out << gantry::mask_secrets(fmt::format("[{}/{}] {}\n", done_, total_, describe_result(check, result)), secrets_);
        } else {
            out << gantry::mask_secrets(fmt::format("\r\x1b[K[{}/{}] {} failed  last: {}", done_, total_, failed_,
                                                    gantry::log_text(check.name.substr(0, 60))), secrets_);
            if (done_ == total_) out << "\r\x1b[K";
        }
        out.flush();
    }

    void retrying(const Check& check, const gantry::checks::AttemptVerdict& verdict, Milliseconds delay) {
        if (!progress_.out || progress_.style != ProgressStyle::PlainLines) return;
        *progress_.out << gantry::mask_secrets(fmt::format("retry {} in {} ms: {}\n", gantry::log_text(check.name), delay.count(),
                                                           gantry::log_text(verdict.failures.empty() ? "failed" : verdict.failures.front())),
                                               secrets_);
        progress_.out->flush();
    }

    void add_secrets(const std::vector<std::string>& more) { secrets_.insert(secrets_.end(), more.begin(), more.end()); }

private:
    Progress progress_;
    std::size_t total_;
    std::vector<std::string> secrets_;
    std::size_t done_ = 0;
    std::size_t failed_ = 0;
};

}  // namespace

CheckSet read_checks(const Options& options, const gantry::Environment& environment) {
    gantry::checks::Variables variables(environment);
    for (const auto& assignment : options.variables) variables.define(assignment);
    for (const auto& name : options.secret_variables) variables.mark_secret(name);

    gantry::checks::CheckDefaults defaults;
    try {
        defaults.base_url = variables.expand(options.base_url);
    } catch (const gantry::ValueError& e) {
        throw gantry::UsageError(std::string("--base-url: ") + e.what());
    }
    if (!options.ca_file.empty() && !std::filesystem::is_regular_file(options.ca_file)) {
        throw gantry::UsageError("--cacert: " + options.ca_file + " is not a readable file");
    }
    defaults.ca_file = options.ca_file;
    defaults.timeout = options.timeout;
    defaults.retry.base_delay = options.retry_delay;
    defaults.retry.max_delay = options.max_retry_delay;
    defaults.retry.consecutive = options.consecutive;
    defaults.attempts_override = options.attempts;
    if (options.retry_on) defaults.retry_on_override = gantry::checks::parse_retry_on(*options.retry_on);

    std::vector<Check> checks;
    std::vector<std::string> warnings;
    if (!options.check_file.empty()) {
        gantry::checks::CheckSuite suite =
            gantry::checks::read_check_file(gantry::read_file(options.check_file), options.check_file, variables, defaults);
        checks = std::move(suite.checks);
        warnings = std::move(suite.warnings);
    }
    for (std::size_t i = 0; i < options.inline_checks.size(); ++i) {
        checks.push_back(gantry::checks::parse_inline_check(options.inline_checks[i], static_cast<int>(i + 1), variables, defaults));
        const Check& check = checks.back();
        if (check.request.verification == gantry::http::TlsVerification::Insecure) {
            warnings.push_back(check.declared_at.describe() + ": check '" + check.name +
                               "' does not verify the TLS certificate (insecure)");
        }
    }
    gantry::checks::make_names_unique(checks);
    std::vector<std::string> secrets = variables.secrets();
    for (const auto& check : checks) gantry::checks::collect_credentials(check, secrets);
    gantry::checks::normalise_secrets(secrets);
    return CheckSet{std::move(checks), std::move(warnings), std::move(secrets)};
}

gantry::Outcome run(const Options& options, const gantry::Environment& environment, const Progress& progress) {
    CheckSet set = read_checks(options, environment);
    std::vector<Check> checks = std::move(set.checks);
    std::vector<std::string> warnings = std::move(set.warnings);
    if (options.shard.count > 1) {
        std::vector<Check> mine;
        for (std::size_t i = 0; i < checks.size(); ++i) {
            if (static_cast<int>(i % static_cast<std::size_t>(options.shard.count)) == options.shard.index - 1) {
                mine.push_back(std::move(checks[i]));
            }
        }
        checks = std::move(mine);
    }
    if (checks.empty()) {
        throw gantry::UsageError(options.shard.count > 1 ? fmt::format("shard {}/{} has no checks", options.shard.index, options.shard.count)
                                                         : std::string("the check file has no checks"));
    }

    std::vector<std::string> secrets = std::move(set.secrets);

    ProgressPrinter printer(progress, checks.size(), secrets);
    gantry::checks::RunOptions run_options;
    run_options.concurrency = options.concurrency;
    run_options.max_host_connections = options.host_connections;
    run_options.deadline = options.deadline;
    run_options.on_check_done = [&](std::size_t index, const CheckResult& result) {
        printer.add_secrets(result.cookies_seen);
        printer.finished(checks[index], result);
    };
    run_options.on_retry = [&](std::size_t index, const gantry::checks::AttemptVerdict& verdict, Milliseconds delay) {
        printer.retrying(checks[index], verdict, delay);
    };
    const auto start = std::chrono::steady_clock::now();
    const std::vector<CheckResult> results = gantry::checks::run_checks(checks, run_options);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);

    for (const auto& result : results) secrets.insert(secrets.end(), result.cookies_seen.begin(), result.cookies_seen.end());
    gantry::checks::normalise_secrets(secrets);
    gantry::Outcome outcome = render_outcome(RunReport{checks, results, std::move(warnings), elapsed}, options);
    outcome.secrets = std::move(secrets);
    return outcome;
}

}  // namespace smoke_test
