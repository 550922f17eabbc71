#include "sarif_result_repair.hpp"

#include <fmt/format.h>

namespace gantry::sarif_merge_detail {

namespace {

bool usable_message(const Json& message) {
    if (!message.is_object()) return false;
    const Json* text = find_path(message, {"text"});
    const Json* id = find_path(message, {"id"});
    return (text && text->is_string()) || (id && id->is_string());
}

std::string message_for(const Json& result, const Json* rule) {
    if (rule) {
        for (const char* description : {"shortDescription", "fullDescription"}) {
            const std::string text = string_value(find_path(*rule, {description, "text"}));
            if (!text.empty()) return text;
        }
    }
    std::string id = string_value(find_path(result, {"ruleId"}));
    if (id.empty() && rule) id = string_value(find_path(*rule, {"id"}));
    return id.empty() ? "(no message)" : id;
}

void repair_message(Json& result, const Json* rule, const RunMapper::Record& record) {
    auto message = result.find("message");
    if (message != result.end() && message->is_string()) {
        *message = Json{{"text", message->get<std::string>()}};
        record("message-repaired", "a message written as a string became {\"text\": ...}");
        return;
    }
    if (message != result.end() && usable_message(*message)) return;
    Json text = message_for(result, rule);
    if (message != result.end() && message->is_object()) {
        message->erase("text");
        message->erase("id");
        (*message)["text"] = std::move(text);
    } else {
        result["message"] = Json{{"text", std::move(text)}};
    }
    record("message-added", "a result without a usable message got its rule's description (else its rule id) as text");
}

void repair_fingerprints(Json& result, const RunMapper::Record& record) {
    for (const char* member : {"partialFingerprints", "fingerprints"}) {
        auto fingerprints = result.find(member);
        if (fingerprints == result.end() || !fingerprints->is_object()) continue;
        std::vector<std::string> nulls;
        for (auto& [key, value] : fingerprints->items()) {
            if (value.is_string()) continue;
            if (value.is_null()) {
                nulls.push_back(key);
                continue;
            }
            value = value.dump(-1, ' ', false, Json::error_handler_t::replace);
            record("fingerprint-repaired", fmt::format("a {} value that was not a string became its JSON text", member));
        }
        for (const std::string& key : nulls) {
            fingerprints->erase(key);
            record("fingerprint-repaired", fmt::format("a null {} value was removed", member));
        }
    }
}

}  // namespace

bool repair_result(Json& result, const Json* rule, const SarifSchema& schema, RunMapper& mapper, const RunMapper::Record& record) {
    repair_message(result, rule, record);
    repair_fingerprints(result, record);
    schema.visit(result, "result", [&](std::string_view definition, Json& region, std::string_view) {
        if (definition != "region") return;
        const Json* start = find_path(region, {"startLine"});
        const Json* end = find_path(region, {"endLine"});
        if (start && end && start->is_number_integer() && end->is_number_integer() &&
            end->get<long long>() < start->get<long long>()) {
            region.erase("endLine");
            region.erase("endColumn");
            record("region-repaired", "a region ending before its startLine lost endLine and endColumn");
        }
    });
    return mapper.repair(result, "result");
}

}  // namespace gantry::sarif_merge_detail
