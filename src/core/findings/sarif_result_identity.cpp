#include "gantry/findings/sarif_result_identity.hpp"

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

const Json* non_empty_object(const Json& object, const char* key) {
    const Json* value = member(object, key);
    return value && value->is_object() && !value->empty() ? value : nullptr;
}

// std::map-backed nlohmann::json writes members sorted by key: the same text whatever their order.
std::string canonical(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string rule_of(const Json& result) {
    if (const Json* id = member(result, "ruleId"); id && id->is_string()) return id->get<std::string>();
    if (const Json* rule = member(result, "rule")) {
        if (const Json* id = member(*rule, "id"); id && id->is_string()) return id->get<std::string>();
    }
    return {};
}

const Json* primary_physical_location(const Json& result) {
    const Json* locations = member(result, "locations");
    if (!locations || !locations->is_array() || locations->empty()) return nullptr;
    const Json* physical = member(locations->front(), "physicalLocation");
    return physical && physical->is_object() ? physical : nullptr;
}

// The artifact a location names: what of uri, uriBaseId and index it has.
std::string artifact_of(const Json* physical) {
    if (!physical) return {};
    const Json* artifact = member(*physical, "artifactLocation");
    if (!artifact) artifact = member(*physical, "fileLocation");  // SARIF 2.0.0
    if (!artifact || !artifact->is_object()) return {};
    Json parts = Json::object();
    for (const char* key : {"uri", "uriBaseId", "index"}) {
        if (const Json* value = member(*artifact, key)) parts[key] = *value;
    }
    return parts.empty() ? std::string() : canonical(parts);
}

std::string message_of(const Json& result) {
    const Json* message = member(result, "message");
    if (!message || !message->is_object()) return {};
    Json stated = Json::object();
    for (const char* key : {"text", "markdown", "id", "arguments"}) {
        if (const Json* value = member(*message, key)) stated[key] = *value;
    }
    return stated.empty() ? std::string() : canonical(stated);
}

}  // namespace

std::string sarif_result_identity(const Json& result) {
    std::string identity;
    const auto add = [&](std::string_view part) {
        identity += part;
        identity += kSeparator;
    };
    if (const Json* fingerprints = non_empty_object(result, "fingerprints")) {
        add("fingerprints");
        add(rule_of(result));
        add(canonical(*fingerprints));
        return identity;
    }
    const Json* physical = primary_physical_location(result);
    if (const Json* partial = non_empty_object(result, "partialFingerprints")) {
        add("partialFingerprints");
        add(rule_of(result));
        add(artifact_of(physical));
        add(canonical(*partial));
        return identity;
    }
    add("location");
    add(rule_of(result));
    add(message_of(result));
    add(artifact_of(physical));
    const Json* region = physical ? non_empty_object(*physical, "region") : nullptr;
    add(region ? canonical(*region) : std::string());
    return identity;
}

}  // namespace gantry
