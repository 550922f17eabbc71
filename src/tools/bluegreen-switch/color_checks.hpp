// The --health and --verify check files, read once for each colour before anything changes, and run
// for the colour a switch needs.
//
// A check file is a smoke-test check file (gantry/checks/check_file.hpp) in which ${COLOR} names a
// colour ("blue"/"green") and ${TARGET} its --blue/--green value. load_color_checks() reads and
// validates the file for both colours up front - an unreadable file, a YAML error, an unknown
// variable or a bad URL is an InputError with file:line:column before the lock is taken - so that
// nothing is read from disk once traffic may have moved. run() sends the checks of one colour and
// says whether they passed (one line per failed check). secrets() holds every value the checks'
// output must mask (secret variables, credentials they send, cookies they received).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bluegreen-switch/color.hpp"
#include "bluegreen-switch/provider_settings.hpp"
#include "gantry/checks/check_file.hpp"
#include "gantry/platform/environment.hpp"

namespace bluegreen_switch {

struct CheckRun {
    bool passed = true;
    int total = 0;
    int failed = 0;
    std::string detail;  // "3 of 3 checks passed", or one "name: reason" line per failed check
};

class ColorChecks {
public:
    ColorChecks(std::string file, std::map<Color, gantry::checks::CheckSuite> suites, std::vector<std::string> secrets)
        : file_(std::move(file)), suites_(std::move(suites)), secrets_(std::move(secrets)) {}

    const std::string& file() const { return file_; }
    CheckRun run(Color color);
    const std::vector<std::string>& secrets() const { return secrets_; }

private:
    std::string file_;
    std::map<Color, gantry::checks::CheckSuite> suites_;
    std::vector<std::string> secrets_;
};

ColorChecks load_color_checks(const std::string& file, const ProviderSettings& provider, const std::string& ca_file,
                                const gantry::Environment& environment);

}  // namespace bluegreen_switch
