// --pretty streamed: the pretty log is byte for byte what parsing the minified log and dumping it
// with indent 2 gives (what --pretty wrote when it re-read the file), gzip-compressed or not.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixture_files.hpp"
#include "scratch_dir.hpp"

#include "gantry/base/atomic_file.hpp"
#include "gantry/base/error.hpp"
#include "gantry/base/gzip.hpp"
#include "gantry/sarif/sarif_merger.hpp"

using namespace gantry;
using gantry::testing::ScratchDir;

namespace {

// Every SARIF input the tests and samples hold that merges at all (some are there to be refused).
std::vector<std::filesystem::path> mergeable_inputs() {
    const std::filesystem::path data(GANTRY_TEST_DATA_DIR);
    return gantry::testing::fixture_files({data / "..", data / ".." / ".." / "samples"}, {".sarif", ".sarif.gz"},
                                          gantry::testing::Depth::Recursive);
}

std::string written_text(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& output,
                         Compression compression, SarifLayout layout) {
    SarifMerger merger({});
    for (const auto& input : inputs) merger.add_file(input);
    const auto files = merger.write_files(output, compression, layout);
    REQUIRE(files.size() == 1);
    std::string text = read_file(output);
    if (compression == Compression::Gzip) {
        REQUIRE(is_gzip(text));
        text = gunzip(text, output.string());
    }
    return text;
}

void check_pretty(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& dir) {
    const std::string minified = written_text(inputs, dir / "minified.sarif", Compression::None, SarifLayout::Minified);
    const std::string pretty = written_text(inputs, dir / "pretty.sarif", Compression::None, SarifLayout::Pretty);
    CHECK(pretty == nlohmann::json::parse(minified).dump(2) + "\n");
    CHECK(written_text(inputs, dir / "pretty.sarif.gz", Compression::Gzip, SarifLayout::Pretty) == pretty);
}

}  // namespace

TEST_CASE("sarif merge --pretty is the minified log parsed and dumped with indent 2, for every input") {
    ScratchDir dir("gantry-pretty");
    std::size_t merged = 0;
    for (const auto& input : mergeable_inputs()) {
        CAPTURE(input.string());
        try {
            SarifMerger probe({});
            probe.add_file(input);
        } catch (const InputError&) {
            continue;  // an input the merge refuses (SARIF 2.0.0, broken JSON): its own tests cover it
        }
        check_pretty({input}, dir.path());
        ++merged;
    }
    CHECK(merged >= 15);
}

TEST_CASE("sarif merge --pretty of many inputs at once, with extensions, tables and several runs") {
    ScratchDir dir("gantry-pretty");
    const std::vector<std::filesystem::path> inputs = gantry::testing::fixture_files(
        {std::filesystem::path(GANTRY_TEST_DATA_DIR) / ".." / ".." / "samples" / "sarif"}, {""}, gantry::testing::Depth::TopLevel);
    REQUIRE(inputs.size() >= 2);
    check_pretty(inputs, dir.path());
}
