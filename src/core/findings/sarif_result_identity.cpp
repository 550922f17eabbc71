#include "gantry/findings/sarif_result_identity.hpp"

#include <cstdint>
#include <cstring>
#include <initializer_list>

#include <nlohmann/json.hpp>

namespace gantry {

namespace {

using Json = nlohmann::json;

// Separates the parts; it occurs in no JSON text nlohmann writes (control characters are escaped).
constexpr char kSeparator = '\x1f';

const Json* member(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

const Json* non_empty_object(const Json* value) {
    return value && value->is_object() && !value->empty() ? value : nullptr;
}

// std::map-backed nlohmann::json writes members sorted by key: the same text whatever their order.
void append_canonical(std::string& out, const Json& value) {
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The members `sorted_keys` (in sorted order) of an object, written as dump() writes an object of
// just those members - without copying them into one.
void append_members(std::string& out, const Json* object, std::initializer_list<const char*> sorted_keys) {
    if (!object || !object->is_object()) return;
    bool any = false;
    for (const char* key : sorted_keys) {
        const Json* value = member(*object, key);
        if (!value) continue;
        out += any ? ",\"" : "{\"";
        out += key;
        out += "\":";
        append_canonical(out, *value);
        any = true;
    }
    if (any) out += '}';
}

}  // namespace

SarifIdentityTexts sarif_identity_texts(const SarifResultParts& parts) {
    SarifIdentityTexts texts;
    if (const Json* fingerprints = non_empty_object(parts.fingerprints)) {
        append_canonical(texts.fingerprints, *fingerprints);
    } else if (const Json* partial = non_empty_object(parts.partial_fingerprints)) {
        append_canonical(texts.partial_fingerprints, *partial);
    } else {
        append_members(texts.message, parts.message, {"arguments", "id", "markdown", "text"});
        if (const Json* region = non_empty_object(parts.region)) append_canonical(texts.region, *region);
    }
    return texts;
}

// A non-empty object's canonical text is never empty, so an empty text means "not this basis". The
// identity is sized exactly once: a scan-gate run holds one per SARIF result.
std::string sarif_result_identity(const SarifIdentityTexts& texts, std::string_view rule, const Json* artifact_location) {
    const auto joined = [](std::initializer_list<std::string_view> parts) {
        std::size_t size = parts.size() - 1;
        for (const std::string_view part : parts) size += part.size();
        std::string identity;
        identity.reserve(size);
        for (auto part = parts.begin(); part != parts.end(); ++part) {
            if (part != parts.begin()) identity += kSeparator;
            identity += *part;
        }
        return identity;
    };
    if (!texts.fingerprints.empty()) return joined({"fingerprints", rule, texts.fingerprints});
    std::string artifact;
    append_members(artifact, artifact_location, {"index", "uri", "uriBaseId"});
    if (!texts.partial_fingerprints.empty()) {
        return joined({"partialFingerprints", rule, artifact, texts.partial_fingerprints});
    }
    return joined({"location", rule, texts.message, artifact, texts.region});
}

std::string sarif_result_identity(const SarifResultParts& parts) {
    return sarif_result_identity(sarif_identity_texts(parts), parts.rule, parts.artifact_location);
}

std::string sarif_result_identity(const Json& result) {
    SarifResultParts parts;
    std::string rule;
    if (const Json* id = member(result, "ruleId"); id && id->is_string()) {
        rule = id->get<std::string>();
    } else if (const Json* reference = member(result, "rule")) {
        if (const Json* reference_id = member(*reference, "id"); reference_id && reference_id->is_string())
            rule = reference_id->get<std::string>();
    }
    parts.rule = rule;
    parts.fingerprints = member(result, "fingerprints");
    parts.partial_fingerprints = member(result, "partialFingerprints");
    parts.message = member(result, "message");
    if (const Json* locations = member(result, "locations"); locations && locations->is_array() && !locations->empty()) {
        if (const Json* physical = member(locations->front(), "physicalLocation")) {
            parts.artifact_location = member(*physical, "artifactLocation");
            if (!parts.artifact_location) parts.artifact_location = member(*physical, "fileLocation");  // SARIF 2.0.0
            parts.region = member(*physical, "region");
        }
    }
    return sarif_result_identity(parts);
}

namespace {

// The digest's input is a sequence of parts, each either of fixed size or preceded by its size, so
// that two different sequences never give the same bytes.
template <class Number>
void append_fixed(std::string& out, Number number) {
    char bytes[sizeof(Number)];
    std::memcpy(bytes, &number, sizeof(Number));
    out.append(bytes, sizeof(Number));
}

void append_sized(std::string& out, std::string_view text) {
    append_fixed(out, static_cast<std::uint64_t>(text.size()));
    out += text;
}

void append_sized_json(std::string& out, const Json& value) {
    const std::size_t size_at = out.size();
    append_fixed(out, std::uint64_t{0});
    if (value.is_object() && !value.empty()) append_canonical(out, value);
    const auto size = static_cast<std::uint64_t>(out.size() - size_at - sizeof(std::uint64_t));
    std::memcpy(out.data() + size_at, &size, sizeof(size));
}

}  // namespace

SarifIdentitySeed sarif_identity_seed(const SarifStatedIdentity& stated, std::string_view message_text,
                                      std::string& scratch) {
    scratch.clear();
    SarifIdentitySeed seed;
    if (const Json* fingerprints = non_empty_object(&stated.fingerprints)) {
        seed.basis = SarifIdentityBasis::Fingerprints;
        append_canonical(scratch, *fingerprints);
    } else if (const Json* partial = non_empty_object(&stated.partial_fingerprints)) {
        seed.basis = SarifIdentityBasis::PartialFingerprints;
        append_canonical(scratch, *partial);
    } else {
        // The message's members and the region's, each compared as the identity's text compares them.
        scratch += stated.message_has_text ? 't' : '-';
        if (stated.message_has_text) append_sized(scratch, message_text);
        append_sized_json(scratch, stated.message_extras);
        for (const std::optional<int>& position : stated.positions) {
            scratch += position ? 'p' : '-';
            if (position) append_fixed(scratch, static_cast<std::int64_t>(*position));
        }
        append_sized_json(scratch, stated.region_extras);
    }
    seed.stated = digest_of(scratch);
    return seed;
}

TextDigest sarif_result_digest(const SarifIdentitySeed& seed, std::string_view rule, const SarifArtifactParts& artifact,
                               std::string& scratch) {
    scratch.clear();
    append_fixed(scratch, seed.stated.high);
    append_fixed(scratch, seed.stated.low);
    scratch += static_cast<char>(seed.basis);
    if (seed.basis != SarifIdentityBasis::Fingerprints) {  // fingerprints identify a result on their own
        if (!artifact.uri.empty()) {
            scratch += 'u';
            append_sized(scratch, artifact.uri);
        } else if (artifact.index) {
            scratch += 'i';
            append_fixed(scratch, static_cast<std::uint64_t>(*artifact.index));
        } else {
            scratch += '-';
        }
        scratch += artifact.uri_base_id.empty() ? '-' : 'b';
        if (!artifact.uri_base_id.empty()) append_sized(scratch, artifact.uri_base_id);
    }
    append_sized(scratch, rule);
    return digest_of(scratch);
}

}  // namespace gantry
