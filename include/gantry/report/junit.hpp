// JUnit XML as GitHub test reporters and GitLab's `artifacts:reports:junit` read it.
// GitLab merges test cases with the same classname + name, so add_case() makes names unique by
// appending " (2)", " (3)"... Text is XML-escaped and characters XML 1.0 forbids are dropped
// (invalid UTF-8 becomes U+FFFD). Times print with three decimals; negative or non-finite ones as 0.
// The output carries no timestamp, so the same cases always render the same bytes.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gantry {

enum class TestStatus { Passed, Failed, Error, Skipped };

struct TestCase {
    std::string classname;
    std::string name;
    TestStatus status = TestStatus::Passed;
    double seconds = 0;
    std::string message;  // failure/error/skip message (attribute)
    std::string details;  // failure body / system-out
};

class JunitReport {
public:
    explicit JunitReport(std::string suite_name) : suite_(std::move(suite_name)) {}
    void add_case(TestCase test_case);
    std::string render() const;  // <?xml ...?><testsuites><testsuite ...>...</testsuite></testsuites>

private:
    std::string suite_;
    std::vector<TestCase> cases_;
    // (classname, name) pairs already used, and the next suffix to try per requested pair, so that
    // thousands of same-named cases stay linear.
    std::set<std::pair<std::string, std::string>> used_names_;
    std::map<std::pair<std::string, std::string>, int> next_suffix_;
};

}  // namespace gantry
