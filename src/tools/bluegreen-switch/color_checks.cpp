#include "bluegreen-switch/color_checks.hpp"

#include "gantry/base/atomic_file.hpp"
#include "gantry/checks/check_runner.hpp"
#include "gantry/checks/check_secrets.hpp"
#include "gantry/checks/variables.hpp"

namespace bluegreen_switch {

namespace {

// The --blue/--green value of a colour, as the checks' ${TARGET}.
std::string address_of(const ProviderSettings& settings, Color color) {
    const std::string& value = color == Color::Blue ? settings.blue : settings.green;
    return value.empty() ? std::string(to_string(color)) : value;
}

}  // namespace

ColorChecks load_color_checks(const std::string& file, const ProviderSettings& provider, const std::string& ca_file,
                                const gantry::Environment& environment) {
    const std::string text = gantry::read_file(file);
    std::map<Color, gantry::checks::CheckSuite> suites;
    std::vector<std::string> secrets;
    for (Color color : {Color::Blue, Color::Green}) {
        gantry::checks::Variables variables(environment);
        variables.set("COLOR", std::string(to_string(color)));
        variables.set("TARGET", address_of(provider, color));
        gantry::checks::CheckDefaults defaults;
        defaults.ca_file = ca_file;
        gantry::checks::CheckSuite suite = gantry::checks::read_check_file(text, file, variables, defaults);
        for (auto& secret : variables.secrets()) secrets.push_back(std::move(secret));
        for (const auto& check : suite.checks) gantry::checks::collect_credentials(check, secrets);
        suites.emplace(color, std::move(suite));
    }
    gantry::checks::normalise_secrets(secrets);
    return ColorChecks(file, std::move(suites), std::move(secrets));
}

CheckRun ColorChecks::run(Color color) {
    const gantry::checks::CheckSuite& suite = suites_.at(color);
    gantry::checks::RunOptions run_options;
    run_options.concurrency = 4;
    const auto results = gantry::checks::run_checks(suite.checks, run_options);
    for (const auto& result : results) secrets_.insert(secrets_.end(), result.cookies_seen.begin(), result.cookies_seen.end());
    gantry::checks::normalise_secrets(secrets_);
    CheckRun run;
    run.total = static_cast<int>(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].passed) continue;
        ++run.failed;
        run.passed = false;
        if (!run.detail.empty()) run.detail += "\n";
        run.detail += suite.checks[i].name + ": " +
                      (results[i].failures.empty() ? std::string("failed") : results[i].failures.front());
    }
    if (run.passed) run.detail = std::to_string(run.total) + " of " + std::to_string(run.total) + " checks passed";
    return run;
}

}  // namespace bluegreen_switch
