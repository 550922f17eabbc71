// When two SARIF results report the same thing: the one identity rule of sarif-merge and scan-gate.
//
// sarif-merge keeps the first of the results with one identity in each output run (one tool and
// category); scan-gate counts the first of the results with one identity that one tool reported.
// The identity is, in this order of preference:
//   1. the rule and `fingerprints` (SARIF 2.1.0 §3.27.16), when the result has any: stable values that
//      identify a result on their own;
//   2. the rule, the primary location's artifact and `partialFingerprints` (§3.27.17), when the
//      result has any. The artifact is part of it because a partial fingerprint is only a
//      contribution: GitHub's primaryLocationLineHash hashes the text around a line, which is the
//      same in every file that holds the same line (CodeQL's juice-shop run has 52 such results);
//   3. else the rule, the message as the result states it (text, markdown, or id and arguments),
//      and the primary location's artifact and region.
// The rule is `ruleId`, else `rule.id`; the artifact is `artifactLocation` (or SARIF 2.0.0's
// `fileLocation`) by uri, uriBaseId and index - an index means something only inside its run, so
// callers remap it to the output run or resolve it to the artifact's uri first. Object members
// compare whatever their order, values exactly (no case folding or path normalisation).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace gantry {

// The identity of `result` (a SARIF result object) as a string: equal strings, same result.
// Missing or oddly typed members count as absent; never throws.
std::string sarif_result_identity(const nlohmann::json& result);

// The same from the members the identity reads, for a reader that has them apart (any may be null).
struct SarifResultParts {
    std::string_view rule;
    const nlohmann::json* fingerprints = nullptr;
    const nlohmann::json* partial_fingerprints = nullptr;
    const nlohmann::json* message = nullptr;
    const nlohmann::json* artifact_location = nullptr;  // of the primary location (or its fileLocation)
    const nlohmann::json* region = nullptr;             // of the primary location
};
std::string sarif_result_identity(const SarifResultParts& parts);

// The parts of the identity that depend on nothing outside the result, as the identity writes them:
// only those of the first basis that applies (fingerprints; else partial fingerprints; else message
// and region), the others left empty. A reader that holds a run's results until the run ends - its
// rules and artifacts may come after them - keeps these strings instead of the members' trees.
struct SarifIdentityTexts {
    std::string fingerprints;
    std::string partial_fingerprints;
    std::string message;
    std::string region;
};
SarifIdentityTexts sarif_identity_texts(const SarifResultParts& parts);  // reads all but rule and artifact
// The identity from those texts, the rule and the primary location's artifact: equal to
// sarif_result_identity(parts) for the parts the texts were made from.
std::string sarif_result_identity(const SarifIdentityTexts& texts, std::string_view rule,
                                  const nlohmann::json* artifact_location);

}  // namespace gantry
