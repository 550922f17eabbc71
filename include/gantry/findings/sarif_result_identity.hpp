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

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gantry/findings/text_digest.hpp"

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

// scan-gate's form of the identity: a digest (text_digest.hpp), with the same equality as the text
// above (two results share a digest exactly when they share the identity), read without building
// the identity's text. A reader fills the members it meets in a result into SarifStatedIdentity as
// they come (only the rare ones as trees), keeps the 24-byte seed until the run ends - the rule and
// the artifact an index names are known only then - and makes the digest from the seed.
struct SarifStatedIdentity {
    nlohmann::json fingerprints;          // as stated; null when absent
    nlohmann::json partial_fingerprints;
    bool message_has_text = false;        // message.text was a string (the text is passed apart)
    nlohmann::json message_extras;        // message.{arguments, id, markdown} as stated; null when none
    std::array<std::optional<int>, 4> positions;  // region startLine, endLine, startColumn, endColumn
    nlohmann::json region_extras;         // the region's other members as stated; null when none
};
enum class SarifIdentityBasis : unsigned char { Fingerprints, PartialFingerprints, Location };
struct SarifIdentitySeed {
    SarifIdentityBasis basis = SarifIdentityBasis::Location;
    TextDigest stated;  // of what the basis reads of the result itself
};
// The primary location's artifact as the identity reads it: uri (or, without one, the index), and
// uriBaseId. Absent members are empty/nullopt.
struct SarifArtifactParts {
    std::string_view uri;
    std::optional<std::size_t> index;
    std::string_view uri_base_id;
};
// `scratch` is only working space, kept by the caller so that a run of results allocates it once.
SarifIdentitySeed sarif_identity_seed(const SarifStatedIdentity& stated, std::string_view message_text,
                                      std::string& scratch);
TextDigest sarif_result_digest(const SarifIdentitySeed& seed, std::string_view rule,
                               const SarifArtifactParts& artifact, std::string& scratch);

}  // namespace gantry
